import { Injectable } from '@nestjs/common';
import type { Scope } from '../auth/scope';
import { whereInScope } from '../auth/scope';
import { HOUSEHOLD_PROJECT, SqlFilter } from '../common/sql-filter';
import { DatabaseService } from '../database/database.service';

export interface FindingGroupRow {
  rule_code: string | null;
  level: string | null;
  town: string | null;
  project_code: string | null;
  project_name: string | null;
  /** Which grouping the row is: 'rule', 'town' or 'project'. */
  by: 'rule' | 'town' | 'project';
  findings: number;
  households: number;
}

export interface FunnelRow {
  found: number;
  confirmed: number;
  noticed: number;
  overdue_ever: number;
  overdue_now: number;
  exited: number;
  dismissed: number;
  inspections_past_due: number;
}

/** The 工作台's figures, each one grouped query in the actor's scope. */
@Injectable()
export class DashboardRepository {
  constructor(private readonly db: DatabaseService) {}

  /** A run's findings by rule and level, by town and by project, with the households behind each. */
  async findingGroups(runId: string, scope: Scope | undefined): Promise<FindingGroupRow[]> {
    const f = whereInScope(new SqlFilter([runId]), scope);
    const { rows } = await this.db.pool.query<FindingGroupRow>(
      `SELECT f.rule_code, f.level, coalesce(p.town, '（轮候）') AS town, p.project_code, p.name AS project_name,
              CASE WHEN GROUPING(f.rule_code) = 0 THEN 'rule' WHEN GROUPING(p.project_code) = 0 THEN 'project' ELSE 'town' END AS by,
              count(*)::int AS findings, count(DISTINCT f.household_id)::int AS households
         FROM finding f JOIN household h ON h.id = f.household_id ${HOUSEHOLD_PROJECT}
        WHERE f.run_id = $1${f.and}
        GROUP BY GROUPING SETS ((f.rule_code, f.level), (coalesce(p.town, '（轮候）')), (p.project_code, p.name, coalesce(p.town, '（轮候）')))
        ORDER BY 6, 1, 2, 3, 4`,
      f.params,
    );
    return rows;
  }

  /** Exit cases through the workflow: found, confirmed, noticed, 应退未退 (ever and now), exited, dismissed. */
  async funnel(on: string, scope: Scope | undefined): Promise<FunnelRow> {
    const f = whereInScope(new SqlFilter([on]), scope);
    const { rows } = await this.db.pool.query<FunnelRow>(
      `SELECT count(*) FILTER (WHERE c.kind <> 'tenant_change')::int AS found,
              count(c.confirmed_at)::int AS confirmed,
              count(c.notice_at)::int AS noticed,
              count(c.overdue_at)::int AS overdue_ever,
              count(*) FILTER (WHERE c.status = 'overdue')::int AS overdue_now,
              count(*) FILTER (WHERE c.outcome = 'exited')::int AS exited,
              count(*) FILTER (WHERE c.outcome = 'dismissed')::int AS dismissed,
              count(*) FILTER (WHERE c.status = 'inspection' AND c.inspection_due < $1::date)::int AS inspections_past_due
         FROM "case" c JOIN household h ON h.id = c.household_id ${HOUSEHOLD_PROJECT}
        WHERE true${f.and}`,
      f.params,
    );
    return rows[0];
  }

  /**
   * 应退未退 at the end of each of the last `weeks` weeks (Sundays, the last one `on`'s week): a
   * case counts from its overdue date until it closed.
   */
  async overdueByWeek(on: string, weeks: number, scope: Scope | undefined): Promise<{ week_end: string; overdue: number }[]> {
    const f = whereInScope(new SqlFilter([on, weeks]), scope);
    const { rows } = await this.db.pool.query<{ week_end: string; overdue: number }>(
      `WITH weeks AS (
         SELECT (date_trunc('week', $1::date)::date + 6 - 7 * k)::date AS week_end FROM generate_series(0, $2::int - 1) AS k
       ), overdue AS (
         SELECT c.overdue_at, c.closed_at FROM "case" c JOIN household h ON h.id = c.household_id ${HOUSEHOLD_PROJECT}
          WHERE c.overdue_at IS NOT NULL${f.and}
       )
       SELECT w.week_end::text AS week_end,
              (SELECT count(*)::int FROM overdue o WHERE o.overdue_at <= w.week_end AND (o.closed_at IS NULL OR o.closed_at::date > w.week_end)) AS overdue
         FROM weeks w ORDER BY w.week_end`,
      f.params,
    );
    return rows;
  }
}
