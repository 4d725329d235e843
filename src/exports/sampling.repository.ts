import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { DatabaseService } from '../database/database.service';
import { HOUSEHOLD_PROJECT, SqlFilter } from '../common/sql-filter';
import { type Scope, whereInScope } from '../auth/scope';
import { pageClause } from '../common/pagination';

/** A sampled household with the service's rules and the check's result. */
export interface SampleItemRow {
  household_code: string;
  project_code: string | null;
  service_rules: string[] | null;
  check_rules: string[] | null;
  checked: boolean;
  note: string | null;
  checked_by: string | null;
  checked_at: Date | null;
}

/** A sample in the list, with the size and checked count of the reader's part. */
export interface SampleListRow {
  id: number;
  seed: string;
  rate: string;
  run_id: string | null;
  created_at: Date;
  created_by: string;
  size: number;
  checked: number;
}

/** What a sample is drawn with. */
export interface SampleDraw {
  seed: string;
  rate: number;
  /** The latest completed recompute run, whose results the sampled households carry. */
  runId: string | null;
  createdBy: string;
}

/** A check's result for one sampled household. */
export interface SampleCheck {
  rules: string[];
  note: string | null;
  checkedBy: string;
}

/**
 * 抽查核实's tables: sample and sample_item. The methods taking a `PoolClient` run in the caller's
 * transaction (the draw and a check commit with their audit entries).
 */
@Injectable()
export class SamplingRepository {
  constructor(private readonly db: DatabaseService) {}

  async activeHouseholds(c: PoolClient, scope: Scope | undefined): Promise<number> {
    const f = whereInScope(new SqlFilter(), scope);
    return (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM household h ${HOUSEHOLD_PROJECT} WHERE h.status = 'active'${f.and}`, f.params)).rows[0].n;
  }

  async lastCompletedRun(c: PoolClient): Promise<string | null> {
    return (await c.query<{ id: string | null }>(`SELECT max(id) AS id FROM recompute_run WHERE status = 'completed'`)).rows[0].id;
  }

  /**
   * A new sample and its households: per project at least one, otherwise ceil(rate × size), in
   * the seed's order, each with its rules in the run. Returns the sample's id and size.
   */
  async draw(c: PoolClient, d: SampleDraw, scope: Scope | undefined): Promise<{ id: number; size: number }> {
    const f = whereInScope(new SqlFilter([null, d.seed, d.rate, d.runId]), scope);
    const sample = (await c.query<{ id: number }>(`INSERT INTO sample (seed, rate, run_id, created_by) VALUES ($1, $2, $3, $4) RETURNING id`, [d.seed, d.rate, d.runId, d.createdBy])).rows[0];
    await c.query(
      `WITH ranked AS (
         SELECT h.id, u.project_id, row_number() OVER (PARTITION BY u.project_id ORDER BY md5($2 || ':' || h.household_code)) AS rn,
                count(*) OVER (PARTITION BY u.project_id) AS n
           FROM household h JOIN unit u ON u.id = h.unit_id JOIN project p ON p.id = u.project_id WHERE h.status = 'active'${f.and})
       INSERT INTO sample_item (sample_id, household_id, project_id, service_rules)
       SELECT $1, r.id, r.project_id, coalesce((SELECT hr.rules FROM household_result hr WHERE hr.run_id = $4 AND hr.household_id = r.id), '{}')
         FROM ranked r WHERE r.rn <= greatest(1, ceil(r.n * $3::numeric))`,
      [sample.id, ...f.params.slice(1)],
    );
    const size = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM sample_item WHERE sample_id = $1`, [sample.id])).rows[0].n;
    return { id: sample.id, size };
  }

  /** Samples newest first with ≥1 household in the scope, each counted over its households in the scope. */
  async list(scope: Scope | undefined, q: { page: number; pageSize: number }): Promise<{ total: number; rows: SampleListRow[] }> {
    const f = whereInScope(new SqlFilter(), scope);
    const parts = `SELECT s.sample_id, count(*)::int AS size, count(*) FILTER (WHERE s.checked)::int AS checked
                     FROM sample_item s JOIN household h ON h.id = s.household_id LEFT JOIN project p ON p.id = s.project_id${f.where} GROUP BY s.sample_id`;
    const page = pageClause(f.params, q);
    const [total, rows] = await Promise.all([
      this.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${parts}) x`, f.params),
      this.db.pool.query<SampleListRow>(
        `SELECT sa.id, sa.seed, sa.rate::text AS rate, sa.run_id::text AS run_id, sa.created_at, sa.created_by, x.size, x.checked
           FROM sample sa JOIN (${parts}) x ON x.sample_id = sa.id ORDER BY sa.id DESC ${page.sql}`,
        page.params,
      ),
    ]);
    return { total: total.rows[0].n, rows: rows.rows };
  }

  /** A sample's households, by project and household code (none when the sample does not exist). */
  async items(sampleId: number, scope: Scope | undefined): Promise<SampleItemRow[]> {
    const f = whereInScope(new SqlFilter([sampleId]), scope);
    const { rows } = await this.db.pool.query<SampleItemRow>(
      `SELECT h.household_code, p.project_code, s.service_rules, s.check_rules, s.checked, s.note, s.checked_by, s.checked_at
         FROM sample_item s JOIN household h ON h.id = s.household_id LEFT JOIN project p ON p.id = s.project_id
        WHERE s.sample_id = $1${f.and} ORDER BY p.project_code, h.household_code`,
      f.params,
    );
    return rows;
  }

  /** Records a check; false when the household is not in the sample. */
  async recordCheck(c: PoolClient, sampleId: number, householdCode: string, check: SampleCheck, scope: Scope | undefined): Promise<boolean> {
    const f = whereInScope(new SqlFilter([sampleId, householdCode, check.rules, check.note, check.checkedBy]), scope);
    const { rowCount } = await c.query(
      `UPDATE sample_item s SET check_rules = $3, note = $4, checked = true, checked_by = $5, checked_at = now()
         FROM household h ${HOUSEHOLD_PROJECT} WHERE s.sample_id = $1 AND s.household_id = h.id AND h.household_code = $2${f.and}`,
      f.params,
    );
    return !!rowCount;
  }
}
