import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { AdvisoryLock } from '../common/advisory-locks';
import { maskText } from '../common/masking';
import { pageClause } from '../common/pagination';
import { HOUSEHOLD_PROJECT, SqlFilter } from '../common/sql-filter';
import { type Scope, whereInScope } from '../auth/scope';
import { DatabaseService } from '../database/database.service';
import { CaseChanges, CaseKind, CaseStatus, MATTER_RULES } from './case-machine';

/** A case row as the service reads it before a step (locked FOR UPDATE). */
export interface CaseRow {
  id: string;
  householdId: number;
  kind: CaseKind;
  status: CaseStatus;
  nature: string | null;
  contestDeadline: string | null;
  deadline: string | null;
  inspectionResult: string | null;
  closed: boolean;
  outcome: string | null;
  /** The day the case was opened: a handover on or after it ends this case's occupation. */
  openedOn: string;
  confirmedAt: string | null;
  noticeAt: string | null;
}

/** The facts a step's guards read besides the row. */
export interface CaseFacts {
  openRules: string[];
  dismissedBy: string[];
  otherOpenCase: string | null;
}

/** A timeline entry (case_event, append-only). */
export interface CaseEventRow {
  caseId: string;
  actor: string;
  role: string;
  action: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

/** A case as `GET /api/cases/:id` shows it: dates as text. */
export interface CaseViewRow {
  id: string;
  household_code: string;
  kind: CaseKind;
  status: CaseStatus;
  nature: string | null;
  declared: boolean;
  opened_at: Date;
  inspection_due: string | null;
  inspection_result: string | null;
  confirmed_at: string | null;
  confirmed_by: string | null;
  contest_deadline: string | null;
  notice_at: string | null;
  deadline: string | null;
  market_rent_from: string | null;
  overdue_at: string | null;
  closed_at: Date | null;
  outcome: string | null;
  assignee_id: number | null;
  assignee_username: string | null;
  assignee_name: string | null;
  determination_served_on: string | null;
  determination_served_method: string | null;
  notice_served_on: string | null;
  notice_served_method: string | null;
}

export interface CaseFindingViewRow {
  rule_code: string;
  status: string;
  declared: boolean;
  name: string | null;
  explanation: string | null;
  resolved_at: Date | null;
}

export interface CaseEventViewRow {
  at: Date;
  actor: string;
  role: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
}

export interface CaseMeasureViewRow {
  measure: string;
  taken_on: string;
  progress: string;
  recorded_by: string;
  at: Date;
}

/** A case of the list: its head, its project and town, and its open findings' rules. */
export interface CaseListRow
  extends Pick<CaseViewRow, 'id' | 'household_code' | 'kind' | 'status' | 'nature' | 'declared' | 'deadline' | 'assignee_id' | 'assignee_username' | 'assignee_name'> {
  project_code: string | null;
  town: string | null;
  rules: string[] | null;
}

interface CaseRowRaw {
  id: string;
  household_id: number;
  kind: CaseKind;
  status: CaseStatus;
  nature: string | null;
  contest_deadline: string | null;
  deadline: string | null;
  inspection_result: string | null;
  closed: boolean;
  outcome: string | null;
  opened_on: string;
  confirmed_at: string | null;
  notice_at: string | null;
}

export interface CaseListQuery {
  status?: string;
  kind?: string;
  /** 'eligibility' (资格不符) or 'violation' (违规). */
  nature?: string;
  project?: string;
  town?: string;
  householdCode?: string;
  inspectionPastDue?: boolean;
  /** Open cases assigned to this user (我的待办). */
  assigneeId?: number;
  notKind?: string;
  openOnly?: boolean;
  /** A stage of the 工作台's funnel (CASE_STAGES): the cases that reached it. */
  stage?: keyof typeof CASE_STAGES;
  page: number;
  pageSize: number;
}

/** The funnel's stages: exit cases found, confirmed, noticed, ever 应退未退, exited, dismissed (fixed SQL, never a client's text). */
export const CASE_STAGES = {
  found: `c.kind <> 'tenant_change'`,
  confirmed: `c.confirmed_at IS NOT NULL`,
  noticed: `c.notice_at IS NOT NULL`,
  overdue: `c.overdue_at IS NOT NULL`,
  exited: `c.outcome = 'exited'`,
  dismissed: `c.outcome = 'dismissed'`,
} as const;

/** The case's assignee (a user), joined as `a`. */
const ASSIGNEE_JOIN = 'LEFT JOIN app_user a ON a.id = c.assignee_id';
const ASSIGNEE_COLUMNS = 'c.assignee_id, a.username AS assignee_username, a.display_name AS assignee_name';

const ROW = `c.id::text AS id, c.household_id, c.kind, c.status, c.nature, c.contest_deadline::text AS contest_deadline, c.deadline::text AS deadline,
  c.inspection_result, c.closed_at IS NOT NULL AS closed, c.outcome, c.opened_at::date::text AS opened_on,
  c.confirmed_at::text AS confirmed_at, c.notice_at::text AS notice_at`;

const toRow = (r: CaseRowRaw): CaseRow => ({
  id: r.id,
  householdId: r.household_id,
  kind: r.kind,
  status: r.status,
  nature: r.nature,
  contestDeadline: r.contest_deadline,
  deadline: r.deadline,
  inspectionResult: r.inspection_result,
  closed: r.closed,
  outcome: r.outcome,
  openedOn: r.opened_on,
  confirmedAt: r.confirmed_at,
  noticeAt: r.notice_at,
});

/** The columns a step may set (CaseChanges), the only names written into an UPDATE. */
const SETTABLE = new Set<string>([
  'status', 'updated_at', 'inspection_due', 'inspection_result', 'confirmed_at', 'confirmed_by', 'contest_deadline',
  'notice_at', 'deadline', 'market_rent_from', 'overdue_at', 'closed_at', 'outcome',
  'determination_served_on', 'determination_served_method', 'notice_served_on', 'notice_served_method',
] satisfies (keyof CaseChanges)[]);

/** The date columns a scheduled step may wait on. */
const DUE_COLUMNS = new Set(['contest_deadline', 'deadline']);

/**
 * Outcomes by which a reviewer settled a case's findings without an exit: dismissed as 误报,
 * overturned on contest, or (for 轮候) removed from the waiting list already. A finding settled
 * so opens no new case, and joins none, while its evidence stays the same.
 */
const SETTLED_OUTCOMES = `'dismissed', 'overturned', 'removed_from_waiting'`;

/**
 * The run's findings that are not settled: a finding whose rule and evidence fingerprint
 * (case_evidence_fingerprint: its records' (source, recordId, updatedAt) and the policy version)
 * match a finding of a settled case of the same household is left out. $1 is the run.
 */
const LIVE_FINDINGS = `
  SELECT f.household_id, f.rule_code, f.evidence, case_evidence_fingerprint(f.evidence) AS fp
    FROM finding f
   WHERE f.run_id = $1
     AND NOT EXISTS (
       SELECT 1 FROM "case" k JOIN case_finding cf ON cf.case_id = k.id
        WHERE k.household_id = f.household_id AND k.closed_at IS NOT NULL AND k.outcome IN (${SETTLED_OUTCOMES})
          AND cf.rule_code = f.rule_code AND cf.status = 'open' AND cf.evidence_fingerprint = case_evidence_fingerprint(f.evidence))`;

/** States before confirmation: the only ones a run may change (join, resolve, close). */
const UNCONFIRMED = `('open', 'inspection', 'inspected')`;

/** A finding declared by the household (主动申报): a declaration of its matter (MATTER_RULES), or of a marriage for a spouse's finding. */
const DECLARED = Object.entries(MATTER_RULES)
  .map(([matter, rules]) => `(d.matter = '${matter}' AND f.rule_code IN (${rules.map((r) => `'${r}'`).join(', ')}))`)
  .concat(`(d.matter = 'marriage' AND f.evidence->>'explanation' LIKE '%配偶%')`)
  .join(' OR ');

/**
 * Every query on "case", case_finding, case_event and case_measure, and the reads of findings,
 * households and handovers the cases need. Methods taking a client run in the caller's transaction.
 */
@Injectable()
export class CasesRepository {
  constructor(private readonly db: DatabaseService) {}

  // ---------------------------------------------------------------- steps

  /** The cases, locked for a step (FOR UPDATE), in id order. */
  async lock(c: PoolClient, ids: string[]): Promise<CaseRow[]> {
    const { rows } = await c.query<CaseRowRaw>(`SELECT ${ROW} FROM "case" c WHERE c.id = ANY($1::bigint[]) ORDER BY c.id FOR UPDATE`, [ids]);
    return rows.map(toRow);
  }

  /**
   * The cases in state `from` whose `after` date has passed on `on`, locked. A case another pass
   * moved meanwhile no longer matches once its lock is released, and is left out.
   */
  async lockDue(c: PoolClient, from: CaseStatus, after: string, on: string): Promise<CaseRow[]> {
    if (!DUE_COLUMNS.has(after)) throw new Error(`not a due date column: ${after}`);
    const { rows } = await c.query<CaseRowRaw>(`SELECT ${ROW} FROM "case" c WHERE c.status = $1 AND c.${after} < $2 ORDER BY c.id FOR UPDATE`, [from, on]);
    return rows.map(toRow);
  }

  /** Open cases (not tasks) of households with a handover on or after the case was opened, with the latest such date; locked. */
  async lockHandedOver(c: PoolClient): Promise<(CaseRow & { handedOverOn: string })[]> {
    const { rows } = await c.query<CaseRowRaw & { handed_over_on: string }>(
      `SELECT ${ROW}, (SELECT max(ho.handed_over_on)::text FROM handover ho WHERE ho.household_id = c.household_id AND ho.handed_over_on >= c.opened_at::date) AS handed_over_on
         FROM "case" c
        WHERE c.closed_at IS NULL AND c.kind <> 'tenant_change'
          AND EXISTS (SELECT 1 FROM handover ho WHERE ho.household_id = c.household_id AND ho.handed_over_on >= c.opened_at::date)
        ORDER BY c.id FOR UPDATE`,
    );
    return rows.map((r) => ({ ...toRow(r), handedOverOn: r.handed_over_on }));
  }

  /** The guards' facts of each case: its open findings, who dismissed it, another open case of its household. */
  async facts(c: PoolClient, ids: string[]): Promise<Map<string, CaseFacts>> {
    const { rows } = await c.query<{ id: string; open_rules: string[]; dismissed_by: string[]; other_open_case: string | null }>(
      `SELECT c.id::text AS id,
              ARRAY(SELECT cf.rule_code FROM case_finding cf WHERE cf.case_id = c.id AND cf.status = 'open' ORDER BY cf.rule_code) AS open_rules,
              ARRAY(SELECT DISTINCT e.actor FROM case_event e WHERE e.case_id = c.id AND e.action = 'dismiss') AS dismissed_by,
              (SELECT o.id::text FROM "case" o WHERE o.household_id = c.household_id AND o.closed_at IS NULL AND o.id <> c.id ORDER BY o.id LIMIT 1) AS other_open_case
         FROM "case" c WHERE c.id = ANY($1::bigint[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { openRules: r.open_rules, dismissedBy: r.dismissed_by, otherOpenCase: r.other_open_case }]));
  }

  /** Writes the steps' changes: one UPDATE per set of columns changed (one for a pass of one kind). */
  async update(c: PoolClient, changes: { id: string; set: CaseChanges }[]): Promise<void> {
    const groups = new Map<string, { id: string; set: CaseChanges }[]>();
    for (const ch of changes) {
      const key = Object.keys(ch.set).sort().join(',');
      const group = groups.get(key);
      if (group) group.push(ch);
      else groups.set(key, [ch]);
    }
    for (const [key, group] of groups) {
      const cols = key.split(',');
      for (const col of cols) if (!SETTABLE.has(col)) throw new Error(`not a settable case column: ${col}`);
      await c.query(
        `UPDATE "case" c SET ${cols.map((col) => `${col} = x.${col}`).join(', ')}
           FROM jsonb_populate_recordset(NULL::"case", $1::jsonb) AS x WHERE c.id = x.id`,
        [JSON.stringify(group.map((g) => ({ ...g.set, id: g.id })))],
      );
    }
  }

  /** Appends timeline entries, in the order given. */
  async insertEvents(c: PoolClient, events: CaseEventRow[]): Promise<void> {
    if (!events.length) return;
    const rows = events.map((e) => ({
      case_id: e.caseId,
      actor: e.actor,
      role: e.role,
      action: e.action,
      from_status: e.fromStatus ?? null,
      to_status: e.toStatus ?? null,
      // The timeline is shown to every role in scope: an ID number someone typed in a reason is masked.
      reason: e.reason == null ? null : maskText(e.reason),
      detail: JSON.parse(JSON.stringify(e.detail ?? {}, (_k, v: unknown) => (typeof v === 'string' ? maskText(v) : v))) as Record<string, unknown>,
    }));
    await c.query(
      `INSERT INTO case_event (case_id, actor, role, action, from_status, to_status, reason, detail)
       SELECT x.case_id, x.actor, x.role, x.action, x.from_status, x.to_status, x.reason, x.detail
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (case_id bigint, actor text, role text, action text, from_status text, to_status text, reason text, detail jsonb))
              WITH ORDINALITY AS x(case_id, actor, role, action, from_status, to_status, reason, detail, n)
        ORDER BY x.n`,
      [JSON.stringify(rows)],
    );
  }

  async insertMeasures(c: PoolClient, measures: { caseId: string; measure: string; takenOn: string; progress: string; recordedBy: string }[]): Promise<void> {
    if (!measures.length) return;
    await c.query(
      `INSERT INTO case_measure (case_id, measure, taken_on, progress, recorded_by)
       SELECT x.case_id, x.measure, x.taken_on, x.progress, x.recorded_by
         FROM unnest($1::bigint[], $2::text[], $3::date[], $4::text[], $5::text[]) WITH ORDINALITY AS x(case_id, measure, taken_on, progress, recorded_by, n)
        ORDER BY x.n`,
      [measures.map((m) => m.caseId), measures.map((m) => m.measure), measures.map((m) => m.takenOn), measures.map((m) => m.progress), measures.map((m) => m.recordedBy)],
    );
  }

  /**
   * Ends households' occupation (registry.md): a handover is recorded (unless one dated on or after
   * `since` is already) and the household is 已退出, so no later run evaluates it. It keeps its
   * unit, so its closed case still counts under its project.
   */
  async endOccupations(c: PoolClient, items: { householdId: number; on: string; since: string }[]): Promise<void> {
    if (!items.length) return;
    const ids = items.map((i) => i.householdId);
    await c.query(
      `INSERT INTO handover (household_id, unit_id, handed_over_on)
       SELECT h.id, h.unit_id, x.handed_over_on
         FROM unnest($1::int[], $2::date[], $3::date[]) AS x(household_id, handed_over_on, since) JOIN household h ON h.id = x.household_id
        WHERE h.unit_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM handover ho WHERE ho.household_id = h.id AND ho.handed_over_on >= x.since)
       ON CONFLICT DO NOTHING`,
      [ids, items.map((i) => i.on), items.map((i) => i.since)],
    );
    await this.markExited(c, ids);
  }

  async markExited(c: PoolClient, householdIds: number[]): Promise<void> {
    await c.query(`UPDATE household SET status = 'exited', updated_at = now() WHERE id = ANY($1::int[]) AND status = 'active'`, [householdIds]);
  }

  /** Inspections still open past their due date on `on`. */
  async inspectionsPastDue(c: PoolClient, on: string): Promise<number> {
    return (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "case" WHERE status = 'inspection' AND inspection_due < $1`, [on])).rows[0].n;
  }

  // ---------------------------------------------------------------- handovers over the API

  async householdByCode(code: string, scope: Scope | undefined): Promise<{ id: number; unitId: number | null; leaseStart: string | null } | null> {
    const f = whereInScope(new SqlFilter([code]), scope);
    const h = (
      await this.db.pool.query<{ id: number; unit_id: number | null; lease_start: string | null }>(
        `SELECT h.id, h.unit_id, h.lease_start::text AS lease_start FROM household h ${HOUSEHOLD_PROJECT} WHERE h.household_code = $1${f.and}`,
        f.params,
      )
    ).rows[0];
    return h ? { id: h.id, unitId: h.unit_id, leaseStart: h.lease_start } : null;
  }

  async lockHousehold(c: PoolClient, householdId: number): Promise<void> {
    await c.query(`SELECT 1 FROM household WHERE id = $1 FOR UPDATE`, [householdId]);
  }

  async insertHandover(c: PoolClient, householdId: number, unitId: number, on: string): Promise<void> {
    await c.query(`INSERT INTO handover (household_id, unit_id, handed_over_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [householdId, unitId, on]);
  }

  /** The household's open case that a handover closes (not a 承租人变更 task). */
  async openExitCaseOf(c: PoolClient, householdId: number): Promise<string | null> {
    const r = (await c.query<{ id: string }>(`SELECT id::text AS id FROM "case" WHERE household_id = $1 AND closed_at IS NULL AND kind <> 'tenant_change'`, [householdId])).rows[0];
    return r ? r.id : null;
  }

  // ---------------------------------------------------------------- the cases pass after a run

  /** One cases pass at a time. */
  async lockFollowRun(c: PoolClient): Promise<void> {
    await c.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.CasesFollowRun]);
  }

  /** The newest completed run of the newest as-of date: the only one that speaks for the present. */
  async newestCompletedRun(c: PoolClient): Promise<bigint | null> {
    const r = (
      await c.query<{ id: string }>(
        `SELECT id FROM recompute_run WHERE status = 'completed' AND as_of = (SELECT max(as_of) FROM recompute_run WHERE status = 'completed')
          ORDER BY id DESC LIMIT 1`,
      )
    ).rows[0];
    return r ? BigInt(r.id) : null;
  }

  /** A case per household with live findings and no open case: `exit`, or `waiting_removal` for 轮候. Returns their ids. */
  async openCasesFromFindings(c: PoolClient, run: bigint): Promise<string[]> {
    const { rows } = await c.query<{ id: string }>(
      `WITH live AS (${LIVE_FINDINGS})
       INSERT INTO "case" (household_id, kind, status, nature, opened_run_id)
       SELECT f.household_id, CASE WHEN h.status = 'waiting' THEN 'waiting_removal' ELSE 'exit' END, 'open',
              CASE WHEN bool_or(f.evidence->>'nature' = 'eligibility') THEN 'eligibility' ELSE 'violation' END, $1
         FROM live f JOIN household h ON h.id = f.household_id
        WHERE NOT EXISTS (SELECT 1 FROM "case" c WHERE c.household_id = f.household_id AND c.closed_at IS NULL)
        GROUP BY f.household_id, h.status
       RETURNING id::text AS id`,
      [run],
    );
    return rows.map((r) => r.id);
  }

  /** A 承租人变更 task per household whose result carries tasks and that has no open case. Returns their ids. */
  async openTasks(c: PoolClient, run: bigint): Promise<string[]> {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO "case" (household_id, kind, status, opened_run_id)
       SELECT r.household_id, 'tenant_change', 'open', $1 FROM household_result r
        WHERE r.run_id = $1 AND jsonb_array_length(r.tasks) > 0
          AND NOT EXISTS (SELECT 1 FROM "case" c WHERE c.household_id = r.household_id AND c.closed_at IS NULL)
       RETURNING id::text AS id`,
      [run],
    );
    return rows.map((r) => r.id);
  }

  /** Live findings join their household's unconfirmed open case (or refresh their evidence), with whether each was declared (主动申报). */
  async joinFindings(c: PoolClient, run: bigint): Promise<void> {
    await c.query(
      `WITH live AS (${LIVE_FINDINGS})
       INSERT INTO case_finding (case_id, rule_code, status, declared, first_run_id, last_run_id, evidence, evidence_fingerprint)
       SELECT c.id, f.rule_code, 'open',
              EXISTS (SELECT 1 FROM declaration d WHERE d.household_id = c.household_id AND d.declared_on <= c.opened_at::date AND (${DECLARED})),
              $1, $1, f.evidence, f.fp
         FROM live f JOIN "case" c ON c.household_id = f.household_id AND c.closed_at IS NULL AND c.kind <> 'tenant_change' AND c.status IN ${UNCONFIRMED}
       ON CONFLICT (case_id, rule_code) DO UPDATE SET last_run_id = excluded.last_run_id, evidence = excluded.evidence,
          evidence_fingerprint = excluded.evidence_fingerprint, status = 'open', resolved_at = NULL`,
      [run],
    );
  }

  /** Open findings of unconfirmed cases that the run no longer has: marked resolved. */
  async resolveMissingFindings(c: PoolClient, run: bigint): Promise<{ caseId: string; rule: string; name: string | null }[]> {
    const { rows } = await c.query<{ case_id: string; rule_code: string; name: string | null }>(
      `UPDATE case_finding cf SET status = 'resolved', resolved_at = now()
         FROM "case" c
        WHERE cf.case_id = c.id AND c.closed_at IS NULL AND c.status IN ${UNCONFIRMED} AND cf.status = 'open'
          AND NOT EXISTS (SELECT 1 FROM finding f WHERE f.run_id = $1 AND f.household_id = c.household_id AND f.rule_code = cf.rule_code)
       RETURNING cf.case_id::text AS case_id, cf.rule_code, cf.evidence->>'name' AS name`,
      [run],
    );
    return rows.map((r) => ({ caseId: r.case_id, rule: r.rule_code, name: r.name }));
  }

  /** Unconfirmed cases (not tasks) left without an open finding: closed as resolved. Returns their ids. */
  async closeResolved(c: PoolClient): Promise<string[]> {
    const { rows } = await c.query<{ id: string }>(
      `UPDATE "case" c SET status = 'closed', closed_at = now(), outcome = 'resolved', updated_at = now()
        WHERE c.closed_at IS NULL AND c.kind <> 'tenant_change' AND c.status IN ${UNCONFIRMED}
          AND NOT EXISTS (SELECT 1 FROM case_finding cf WHERE cf.case_id = c.id AND cf.status = 'open')
       RETURNING c.id::text AS id`,
    );
    return rows.map((r) => r.id);
  }

  /** Unconfirmed cases' 主动申报 (all their open findings declared) and nature (资格不符 if any finding is). */
  async refreshDeclaredAndNature(c: PoolClient): Promise<void> {
    await c.query(
      `UPDATE "case" c SET declared = x.declared,
              nature = CASE WHEN x.eligibility THEN 'eligibility' ELSE 'violation' END
         FROM (SELECT cf.case_id, bool_and(cf.declared) AS declared, bool_or(cf.evidence->>'nature' = 'eligibility') AS eligibility
                 FROM case_finding cf WHERE cf.status = 'open' GROUP BY cf.case_id) x
        WHERE c.id = x.case_id AND c.closed_at IS NULL AND c.status IN ${UNCONFIRMED}`,
    );
  }

  // ---------------------------------------------------------------- reads

  /** A case with its household code and dates as text; null when there is none. */
  async view(id: string, scope: Scope | undefined): Promise<CaseViewRow | null> {
    const f = whereInScope(new SqlFilter([id]), scope);
    const { rows } = await this.db.pool.query<CaseViewRow>(
      `SELECT c.*, c.confirmed_at::text AS confirmed_at, c.contest_deadline::text AS contest_deadline, c.notice_at::text AS notice_at,
              c.deadline::text AS deadline, c.market_rent_from::text AS market_rent_from, c.overdue_at::text AS overdue_at,
              c.inspection_due::text AS inspection_due, c.determination_served_on::text AS determination_served_on,
              c.notice_served_on::text AS notice_served_on, h.household_code, ${ASSIGNEE_COLUMNS}
         FROM "case" c JOIN household h ON h.id = c.household_id ${HOUSEHOLD_PROJECT} ${ASSIGNEE_JOIN} WHERE c.id = $1${f.and}`,
      f.params,
    );
    return rows[0] ?? null;
  }

  async findings(id: string): Promise<CaseFindingViewRow[]> {
    return (
      await this.db.pool.query<CaseFindingViewRow>(
        `SELECT rule_code, status, declared, evidence->>'name' AS name, evidence->>'explanation' AS explanation, resolved_at FROM case_finding WHERE case_id = $1 ORDER BY rule_code`,
        [id],
      )
    ).rows;
  }

  async events(id: string): Promise<CaseEventViewRow[]> {
    return (await this.db.pool.query<CaseEventViewRow>(`SELECT at, actor, role, action, from_status, to_status, reason FROM case_event WHERE case_id = $1 ORDER BY id`, [id])).rows;
  }

  async measures(id: string): Promise<CaseMeasureViewRow[]> {
    return (await this.db.pool.query<CaseMeasureViewRow>(`SELECT measure, taken_on::text AS taken_on, progress, recorded_by, at FROM case_measure WHERE case_id = $1 ORDER BY id`, [id])).rows;
  }

  /** A page of the case list and the total; `on` is the day an inspection counts as past due after. */
  async list(q: CaseListQuery, on: string, scope: Scope | undefined): Promise<{ total: number; rows: CaseListRow[] }> {
    const f = whereInScope(new SqlFilter(), scope);
    if (q.status) f.add('c.status = ?', q.status);
    if (q.kind) f.add('c.kind = ?', q.kind);
    if (q.nature) f.add('c.nature = ?', q.nature);
    if (q.project) f.add('p.project_code = ?', q.project);
    if (q.town) f.add('p.town = ?', q.town);
    if (q.householdCode) f.add('h.household_code = ?', q.householdCode);
    if (q.inspectionPastDue) f.add(`c.status = 'inspection' AND c.inspection_due < ?`, on);
    if (q.assigneeId !== undefined) f.add('c.assignee_id = ? AND c.closed_at IS NULL', q.assigneeId);
    if (q.notKind) f.add('c.kind <> ?', q.notKind);
    if (q.openOnly) f.add('c.closed_at IS NULL');
    if (q.stage) f.add(CASE_STAGES[q.stage]);
    const from = `FROM "case" c JOIN household h ON h.id = c.household_id ${HOUSEHOLD_PROJECT} ${ASSIGNEE_JOIN} WHERE true${f.and}`;
    const total = (await this.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, f.params)).rows[0].n;
    const page = pageClause(f.params, q);
    const { rows } = await this.db.pool.query<CaseListRow>(
      `SELECT c.id, h.household_code, c.kind, c.status, c.nature, c.declared, c.deadline::text AS deadline, p.project_code, p.town, ${ASSIGNEE_COLUMNS},
              (SELECT array_agg(rule_code ORDER BY rule_code) FROM case_finding cf WHERE cf.case_id = c.id AND cf.status = 'open') AS rules
       ${from} ORDER BY c.id ${page.sql}`,
      page.params,
    );
    return { total, rows };
  }
}
