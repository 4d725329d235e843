import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { pageClause } from '../common/pagination';
import { HOUSEHOLD_PROJECT, SqlFilter } from '../common/sql-filter';
import { isCityWide, type Scope, whereInScope } from '../auth/scope';
import { copyRows } from '../database/copy';
import { DatabaseService } from '../database/database.service';

export interface RunRef {
  id: string;
  asOf: string;
  policyVersion: string;
  mode: string;
  finishedAt: Date | null;
}

/** One finding of a run, as a shard writes it. */
export interface StoredFinding {
  householdId: number;
  ruleCode: string;
  level: string | null;
  score: number | null;
  /** The whole finding (values, thresholds, records, explanation), kept as JSON. */
  evidence: unknown;
  fingerprint: string;
}

/** A household's result in a run (written only for households with something to show). */
export interface StoredResult {
  householdId: number;
  rules: string[];
  subletScore: number | null;
  subletLevel: string | null;
  tasks: unknown[];
  members: { evaluation: unknown[]; excluded: unknown[] };
}

/** A recompute run as `GET /api/recompute/runs` lists it (ids are bigint: strings). */
export interface RunListRow {
  id: string;
  as_of: string;
  policy_version: string;
  mode: string;
  status: string;
  trigger: string;
  base_run_id: string | null;
  shards: number;
  households: number;
  evaluated: number;
  with_findings: number;
  counts: Record<string, unknown>;
  started_at: Date;
  finished_at: Date | null;
  /** A running run's finished shards and the households they evaluated (null once it has ended). */
  shards_done: number | null;
  households_done: number | null;
}

export interface VerdictHousehold {
  id: number;
  household_code: string;
  status: string;
  category: string | null;
  unit_code: string | null;
  address_text: string | null;
  project_code: string | null;
  project_name: string | null;
  town: string | null;
}

interface ResultRow {
  rules: string[];
  sublet_score: number | null;
  sublet_level: string | null;
  tasks: unknown[];
  members: { evaluation?: { personId: number }[]; excluded?: unknown[] } | null;
}

interface FindingRow {
  rule_code: string;
  level: string | null;
  score: number | null;
  evidence: unknown;
}

interface PersonRow {
  id: number;
  id_no: string;
  name: string;
}

interface ListRow {
  household_code: string;
  status: string;
  project_code: string | null;
  town: string | null;
  rule_code: string;
  level: string | null;
  score: number | null;
  name: string;
  explanation: string;
  declared: boolean | null;
}

/** The orders of the findings list (a column list each; never a client's text). */
export const FINDING_SORTS = {
  household: 'h.household_code, f.rule_code',
  rule: 'f.rule_code, h.household_code',
  score: 'f.score DESC NULLS LAST, h.household_code',
  town: 'p.town NULLS LAST, h.household_code, f.rule_code',
} as const;

/**
 * Whether the household declared the finding (主动申报), as its case records it: null when the
 * finding is on no case (yet).
 */
const FINDING_DECLARED = `(SELECT bool_or(cf.declared) FROM "case" c JOIN case_finding cf ON cf.case_id = c.id
                            WHERE c.household_id = f.household_id AND cf.rule_code = f.rule_code)`;

/** Filters of the findings list; values are bound, never inlined. */
export interface FindingsFilter {
  /** true: 主动申报; false: 瞒报 (on a case, not declared). */
  declared?: boolean;
  sort?: keyof typeof FINDING_SORTS;
  rule?: string;
  level?: string;
  project?: string;
  town?: string;
  status?: string;
}

/** Per-household result tables (carried over from the base run with the run and household ids). */
const CARRIED_OVER = [
  ['finding', 'rule_code, level, score, evidence, fingerprint'],
  ['household_result', 'rules, sublet_score, sublet_level, tasks, members'],
] as const;

const RUN_REF = `SELECT r.id, r.as_of::text AS as_of, p.version, r.mode, r.finished_at FROM recompute_run r JOIN policy_version p ON p.id = r.policy_version_id`;

interface RunRefRow {
  id: string;
  as_of: string;
  version: string;
  mode: string;
  finished_at: Date | null;
}

function runRef(row: RunRefRow | undefined): RunRef | null {
  return row ? { id: String(row.id), asOf: row.as_of, policyVersion: row.version, mode: row.mode, finishedAt: row.finished_at } : null;
}

/** A run's new, resolved and changed findings against another run (by household and rule). */
const AGAINST = `FROM (SELECT * FROM finding WHERE run_id = $1) n
                 FULL JOIN (SELECT * FROM finding WHERE run_id = $2) o USING (household_id, rule_code)`;

/**
 * The results of recompute runs: `finding` and `household_result`, written by the shards (in their
 * transactions) and read by the API and the CLI, with the runs as the API lists them.
 */
@Injectable()
export class FindingsRepository {
  constructor(private readonly db: DatabaseService) {}

  // ---------------------------------------------------------------- runs as read by the API

  /** The latest completed run for an as-of date (without one: the latest completed run). */
  async latestCompletedRun(asOf?: string): Promise<RunRef | null> {
    const { rows } = await this.db.pool.query<RunRefRow>(
      `${RUN_REF} WHERE r.status = 'completed' ${asOf ? 'AND r.as_of = $1' : ''} ORDER BY r.id DESC LIMIT 1`,
      asOf ? [asOf] : [],
    );
    return runRef(rows[0]);
  }

  async runRef(runId: string): Promise<RunRef | null> {
    const { rows } = await this.db.pool.query<RunRefRow>(`${RUN_REF} WHERE r.id = $1`, [runId]);
    return runRef(rows[0]);
  }

  async listRuns(limit: number): Promise<RunListRow[]> {
    const { rows } = await this.db.pool.query<RunListRow>(
      `SELECT r.id, r.as_of::text AS as_of, p.version AS policy_version, r.mode, r.status, r.trigger, r.base_run_id, r.shards, r.households, r.evaluated,
              r.with_findings, r.counts, r.started_at, r.finished_at, d.shards_done, d.households_done
         FROM recompute_run r JOIN policy_version p ON p.id = r.policy_version_id
         LEFT JOIN LATERAL (SELECT count(*)::int AS shards_done, coalesce(sum(s.evaluated), 0)::int AS households_done
                              FROM recompute_shard s WHERE s.run_id = r.id AND s.finished_at IS NOT NULL) d ON r.status = 'running'
        ORDER BY r.id DESC LIMIT $1`,
      [limit],
    );
    return rows;
  }

  /** The figures a finished run recorded (`counts.previousRunId` among them). */
  async runCounts(runId: string): Promise<{ id: string; counts: { previousRunId?: string | null } | null } | undefined> {
    return (await this.db.pool.query<{ id: string; counts: { previousRunId?: string | null } | null }>(`SELECT id, as_of, counts FROM recompute_run WHERE id = $1`, [runId])).rows[0];
  }

  // ---------------------------------------------------------------- reads of a run's results

  /** Households with at least one finding, in household code order. */
  async householdsWithFindings(runId: string) {
    const { rows } = await this.db.pool.query<{ household_code: string; rules: string[]; sublet_score: number | null; sublet_level: string | null }>(
      `SELECT h.household_code, r.rules, r.sublet_score, r.sublet_level FROM household_result r JOIN household h ON h.id = r.household_id
        WHERE r.run_id = $1 AND cardinality(r.rules) > 0 ORDER BY h.household_code`,
      [runId],
    );
    return rows;
  }

  /** A household with its unit and project, for its verdict. */
  async household(code: string, scope: Scope | undefined): Promise<VerdictHousehold | undefined> {
    const f = whereInScope(new SqlFilter([code]), scope);
    const { rows } = await this.db.pool.query<VerdictHousehold>(
      `SELECT h.id, h.household_code, h.status, h.category, u.unit_code, u.address_text, p.project_code, p.name AS project_name, p.town
         FROM household h ${HOUSEHOLD_PROJECT} WHERE h.household_code = $1${f.and}`,
      f.params,
    );
    return rows[0];
  }

  /** A household's result, findings and registered members in a run (read in parallel). */
  async verdictParts(runId: string, householdId: number) {
    const [result, findings, members] = await Promise.all([
      this.db.pool.query<ResultRow>(`SELECT rules, sublet_score, sublet_level, tasks, members FROM household_result WHERE run_id = $1 AND household_id = $2`, [runId, householdId]),
      this.db.pool.query<FindingRow>(`SELECT rule_code, level, score, evidence FROM finding WHERE run_id = $1 AND household_id = $2 ORDER BY rule_code`, [runId, householdId]),
      this.db.pool.query<PersonRow & { relation: string }>(
        `SELECT p.id, p.id_no, coalesce(m.name, p.name) AS name, m.relation FROM member m JOIN person p ON p.id = m.person_id WHERE m.household_id = $1 ORDER BY p.id`,
        [householdId],
      ),
    ]);
    return { result: result.rows[0], findings: findings.rows, members: members.rows };
  }

  async persons(ids: number[]): Promise<PersonRow[]> {
    return (await this.db.pool.query<PersonRow>(`SELECT id, id_no, name FROM person WHERE id = ANY($1)`, [ids])).rows;
  }

  /** One page of a run's findings with the total, filtered. */
  async page(runId: string, q: FindingsFilter, page: { page: number; pageSize: number }, scope: Scope | undefined) {
    const f = whereInScope(new SqlFilter([runId]), scope);
    if (q.rule) f.add('f.rule_code = ?', q.rule);
    if (q.level) f.add('f.level = ?', q.level);
    if (q.project) f.add('p.project_code = ?', q.project);
    if (q.town) f.add('p.town = ?', q.town);
    if (q.status) f.add('h.status = ?', q.status);
    if (q.declared !== undefined) f.add(`${FINDING_DECLARED} = ?`, q.declared);
    const from = `FROM finding f JOIN household h ON h.id = f.household_id ${HOUSEHOLD_PROJECT} WHERE f.run_id = $1${f.and}`;
    const total = (await this.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, f.params)).rows[0].n;
    const limit = pageClause(f.params, page);
    const rows = (
      await this.db.pool.query<ListRow>(
        `SELECT h.household_code, h.status, p.project_code, p.town, f.rule_code, f.level, f.score, f.evidence->>'name' AS name, f.evidence->>'explanation' AS explanation,
                ${FINDING_DECLARED} AS declared
         ${from} ORDER BY ${FINDING_SORTS[q.sort ?? 'household']} ${limit.sql}`,
        limit.params,
      )
    ).rows;
    return { total, rows };
  }

  /** Findings by rule and town (轮候 households, without a unit, under （轮候）). */
  async countsByRuleAndTown(runId: string, scope: Scope | undefined): Promise<{ rule_code: string; town: string; n: number }[]> {
    const f = whereInScope(new SqlFilter([runId]), scope);
    const { rows } = await this.db.pool.query<{ rule_code: string; town: string; n: number }>(
      `SELECT f.rule_code, coalesce(p.town, '（轮候）') AS town, count(*)::int AS n FROM finding f JOIN household h ON h.id = f.household_id
         ${HOUSEHOLD_PROJECT} WHERE f.run_id = $1${f.and} GROUP BY 1, 2 ORDER BY 1, 2`,
      f.params,
    );
    return rows;
  }

  /** A household's rules in each of the latest completed runs (newest first): its history across runs. */
  async history(householdId: number, limit: number): Promise<{ id: string; as_of: string; version: string; finished_at: Date | null; rules: string[] }[]> {
    const { rows } = await this.db.pool.query<{ id: string; as_of: string; version: string; finished_at: Date | null; rules: string[] }>(
      `SELECT r.id::text AS id, r.as_of::text AS as_of, p.version, r.finished_at,
              coalesce(array_agg(f.rule_code ORDER BY f.rule_code) FILTER (WHERE f.rule_code IS NOT NULL), '{}') AS rules
         FROM (SELECT * FROM recompute_run WHERE status = 'completed' ORDER BY id DESC LIMIT $2) r
         JOIN policy_version p ON p.id = r.policy_version_id
         LEFT JOIN finding f ON f.run_id = r.id AND f.household_id = $1
        GROUP BY r.id, r.as_of, p.version, r.finished_at ORDER BY r.id DESC`,
      [householdId, limit],
    );
    return rows;
  }

  /** Each finding new, resolved or changed in a run against an earlier one. */
  async changes(runId: string, previousRunId: string, scope: Scope | undefined): Promise<{ household_code: string; rule_code: string; change: string }[]> {
    const f = whereInScope(new SqlFilter([runId, previousRunId]), scope);
    const { rows } = await this.db.pool.query<{ household_code: string; rule_code: string; change: string }>(
      `SELECT h.household_code, coalesce(n.rule_code, o.rule_code) AS rule_code,
              CASE WHEN o.household_id IS NULL THEN 'new' WHEN n.household_id IS NULL THEN 'resolved' ELSE 'changed' END AS change
         ${AGAINST}
         JOIN household h ON h.id = coalesce(n.household_id, o.household_id) ${HOUSEHOLD_PROJECT}
        WHERE (o.household_id IS NULL OR n.household_id IS NULL OR n.fingerprint <> o.fingerprint)${f.and}
        ORDER BY 1, 2`,
      f.params,
    );
    return rows;
  }

  // ---------------------------------------------------------------- writes and figures, in the recompute's transactions

  /**
   * Households outside an incremental run's scope keep their results: copied from the base run,
   * for those still evaluated (active or waiting). Needs fresh statistics on recompute_scope.
   */
  async carryOver(c: PoolClient, runId: bigint, baseRunId: string): Promise<void> {
    for (const [table, columns] of CARRIED_OVER) {
      await c.query(
        `INSERT INTO ${table} (run_id, household_id, ${columns})
         SELECT $1::bigint, x.household_id, ${columns} FROM ${table} x
          WHERE x.run_id = $2 AND NOT EXISTS (SELECT 1 FROM recompute_scope s WHERE s.run_id = $1 AND s.household_id = x.household_id)
            AND EXISTS (SELECT 1 FROM household h WHERE h.id = x.household_id AND h.status IN ('active', 'waiting'))`,
        [runId, baseRunId],
      );
    }
  }

  /** Replaces the results of these households in a run with the given ones (COPY). */
  async replaceResults(c: PoolClient, runId: bigint, householdIds: number[], findings: StoredFinding[], results: StoredResult[]): Promise<void> {
    await c.query(`DELETE FROM finding WHERE run_id = $1 AND household_id = ANY($2)`, [runId, householdIds]);
    await c.query(`DELETE FROM household_result WHERE run_id = $1 AND household_id = ANY($2)`, [runId, householdIds]);
    if (findings.length) {
      await copyRows(
        c,
        'finding',
        ['run_id', 'household_id', 'rule_code', 'level', 'score', 'evidence', 'fingerprint'],
        findings.map((f) => [runId, f.householdId, f.ruleCode, f.level, f.score, JSON.stringify(f.evidence), f.fingerprint]),
      );
    }
    if (results.length) {
      await copyRows(
        c,
        'household_result',
        ['run_id', 'household_id', 'rules', 'sublet_score', 'sublet_level', 'tasks', 'members'],
        results.map((r) => [runId, r.householdId, `{${r.rules.join(',')}}`, r.subletScore, r.subletLevel, JSON.stringify(r.tasks), JSON.stringify(r.members)]),
      );
    }
  }

  async countByRule(c: PoolClient, runId: bigint): Promise<Record<string, number>> {
    const { rows } = await c.query<{ rule_code: string; n: number }>(`SELECT rule_code, count(*)::int AS n FROM finding WHERE run_id = $1 GROUP BY 1 ORDER BY 1`, [runId]);
    return Object.fromEntries(rows.map((r) => [r.rule_code, r.n]));
  }

  /** How many findings are new, resolved and changed in a run against an earlier one. */
  /** How many findings are new, resolved or changed against an earlier run; in a scope, of its households only. */
  async changeCounts(runId: bigint | string, previousRunId: string, scope?: Scope, c: PoolClient | Pool = this.db.pool): Promise<{ new: number; resolved: number; changed: number }> {
    const f = whereInScope(new SqlFilter([runId, previousRunId]), scope);
    const households = isCityWide(scope) ? '' : `JOIN household h ON h.id = coalesce(n.household_id, o.household_id) ${HOUSEHOLD_PROJECT}`;
    const { rows } = await c.query<{ new: number; resolved: number; changed: number }>(
      `SELECT count(*) FILTER (WHERE o.household_id IS NULL)::int AS new,
              count(*) FILTER (WHERE n.household_id IS NULL)::int AS resolved,
              count(*) FILTER (WHERE n.fingerprint <> o.fingerprint)::int AS changed
         ${AGAINST} ${households} WHERE true${f.and}`,
      f.params,
    );
    return rows[0];
  }

  async householdsWithFindingsCount(c: PoolClient, runId: bigint): Promise<number> {
    return (await c.query<{ n: number }>(`SELECT count(DISTINCT household_id)::int AS n FROM finding WHERE run_id = $1`, [runId])).rows[0].n;
  }
}
