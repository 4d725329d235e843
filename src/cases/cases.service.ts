import { Injectable, Logger } from '@nestjs/common';
import { PoolClient } from 'pg';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { Actor, SYSTEM_ACTOR } from '../auth/actor';
import { addDays } from '../common/dates';
import { DomainError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { SqlFilter } from '../common/sql-filter';
import { AdvisoryLock } from '../common/advisory-locks';
import { today } from '../common/clock';
import type { PolicyParameters } from '../policy/policy.schema';
import { PolicyService } from '../policy/policy.service';
import { CaseAction, CaseKind, CaseStatus, MATTER_RULES, MEASURES, nextActions, STATUS_LABEL, TRANSITIONS } from './case-machine';
import { isoDate } from '../common/schemas';

export const actionBodies = {
  order_inspection: z.object({ dueDays: z.number().int().min(1).max(365).optional(), reason: z.string().trim().min(1).optional() }),
  record_inspection: z.object({ result: z.enum(['confirmed', 'not_found']), reason: z.string().trim().min(2, '请填写核查情况') }),
  confirm: z.object({ reason: z.string().trim().min(2, '请填写认定理由') }),
  dismiss: z.object({ reason: z.string().trim().min(2, '请填写误报原因') }),
  reopen: z.object({ reason: z.string().trim().min(2, '请填写重新打开的原因') }),
  contest: z.object({ reason: z.string().trim().min(2, '请填写申辩内容') }),
  decide_contest: z.object({ decision: z.enum(['upheld', 'overturned']), reason: z.string().trim().min(2, '请填写复核意见') }),
  issue_notice: z.object({ reason: z.string().trim().optional() }),
  mark_overdue: z.object({ reason: z.string().trim().optional() }),
  record_measure: z.object({ measure: z.enum(MEASURES), takenOn: isoDate, progress: z.string().trim().min(1, '请填写进展') }),
  handover: z.object({ handedOverOn: isoDate.optional(), reason: z.string().trim().optional() }),
  complete_task: z.object({ reason: z.string().trim().min(2, '请说明变更情况') }),
} satisfies Record<CaseAction, z.ZodType>;

interface CaseRow {
  id: string;
  household_id: number;
  kind: CaseKind;
  status: CaseStatus;
  nature: string | null;
  contest_deadline: string | null;
  deadline: string | null;
  inspection_result: string | null;
  closed_at: Date | null;
  outcome: string | null;
  opened_on: string;
}

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

/** Cases from findings, the lifecycle of policy.md C, deadlines and handovers. */
@Injectable()
export class CasesService {
  private readonly log = new Logger('cases');

  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
    private readonly policies: PolicyService,
  ) {}

  /**
   * After a completed run (of the newest as-of date): opens a case per household with findings
   * that are not settled and no open case, joins new findings to unconfirmed open cases, marks
   * findings that disappeared before confirmation as resolved (closing cases left with none), and
   * records 主动申报 per finding. A confirmed case is left as it is.
   */
  async syncFromRun(runIdText: string): Promise<{ opened: number; resolved: number; closed: number; tasks: number }> {
    // Handovers from the ledger close their cases first (as exited): a run must not find a case
    // of a household that has left "resolved".
    await this.applyHandovers();
    const run = BigInt(runIdText);
    return this.db.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.CasesSync]);
      // Only the newest completed run of the newest as-of date speaks for the present: a run that
      // was planned earlier (on older data) but finished later must not resolve findings.
      const newest = (
        await c.query(
          `SELECT id FROM recompute_run WHERE status = 'completed' AND as_of = (SELECT max(as_of) FROM recompute_run WHERE status = 'completed')
            ORDER BY id DESC LIMIT 1`,
        )
      ).rows[0];
      if (!newest || BigInt(newest.id) !== run) return { opened: 0, resolved: 0, closed: 0, tasks: 0 };
      const opened = await c.query(
        `WITH live AS (${LIVE_FINDINGS})
         INSERT INTO "case" (household_id, kind, status, nature, opened_run_id)
         SELECT f.household_id, CASE WHEN h.status = 'waiting' THEN 'waiting_removal' ELSE 'exit' END, 'open',
                CASE WHEN bool_or(f.evidence->>'nature' = 'eligibility') THEN 'eligibility' ELSE 'violation' END, $1
           FROM live f JOIN household h ON h.id = f.household_id
          WHERE NOT EXISTS (SELECT 1 FROM "case" c WHERE c.household_id = f.household_id AND c.closed_at IS NULL)
          GROUP BY f.household_id, h.status
         RETURNING id`,
        [run],
      );
      const tasks = await c.query(
        `INSERT INTO "case" (household_id, kind, status, opened_run_id)
         SELECT r.household_id, 'tenant_change', 'open', $1 FROM household_result r
          WHERE r.run_id = $1 AND jsonb_array_length(r.tasks) > 0
            AND NOT EXISTS (SELECT 1 FROM "case" c WHERE c.household_id = r.household_id AND c.closed_at IS NULL)
         RETURNING id`,
        [run],
      );
      const created = [...opened.rows, ...tasks.rows].map((r) => r.id);
      if (created.length) {
        await c.query(
          `INSERT INTO case_event (case_id, actor, role, action, to_status, detail)
           SELECT id, 'system', 'system', 'open', 'open', jsonb_build_object('runId', $2::text) FROM unnest($1::bigint[]) AS id`,
          [created, runIdText],
        );
      }
      const declared = Object.entries(MATTER_RULES)
        .map(([matter, rules]) => `(d.matter = '${matter}' AND f.rule_code IN (${rules.map((r) => `'${r}'`).join(', ')}))`)
        .concat(`(d.matter = 'marriage' AND f.evidence->>'explanation' LIKE '%配偶%')`)
        .join(' OR ');
      await c.query(
        `WITH live AS (${LIVE_FINDINGS})
         INSERT INTO case_finding (case_id, rule_code, status, declared, first_run_id, last_run_id, evidence, evidence_fingerprint)
         SELECT c.id, f.rule_code, 'open',
                EXISTS (SELECT 1 FROM declaration d WHERE d.household_id = c.household_id AND d.declared_on <= c.opened_at::date AND (${declared})),
                $1, $1, f.evidence, f.fp
           FROM live f JOIN "case" c ON c.household_id = f.household_id AND c.closed_at IS NULL AND c.kind <> 'tenant_change' AND c.status IN ${UNCONFIRMED}
         ON CONFLICT (case_id, rule_code) DO UPDATE SET last_run_id = excluded.last_run_id, evidence = excluded.evidence,
            evidence_fingerprint = excluded.evidence_fingerprint, status = 'open', resolved_at = NULL`,
        [run],
      );
      const resolved = await c.query(
        `UPDATE case_finding cf SET status = 'resolved', resolved_at = now()
           FROM "case" c
          WHERE cf.case_id = c.id AND c.closed_at IS NULL AND c.status IN ${UNCONFIRMED} AND cf.status = 'open'
            AND NOT EXISTS (SELECT 1 FROM finding f WHERE f.run_id = $1 AND f.household_id = c.household_id AND f.rule_code = cf.rule_code)
         RETURNING cf.case_id, cf.rule_code, cf.evidence->>'name' AS name`,
        [run],
      );
      if (resolved.rows.length) {
        await c.query(
          `INSERT INTO case_event (case_id, actor, role, action, reason, detail)
           SELECT x.case_id, 'system', 'system', 'resolve_finding', '问题已消除: ' || coalesce(x.name, x.rule), jsonb_build_object('rule', x.rule, 'runId', $4::text)
             FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(case_id, rule, name)`,
          [resolved.rows.map((r) => r.case_id), resolved.rows.map((r) => r.rule_code), resolved.rows.map((r) => r.name), runIdText],
        );
      }
      const closed = await c.query(
        `UPDATE "case" c SET status = 'closed', closed_at = now(), outcome = 'resolved', updated_at = now()
          WHERE c.closed_at IS NULL AND c.kind <> 'tenant_change' AND c.status IN ('open', 'inspection', 'inspected')
            AND NOT EXISTS (SELECT 1 FROM case_finding cf WHERE cf.case_id = c.id AND cf.status = 'open')
         RETURNING c.id`,
      );
      if (closed.rows.length) {
        await c.query(
          `INSERT INTO case_event (case_id, actor, role, action, to_status, reason)
           SELECT id, 'system', 'system', 'resolve', 'closed', '所有问题在认定前已消除' FROM unnest($1::bigint[]) AS id`,
          [closed.rows.map((r) => r.id)],
        );
      }
      await c.query(
        `UPDATE "case" c SET declared = x.declared,
                nature = CASE WHEN x.eligibility THEN 'eligibility' ELSE 'violation' END
           FROM (SELECT cf.case_id, bool_and(cf.declared) AS declared, bool_or(cf.evidence->>'nature' = 'eligibility') AS eligibility
                   FROM case_finding cf WHERE cf.status = 'open' GROUP BY cf.case_id) x
          WHERE c.id = x.case_id AND c.closed_at IS NULL AND c.status IN ('open', 'inspection', 'inspected')`,
      );
      const out = { opened: opened.rows.length, resolved: resolved.rowCount ?? 0, closed: closed.rows.length, tasks: tasks.rows.length };
      this.log.log(`run ${runIdText}: cases opened ${out.opened}, tasks ${out.tasks}, findings resolved ${out.resolved}, cases closed ${out.closed}`);
      return out;
    });
  }

  private async load(c: PoolClient, id: string): Promise<CaseRow> {
    if (!/^\d+$/.test(id)) throw new DomainError('NOT_FOUND', `案件不存在: ${id}`);
    const row = (
      await c.query(
        `SELECT id, household_id, kind, status, nature, contest_deadline::text, deadline::text, inspection_result, closed_at, outcome, opened_at::date::text AS opened_on
           FROM "case" WHERE id = $1 FOR UPDATE`,
        [id],
      )
    ).rows[0];
    if (!row) throw new DomainError('NOT_FOUND', `案件不存在: ${id}`);
    return { ...row, id: String(row.id) };
  }

  /** Takes one action on a case: refused with 409 and the allowed next steps when the state does not allow it. */
  async act(id: string, action: CaseAction, input: unknown, actor: Actor, on: string = today()) {
    const spec = TRANSITIONS[action];
    if (!spec) throw new DomainError('NOT_FOUND', `未知操作: ${action}`);
    const parsed = actionBodies[action].safeParse(input ?? {});
    if (!parsed.success) throw new DomainError('VALIDATION', '请求参数无效', parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', reason: i.message })));
    const body = parsed.data as Record<string, string | number | undefined>;
    if (actor !== SYSTEM_ACTOR && !spec.roles.includes(actor.role)) throw new DomainError('FORBIDDEN', `角色 ${actor.role} 无权执行「${spec.label}」`);
    const params = (await this.policies.inForce(on)).document.parameters;
    const result = await this.db.tx((c) => this.transition(c, id, action, body, actor, on, params));
    await this.audit.record(actor, `case.${action}`, 'case', id, { before: result.from, after: result.to, changes: result.set, input: result.body }, null);
    return this.get(id);
  }

  /** One step of the lifecycle inside the caller's transaction (the case row is locked). */
  private async transition(
    c: PoolClient,
    id: string,
    action: CaseAction,
    body: Record<string, string | number | undefined>,
    actor: Actor,
    on: string,
    params: PolicyParameters,
  ): Promise<{ from: CaseStatus; to: CaseStatus; set: Record<string, unknown>; body: Record<string, string | number | undefined> }> {
    const spec = TRANSITIONS[action];
    const k = await this.load(c, id);
    // A step the state allows but the case's data does not (a guard) is left out of `allowed`; a
    // case closed otherwise than as 误报 has no step left.
    const refuse = (why: string, guarded?: CaseAction) =>
      new DomainError('INVALID_TRANSITION', why, {
        status: k.status,
        statusLabel: STATUS_LABEL[k.status],
        allowed: k.closed_at && k.outcome !== 'dismissed' ? [] : nextActions(k.status, k.kind).filter((a) => a !== guarded),
      });
    if (!spec.from.includes(k.status) || !spec.kinds.includes(k.kind)) throw refuse(`案件当前状态「${STATUS_LABEL[k.status]}」不能执行「${spec.label}」`);
    if (action === 'reopen' && k.outcome !== 'dismissed') throw refuse('只有误报排除的案件可以重新打开', 'reopen');
    if (action === 'reopen') {
      const other = (await c.query(`SELECT id FROM "case" WHERE household_id = $1 AND closed_at IS NULL AND id <> $2`, [k.household_id, id])).rows[0];
      if (other) throw refuse(`该家庭已有未结案件（${other.id}），不能重新打开`, 'reopen');
    }
    const set: Record<string, unknown> = {};
    let to: CaseStatus = k.status;
    const close = (outcome: string) => {
      to = 'closed';
      set.closed_at = new Date();
      set.outcome = outcome;
    };
    const open = (await c.query(`SELECT rule_code FROM case_finding WHERE case_id = $1 AND status = 'open'`, [id])).rows.map((r) => r.rule_code as string);
    switch (action) {
      case 'order_inspection': {
        set.inspection_due = addDays(on, body.dueDays ? Number(body.dueDays) : params.sublet.inspectionDays);
        to = 'inspection';
        break;
      }
      case 'record_inspection':
        set.inspection_result = body.result;
        to = 'inspected';
        break;
      case 'confirm': {
        if ((open.includes('SUBLET') || open.includes('VACANT')) && k.inspection_result !== 'confirmed') {
          throw refuse('转租转借、空置须先有入户核查结果（核实属实）才能认定', 'confirm');
        }
        // Four eyes: whoever dismissed this case before may not confirm it (an admin may).
        const dismissedBy = (await c.query(`SELECT 1 FROM case_event WHERE case_id = $1 AND action = 'dismiss' AND actor = $2`, [id, actor.name])).rowCount;
        if (dismissedBy && actor.role !== 'admin') throw new DomainError('FORBIDDEN', '曾作误报排除的人员不能认定同一案件（需另一审核人或管理员）');
        set.confirmed_at = on;
        set.confirmed_by = actor.name;
        if (k.kind === 'waiting_removal') {
          close('removed_from_waiting');
        } else {
          to = 'notified';
          set.contest_deadline = addDays(on, params.exit.contestWindowDays);
        }
        break;
      }
      case 'dismiss':
        close('dismissed');
        break;
      case 'reopen':
        to = 'open';
        set.closed_at = null;
        set.outcome = null;
        break;
      case 'contest':
        if (k.contest_deadline && on > k.contest_deadline) throw refuse(`申辩期已于 ${k.contest_deadline} 届满`, 'contest');
        to = 'contested';
        break;
      case 'decide_contest':
        if (body.decision === 'overturned') close('overturned');
        else {
          Object.assign(set, this.notice(k, on, params));
          to = 'notice_issued';
        }
        break;
      case 'issue_notice':
        if (k.contest_deadline && on <= k.contest_deadline) throw refuse(`申辩期至 ${k.contest_deadline} 届满后方可下达退出通知`, 'issue_notice');
        Object.assign(set, this.notice(k, on, params));
        to = 'notice_issued';
        break;
      case 'mark_overdue':
        if (k.deadline && on <= k.deadline) throw refuse(`应退日期 ${k.deadline} 未到`, 'mark_overdue');
        set.overdue_at = on;
        to = 'overdue';
        break;
      case 'record_measure':
        await c.query(`INSERT INTO case_measure (case_id, measure, taken_on, progress, recorded_by) VALUES ($1, $2, $3, $4, $5)`, [
          id, body.measure, body.takenOn, body.progress, actor.name,
        ]);
        break;
      case 'handover':
        await this.endOccupation(c, k.household_id, (body.handedOverOn as string | undefined) ?? on, k.opened_on);
        close('exited');
        break;
      case 'complete_task':
        close('tenant_changed');
        break;
    }
    set.status = to;
    set.updated_at = new Date();
    const cols = Object.keys(set);
    await c.query(`UPDATE "case" SET ${cols.map((col, i) => `${col} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...cols.map((col) => set[col])]);
    const reason = (body.reason as string | undefined) ?? null;
    await c.query(
      `INSERT INTO case_event (case_id, actor, role, action, from_status, to_status, reason, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, actor.name, actor.role, action, k.status, to, reason, JSON.stringify({ ...body, ...set })],
    );
    return { from: k.status, to, set, body };
  }

  /**
   * A handover ends the household's occupation (registry.md): it is recorded (unless one dated on
   * or after `since` is already) and the household is 已退出, so no later run evaluates it. It
   * keeps its unit, so its closed case still counts under its project. In the caller's transaction.
   */
  private async endOccupation(c: PoolClient, householdId: number, on: string, since: string): Promise<void> {
    await c.query(
      `INSERT INTO handover (household_id, unit_id, handed_over_on)
       SELECT h.id, h.unit_id, $2 FROM household h
        WHERE h.id = $1 AND h.unit_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM handover ho WHERE ho.household_id = h.id AND ho.handed_over_on >= $3::date)
       ON CONFLICT DO NOTHING`,
      [householdId, on, since],
    );
    await c.query(`UPDATE household SET status = 'exited', updated_at = now() WHERE id = $1 AND status = 'active'`, [householdId]);
  }

  private notice(k: CaseRow, on: string, params: { exit: { eligibilityDeadlineDays: number; violationDeadlineDays: number } }) {
    const days = k.nature === 'eligibility' ? params.exit.eligibilityDeadlineDays : params.exit.violationDeadlineDays;
    return { notice_at: on, deadline: addDays(on, days), market_rent_from: on };
  }

  /**
   * The daily deadline pass: exit notices when contest windows have closed, 应退未退 when
   * deadlines have passed without a handover, cases closed by recorded handovers, and the
   * inspections past their due date.
   */
  async deadlines(on: string = today()) {
    const handovers = await this.applyHandovers();
    // The window closes at the end of its last day: the notice is issued the day after.
    const notify = (await this.db.pool.query(`SELECT id FROM "case" WHERE status = 'notified' AND contest_deadline < $1 ORDER BY id`, [on])).rows;
    const noticeCaseIds = await this.actEach(notify.map((r) => String(r.id)), 'issue_notice', { reason: '申辩期届满' }, on);
    // 应退未退 the day after the deadline, not on it.
    const overdue = (await this.db.pool.query(`SELECT id FROM "case" WHERE status = 'notice_issued' AND deadline < $1 ORDER BY id`, [on])).rows;
    const overdueCaseIds = await this.actEach(overdue.map((r) => String(r.id)), 'mark_overdue', { reason: '逾期未腾退' }, on);
    const late = (await this.db.pool.query(`SELECT count(*)::int AS n FROM "case" WHERE status = 'inspection' AND inspection_due < $1`, [on])).rows[0].n;
    return {
      date: on,
      noticesIssued: noticeCaseIds.length,
      markedOverdue: overdueCaseIds.length,
      closedByHandover: handovers,
      inspectionsPastDue: late,
      noticeCaseIds,
      overdueCaseIds,
    };
  }

  /**
   * A system step on each case; a case another pass (a second replica, the CLI) moved meanwhile
   * is skipped, not a failure of the whole pass. Returns the ids of the cases moved here.
   */
  private async actEach(ids: string[], action: CaseAction, input: Record<string, string>, on?: string): Promise<string[]> {
    const done: string[] = [];
    for (const id of ids) {
      try {
        await this.act(id, action, input, SYSTEM_ACTOR, on);
        done.push(id);
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'INVALID_TRANSITION')) throw err;
      }
    }
    return done;
  }

  /** Handovers recorded in the ledger (or by the API) close their households' cases as exited. */
  async applyHandovers(): Promise<number> {
    const { rows } = await this.db.pool.query(
      `SELECT c.id, max(ho.handed_over_on)::text AS on FROM "case" c JOIN handover ho ON ho.household_id = c.household_id
        WHERE c.closed_at IS NULL AND c.kind <> 'tenant_change' AND ho.handed_over_on >= c.opened_at::date GROUP BY c.id`,
    );
    let closed = 0;
    for (const r of rows) closed += (await this.actEach([String(r.id)], 'handover', { handedOverOn: r.on, reason: '台账登记腾退交房' })).length;
    return closed;
  }

  async get(id: string) {
    const k = (
      await this.db.pool.query(
        `SELECT c.*, c.confirmed_at::text AS confirmed_at, c.contest_deadline::text AS contest_deadline, c.notice_at::text AS notice_at,
                c.deadline::text AS deadline, c.market_rent_from::text AS market_rent_from, c.overdue_at::text AS overdue_at,
                c.inspection_due::text AS inspection_due, h.household_code
           FROM "case" c JOIN household h ON h.id = c.household_id WHERE c.id = $1`,
        [/^\d+$/.test(id) ? id : '0'],
      )
    ).rows[0];
    if (!k) throw new DomainError('NOT_FOUND', `案件不存在: ${id}`);
    const [findings, events, measures] = await Promise.all([
      this.db.pool.query(`SELECT rule_code, status, declared, evidence->>'name' AS name, evidence->>'explanation' AS explanation, resolved_at FROM case_finding WHERE case_id = $1 ORDER BY rule_code`, [id]),
      this.db.pool.query(`SELECT at, actor, role, action, from_status, to_status, reason FROM case_event WHERE case_id = $1 ORDER BY id`, [id]),
      this.db.pool.query(`SELECT measure, taken_on::text AS taken_on, progress, recorded_by, at FROM case_measure WHERE case_id = $1 ORDER BY id`, [id]),
    ]);
    return {
      id: String(k.id),
      householdCode: k.household_code,
      kind: k.kind,
      status: k.status,
      statusLabel: STATUS_LABEL[k.status as CaseStatus],
      nature: k.nature,
      natureLabel: k.nature === 'eligibility' ? '资格不符退出' : k.nature === 'violation' ? '违规退出' : null,
      declared: k.declared,
      declaredLabel: k.declared ? '主动申报' : '瞒报',
      openedAt: k.opened_at,
      inspectionDue: k.inspection_due,
      inspectionResult: k.inspection_result,
      confirmedAt: k.confirmed_at,
      confirmedBy: k.confirmed_by,
      contestDeadline: k.contest_deadline,
      noticeAt: k.notice_at,
      deadline: k.deadline,
      marketRentFrom: k.market_rent_from,
      overdueAt: k.overdue_at,
      closedAt: k.closed_at,
      outcome: k.outcome,
      allowedActions: k.closed_at && k.outcome !== 'dismissed' ? [] : nextActions(k.status as CaseStatus, k.kind as CaseKind),
      findings: findings.rows.map((f) => ({ rule: f.rule_code, name: f.name, status: f.status, declared: f.declared, explanation: f.explanation, resolvedAt: f.resolved_at })),
      measures: measures.rows.map((m) => ({ measure: m.measure, takenOn: m.taken_on, progress: m.progress, recordedBy: m.recorded_by, at: m.at })),
      timeline: events.rows,
    };
  }

  async list(q: { status?: string; kind?: string; project?: string; town?: string; householdCode?: string; inspectionPastDue?: boolean; page: number; pageSize: number }) {
    const f = new SqlFilter();
    if (q.status) f.add('c.status = ?', q.status);
    if (q.kind) f.add('c.kind = ?', q.kind);
    if (q.project) f.add('p.project_code = ?', q.project);
    if (q.town) f.add('p.town = ?', q.town);
    if (q.householdCode) f.add('h.household_code = ?', q.householdCode);
    if (q.inspectionPastDue) f.add(`c.status = 'inspection' AND c.inspection_due < ?`, today());
    const params = f.params;
    const from = `FROM "case" c JOIN household h ON h.id = c.household_id LEFT JOIN unit u ON u.id = h.unit_id LEFT JOIN project p ON p.id = u.project_id WHERE true${f.and}`;
    const total = (await this.db.pool.query(`SELECT count(*)::int AS n ${from}`, params)).rows[0].n;
    const rows = (
      await this.db.pool.query(
        `SELECT c.id, h.household_code, c.kind, c.status, c.nature, c.declared, c.deadline::text AS deadline, p.project_code, p.town,
                (SELECT array_agg(rule_code ORDER BY rule_code) FROM case_finding cf WHERE cf.case_id = c.id AND cf.status = 'open') AS rules
         ${from} ORDER BY c.id LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
        params,
      )
    ).rows;
    return {
      total,
      page: q.page,
      pageSize: q.pageSize,
      items: rows.map((r) => ({ id: String(r.id), householdCode: r.household_code, kind: r.kind, status: r.status, statusLabel: STATUS_LABEL[r.status as CaseStatus], nature: r.nature, declared: r.declared, deadline: r.deadline, projectCode: r.project_code, town: r.town, rules: r.rules ?? [] })),
    };
  }

  /**
   * Records a handover through the API (腾退交房). In one transaction: the handover, the household
   * 已退出 (its occupation ends; no later run evaluates it) and its open case closed as exited.
   */
  async recordHandover(householdCode: string, handedOverOn: string, actor: Actor) {
    const h = (await this.db.pool.query(`SELECT id, unit_id FROM household WHERE household_code = $1`, [householdCode])).rows[0];
    if (!h) throw new DomainError('NOT_FOUND', `家庭不存在: ${householdCode}`);
    if (!h.unit_id) throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'householdCode', reason: '该家庭无房源' }]);
    const on = today();
    const params = (await this.policies.inForce(on)).document.parameters;
    const body = { handedOverOn, reason: '登记腾退交房' };
    const done = await this.db.tx(async (c) => {
      await c.query(`SELECT 1 FROM household WHERE id = $1 FOR UPDATE`, [h.id]);
      await c.query(`INSERT INTO handover (household_id, unit_id, handed_over_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [h.id, h.unit_id, handedOverOn]);
      await c.query(`UPDATE household SET status = 'exited', updated_at = now() WHERE id = $1 AND status = 'active'`, [h.id]);
      const open = (await c.query(`SELECT id FROM "case" WHERE household_id = $1 AND closed_at IS NULL AND kind <> 'tenant_change'`, [h.id])).rows[0];
      if (!open) return null;
      const caseId = String(open.id);
      return { caseId, ...(await this.transition(c, caseId, 'handover', body, actor, on, params)) };
    });
    await this.audit.record(actor, 'handover.record', 'household', String(h.id), { handedOverOn });
    if (done) await this.audit.record(actor, 'case.handover', 'case', done.caseId, { before: done.from, after: done.to, changes: done.set, input: done.body }, null);
    return { closed: done ? 1 : 0, caseId: done?.caseId ?? null, householdStatus: 'exited' };
  }
}
