import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import type { Scope } from '../auth/scope';
import { whereInScope } from '../auth/scope';
import { AdvisoryLock } from '../common/advisory-locks';
import { maskText } from '../common/masking';
import { pageClause } from '../common/pagination';
import { HOUSEHOLD_PROJECT, SqlFilter } from '../common/sql-filter';
import { DatabaseService } from '../database/database.service';
import type { FailingCounts, HouseholdChange, HouseholdPlace } from './simulate';

export interface SimulationRow {
  id: string;
  draft_id: number;
  draft_name: string;
  draft_version: string;
  policy_version_id: number;
  policy_version: string;
  as_of: string;
  kind: 'compare' | 'sweep';
  sweep: { parameter: string; values: number[] } | null;
  status: 'running' | 'completed' | 'failed';
  shards: number;
  households: number;
  evaluated: number;
  created_by: string | null;
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
}

export interface CountRow {
  point: number;
  rule_code: string;
  town: string;
  project_code: string;
  category: string;
  households: number;
}

export interface ChangeRow {
  household_code: string;
  town: string | null;
  project_code: string | null;
  change: HouseholdChange['change'];
  rules_in_force: string[];
  rules_draft: string[];
  decided: HouseholdChange['decided'];
}

const RUN = `SELECT r.id::text AS id, r.draft_id, d.name AS draft_name, d.document->>'version' AS draft_version, r.policy_version_id, v.version AS policy_version,
       r.as_of::text AS as_of, r.kind, r.sweep, r.status, r.shards, r.households, r.evaluated, r.created_by, r.started_at, r.finished_at, r.error
  FROM simulation_run r JOIN policy_draft d ON d.id = r.draft_id JOIN policy_version v ON v.id = r.policy_version_id`;

/** simulation_*: runs, their shards, and each shard's counts and changed households (replaced as a whole on a re-run). */
@Injectable()
export class SimulationRepository {
  constructor(private readonly db: DatabaseService) {}

  async create(c: PoolClient, run: { draftId: number; policyVersionId: number; asOf: string; kind: 'compare' | 'sweep'; sweep: object | null; createdBy: string }): Promise<string> {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO simulation_run (draft_id, policy_version_id, as_of, kind, sweep, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id`,
      [run.draftId, run.policyVersionId, run.asOf, run.kind, run.sweep ? JSON.stringify(run.sweep) : null, run.createdBy],
    );
    return rows[0].id;
  }

  /** Shards of `size` households (active and waiting, by id) and the run's size, as a recompute cuts them. */
  async createShards(c: PoolClient, runId: string, size: number): Promise<{ shards: number; households: number }> {
    const { rows } = await c.query<{ shards: number; households: number }>(
      `WITH h AS (SELECT id, (row_number() OVER (ORDER BY id) - 1) / $2 AS shard FROM household WHERE status IN ('active', 'waiting')),
            s AS (INSERT INTO simulation_shard (run_id, shard, from_id, to_id) SELECT $1, shard, min(id), max(id) FROM h GROUP BY shard RETURNING 1)
       SELECT (SELECT count(*)::int FROM s) AS shards, (SELECT count(*)::int FROM h) AS households`,
      [runId, size],
    );
    await c.query(`UPDATE simulation_run SET shards = $2, households = $3 WHERE id = $1`, [runId, rows[0].shards, rows[0].households]);
    return rows[0];
  }

  async get(id: string): Promise<SimulationRow | undefined> {
    return (await this.db.pool.query<SimulationRow>(`${RUN} WHERE r.id = $1`, [id])).rows[0];
  }

  async list(page: { page: number; pageSize: number }): Promise<{ total: number; rows: SimulationRow[] }> {
    const total = (await this.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM simulation_run`)).rows[0].n;
    const limit = pageClause([], page);
    const { rows } = await this.db.pool.query<SimulationRow>(`${RUN} ORDER BY r.id DESC ${limit.sql}`, limit.params);
    return { total, rows };
  }

  async shard(runId: string, shard: number): Promise<{ from_id: number; to_id: number } | undefined> {
    return (await this.db.pool.query<{ from_id: number; to_id: number }>(`SELECT from_id, to_id FROM simulation_shard WHERE run_id = $1 AND shard = $2`, [runId, shard])).rows[0];
  }

  /** Town, project and category of the active and waiting households of a shard's range. */
  async places(fromId: number, toId: number): Promise<Map<number, HouseholdPlace>> {
    const { rows } = await this.db.pool.query<{ id: number; town: string; project_code: string; category: string }>(
      `SELECT h.id, coalesce(p.town, '（轮候）') AS town, coalesce(p.project_code, '') AS project_code, h.category
         FROM household h ${HOUSEHOLD_PROJECT} WHERE h.id BETWEEN $1 AND $2 AND h.status IN ('active', 'waiting')`,
      [fromId, toId],
    );
    return new Map(rows.map((r) => [r.id, { town: r.town, projectCode: r.project_code, category: r.category }]));
  }

  /** Replaces a shard's counts and changes, and marks it done: one writer per shard (idempotent on a re-run). */
  async writeShard(c: PoolClient, runId: string, shard: number, evaluated: number, counts: FailingCounts, changes: { householdId: number; change: HouseholdChange }[]): Promise<void> {
    await c.query('SELECT pg_advisory_xact_lock($1, $2)', [AdvisoryLock.SimulationShard, Number((BigInt(runId) * 100_003n + BigInt(shard)) % 2_147_483_647n)]);
    await c.query(`DELETE FROM simulation_count WHERE run_id = $1 AND shard = $2`, [runId, shard]);
    await c.query(`DELETE FROM simulation_change WHERE run_id = $1 AND shard = $2`, [runId, shard]);
    const col = counts.columns();
    if (col.point.length) {
      await c.query(
        `INSERT INTO simulation_count (run_id, shard, point, rule_code, town, project_code, category, households)
         SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])`,
        [runId, shard, col.point, col.rule, col.town, col.project, col.category, col.households],
      );
    }
    if (changes.length) {
      await c.query(
        `INSERT INTO simulation_change (run_id, shard, household_id, change, rules_in_force, rules_draft, decided)
         SELECT $1, $2, x.household_id, x.change, x.rules_in_force, x.rules_draft, x.decided
           FROM jsonb_to_recordset($3::jsonb) AS x(household_id int, change text, rules_in_force text[], rules_draft text[], decided jsonb)`,
        [runId, shard, JSON.stringify(changes.map((x) => ({ household_id: x.householdId, change: x.change.change, rules_in_force: x.change.rulesInForce, rules_draft: x.change.rulesDraft, decided: x.change.decided })))],
      );
    }
    await c.query(`UPDATE simulation_shard SET evaluated = $3, finished_at = now() WHERE run_id = $1 AND shard = $2`, [runId, shard, evaluated]);
  }

  /** Marks a run failed with its reason (a later shard's success does not complete it). */
  async fail(id: string, error: string): Promise<void> {
    await this.db.pool.query(`UPDATE simulation_run SET status = 'failed', error = left($2, 500), finished_at = now() WHERE id = $1 AND status = 'running'`, [id, maskText(error)]);
  }

  /** Closes a run once every shard is done; false while some are not. */
  async complete(c: PoolClient, runId: string): Promise<boolean> {
    const { rows } = await c.query<{ open: number; evaluated: number }>(
      `SELECT count(*) FILTER (WHERE finished_at IS NULL)::int AS open, coalesce(sum(evaluated), 0)::int AS evaluated FROM simulation_shard WHERE run_id = $1`,
      [runId],
    );
    if (rows[0].open) return false;
    await c.query(`UPDATE simulation_run SET status = 'completed', evaluated = $2, finished_at = coalesce(finished_at, now()) WHERE id = $1 AND status = 'running'`, [runId, rows[0].evaluated]);
    return true;
  }

  /** The run's counts summed over shards, in the actor's scope (the counts carry town and project). */
  async counts(runId: string, scope: Scope | undefined): Promise<CountRow[]> {
    const f = whereInScope(new SqlFilter([runId]), scope, 'x');
    const { rows } = await this.db.pool.query<CountRow>(
      `SELECT x.point, x.rule_code, x.town, x.project_code, x.category, sum(x.households)::int AS households
         FROM simulation_count x WHERE x.run_id = $1${f.and} GROUP BY 1, 2, 3, 4, 5`,
      f.params,
    );
    return rows;
  }

  /** A page of the changed households, in the actor's scope; optionally one kind of change or one rule. */
  async changes(runId: string, q: ChangeFilter & { page: number; pageSize: number }, scope: Scope | undefined): Promise<{ total: number; rows: ChangeRow[] }> {
    const f = changeFilter(runId, q, scope);
    const from = `FROM simulation_change x JOIN household h ON h.id = x.household_id ${HOUSEHOLD_PROJECT} WHERE x.run_id = $1${f.and}`;
    const total = (await this.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, f.params)).rows[0].n;
    const limit = pageClause(f.params, q);
    const { rows } = await this.db.pool.query<ChangeRow>(
      `SELECT h.household_code, p.town, p.project_code, x.change, x.rules_in_force, x.rules_draft, x.decided ${from} ORDER BY h.household_code ${limit.sql}`,
      limit.params,
    );
    return { total, rows };
  }

  /** The changed households after a household code, in code order (keyset: an export of any size reads each row once). */
  async changesAfter(runId: string, q: ChangeFilter, after: string, limit: number, scope: Scope | undefined): Promise<ChangeRow[]> {
    const f = changeFilter(runId, q, scope).add('h.household_code > ?', after);
    const { rows } = await this.db.pool.query<ChangeRow>(
      `SELECT h.household_code, p.town, p.project_code, x.change, x.rules_in_force, x.rules_draft, x.decided
         FROM simulation_change x JOIN household h ON h.id = x.household_id ${HOUSEHOLD_PROJECT}
        WHERE x.run_id = $1${f.and} ORDER BY h.household_code LIMIT ${Math.trunc(limit)}`,
      f.params,
    );
    return rows;
  }
}

/** The changes list's filter: one kind of change, one rule (a decision about it), the actor's scope. */
export interface ChangeFilter {
  change?: string;
  rule?: string;
}

function changeFilter(runId: string, q: ChangeFilter, scope: Scope | undefined): SqlFilter {
  const f = whereInScope(new SqlFilter([runId]), scope);
  if (q.change) f.add('x.change = ?', q.change);
  if (q.rule) f.add(`x.decided @> jsonb_build_array(jsonb_build_object('rule', ?::text))`, q.rule);
  return f;
}
