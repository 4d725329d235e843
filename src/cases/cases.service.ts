import { Injectable, Logger } from '@nestjs/common';
import { PoolClient } from 'pg';
import { AuditService } from '../audit/audit.service';
import { Actor, SYSTEM_ACTOR } from '../auth/actor';
import { today } from '../common/clock';
import { DomainError, notFound } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { DocumentsHook } from '../documents/documents.hook';
import { PolicyService } from '../policy/policy.service';
import { ActionInput, parseActionBody } from './case-actions';
import {
  allowedNext,
  CaseAction,
  CaseChanges,
  CaseEffect,
  CaseStatus,
  MachineParams,
  Refusal,
  roleRefusal,
  SCHEDULED_STEPS,
  STATUS_LABEL,
  step,
  TRANSITIONS,
} from './case-machine';
import { CaseListQuery, CaseRow, CasesRepository } from './cases.repository';
import { CaseQueuesRepository } from './case-queues.repository';
import { QueueKey, queueCounts, queueFilter } from './case-queues';

/** A step the machine allowed on a locked case, to be written. */
interface Taken {
  k: CaseRow;
  body: ActionInput;
  from: CaseStatus;
  to: CaseStatus;
  set: CaseChanges;
  effect?: CaseEffect;
}

const SYSTEM = { actor: 'system', role: 'system' } as const;

/** A refusal of the machine as the error the API answers (409 with the allowed steps, or 403). */
function refusalError(r: Refusal): DomainError {
  if (r.code === 'FORBIDDEN') return new DomainError('FORBIDDEN', r.message);
  return new DomainError('INVALID_TRANSITION', r.message, { status: r.status, statusLabel: STATUS_LABEL[r.status], allowed: r.allowed });
}

const caseNotFound = (id: string) => notFound('案件', id);

/**
 * Cases from findings, the lifecycle of policy.md C, deadlines and handovers. The lifecycle's rules
 * are the machine's (case-machine.ts); the SQL is the repository's; every step writes its case,
 * timeline and audit entry in one transaction.
 */
@Injectable()
export class CasesService {
  private readonly log = new Logger('cases');

  constructor(
    private readonly db: DatabaseService,
    private readonly repo: CasesRepository,
    private readonly audit: AuditService,
    private readonly policies: PolicyService,
    private readonly queueRepo: CaseQueuesRepository,
    private readonly documents: DocumentsHook,
  ) {}

  /**
   * After a completed run (of the newest as-of date): opens a case per household with findings
   * that are not settled and no open case, joins new findings to unconfirmed open cases, marks
   * findings that disappeared before confirmation as resolved (closing cases left with none), and
   * records 主动申报 per finding. A confirmed case is left as it is.
   */
  async followRun(runIdText: string): Promise<{ opened: number; resolved: number; closed: number; tasks: number }> {
    // Handovers from the ledger close their cases first (as exited): a run must not find a case
    // of a household that has left "resolved".
    await this.applyHandovers();
    const run = BigInt(runIdText);
    return this.db.tx(async (c) => {
      await this.repo.lockFollowRun(c);
      // Only the newest completed run of the newest as-of date speaks for the present: a run that
      // was planned earlier (on older data) but finished later must not resolve findings.
      if ((await this.repo.newestCompletedRun(c)) !== run) return { opened: 0, resolved: 0, closed: 0, tasks: 0 };
      const opened = await this.repo.openCasesFromFindings(c, run);
      const tasks = await this.repo.openTasks(c, run);
      await this.repo.insertEvents(
        c,
        [...opened, ...tasks].map((id) => ({ caseId: id, ...SYSTEM, action: 'open', toStatus: 'open', detail: { runId: runIdText } })),
      );
      await this.repo.joinFindings(c, run);
      const resolved = await this.repo.resolveMissingFindings(c, run);
      await this.repo.insertEvents(
        c,
        resolved.map((r) => ({ caseId: r.caseId, ...SYSTEM, action: 'resolve_finding', reason: `问题已消除: ${r.name ?? r.rule}`, detail: { rule: r.rule, runId: runIdText } })),
      );
      const closed = await this.repo.closeResolved(c);
      await this.repo.insertEvents(
        c,
        closed.map((id) => ({ caseId: id, ...SYSTEM, action: 'resolve', toStatus: 'closed', reason: '所有问题在认定前已消除' })),
      );
      await this.repo.refreshDeclaredAndNature(c);
      const out = { opened: opened.length, resolved: resolved.length, closed: closed.length, tasks: tasks.length };
      this.log.log(`run ${runIdText}: cases opened ${out.opened}, tasks ${out.tasks}, findings resolved ${out.resolved}, cases closed ${out.closed}`);
      return out;
    });
  }

  private async params(on: string): Promise<MachineParams> {
    return (await this.policies.inForce(on)).document.parameters;
  }

  /** Takes one action on a case: refused with 409 and the allowed next steps when the state does not allow it. */
  async act(id: string, action: CaseAction, input: unknown, actor: Actor, on: string = today()) {
    if (!Object.hasOwn(TRANSITIONS, action)) throw new DomainError('NOT_FOUND', `未知操作: ${action}`);
    // Who may take the step (the machine's table) is decided before the body is read: a refused role gets 403, not 400.
    const forbidden = roleRefusal(action, actor);
    if (forbidden) throw refusalError(forbidden);
    // A case outside the actor's scope is not found for them, before the body is read.
    await this.visible(id, actor);
    const body = parseActionBody(action, input);
    const params = await this.params(on);
    await this.db.tx((c) => this.takeOne(c, id, action, body, actor, on, params));
    await this.documents.stepsCommitted([id]); // the step's notice, if it calls for one (a queued job)
    return this.get(id, actor);
  }

  /** One step on one case in the caller's transaction: refused with the machine's reason. */
  private async takeOne(c: PoolClient, id: string, action: CaseAction, body: ActionInput, actor: Actor, on: string, params: MachineParams): Promise<void> {
    if (!/^\d+$/.test(id)) throw caseNotFound(id);
    const rows = await this.repo.lock(c, [id]);
    if (!rows.length) throw caseNotFound(id);
    const { taken, refused } = await this.decide(c, rows, action, () => body, actor, on, params);
    if (refused) throw refusalError(refused);
    await this.write(c, action, taken, actor);
  }

  /** The machine's answer for each locked case: the steps taken, and the first refusal. */
  private async decide(
    c: PoolClient,
    rows: CaseRow[],
    action: CaseAction,
    bodyOf: (k: CaseRow) => ActionInput,
    actor: Actor,
    on: string,
    params: MachineParams,
  ): Promise<{ taken: Taken[]; refused: Refusal | null }> {
    if (!rows.length) return { taken: [], refused: null };
    const facts = await this.repo.facts(c, rows.map((k) => k.id));
    const ctx = { actor, today: on, now: new Date(), params };
    const taken: Taken[] = [];
    let refused: Refusal | null = null;
    for (const k of rows) {
      const body = bodyOf(k);
      const s = step({ ...k, ...facts.get(k.id)! }, action, body, ctx);
      if (s.ok) taken.push({ k, body, from: s.from, to: s.to, set: s.set, effect: s.effect });
      else refused ??= s;
    }
    return { taken, refused };
  }

  /**
   * Writes the steps of one action in sets: their effects (measures, ended occupations), the cases'
   * new fields, their timeline entries and their audit entries, in the caller's transaction.
   */
  private async write(c: PoolClient, action: CaseAction, taken: Taken[], actor: Actor): Promise<void> {
    if (!taken.length) return;
    const effects = <K extends CaseEffect['kind']>(kind: K) =>
      taken.flatMap((t) => (t.effect?.kind === kind ? [{ k: t.k, effect: t.effect as Extract<CaseEffect, { kind: K }> }] : []));
    await this.repo.insertMeasures(
      c,
      effects('record_measure').map(({ k, effect }) => ({ caseId: k.id, measure: effect.measure, takenOn: effect.takenOn, progress: effect.progress, recordedBy: actor.name })),
    );
    await this.repo.endOccupations(
      c,
      effects('end_occupation').map(({ k, effect }) => ({ householdId: k.householdId, on: effect.on, since: k.openedOn })),
    );
    await this.repo.update(c, taken.map((t) => ({ id: t.k.id, set: t.set })));
    await this.repo.insertEvents(
      c,
      taken.map((t) => ({
        caseId: t.k.id,
        actor: actor.name,
        role: actor.role,
        action,
        fromStatus: t.from,
        toStatus: t.to,
        reason: eventReason(t.body),
        detail: { ...t.body, ...t.set },
      })),
    );
    await this.audit.recordManyIn(
      c,
      actor,
      `case.${action}`,
      'case',
      taken.map((t) => ({ entityId: t.k.id, detail: { before: t.from, after: t.to, changes: t.set, input: t.body } })),
    );
  }

  /**
   * The daily deadline pass, in one transaction and in sets (one UPDATE per kind of step for all
   * the cases due): cases closed by recorded handovers, exit notices when contest windows have
   * closed, 应退未退 when deadlines have passed without a handover; and the inspections past their
   * due date.
   */
  async deadlines(on: string = today()) {
    const params = await this.params(on);
    const out = await this.db.tx(async (c) => {
      const closedByHandover = (await this.closeHandedOver(c, params)).length;
      const noticeCaseIds = await this.scheduled(c, 'issue_notice', on, params);
      const overdueCaseIds = await this.scheduled(c, 'mark_overdue', on, params);
      return {
        date: on,
        noticesIssued: noticeCaseIds.length,
        markedOverdue: overdueCaseIds.length,
        closedByHandover,
        inspectionsPastDue: await this.repo.inspectionsPastDue(c, on),
        noticeCaseIds,
        overdueCaseIds,
      };
    });
    await this.documents.stepsCommitted(out.noticeCaseIds); // the exit notices of the cases moved
    return out;
  }

  /** A scheduled step on every case due for it on `on`; returns the ids of the cases moved. */
  private async scheduled(c: PoolClient, action: keyof typeof SCHEDULED_STEPS, on: string, params: MachineParams): Promise<string[]> {
    const due = SCHEDULED_STEPS[action];
    const rows = await this.repo.lockDue(c, due.from, due.after, on);
    const body = parseActionBody(action, { reason: due.reason });
    // A case the machine refuses (moved meanwhile) is skipped, not a failure of the whole pass.
    const { taken } = await this.decide(c, rows, action, () => body, SYSTEM_ACTOR, on, params);
    await this.write(c, action, taken, SYSTEM_ACTOR);
    return taken.map((t) => t.k.id);
  }

  /** Handovers recorded in the ledger (or by the API) close their households' cases as exited. */
  async applyHandovers(): Promise<number> {
    const params = await this.params(today());
    return (await this.db.tx((c) => this.closeHandedOver(c, params))).length;
  }

  private async closeHandedOver(c: PoolClient, params: MachineParams): Promise<Taken[]> {
    const rows = await this.repo.lockHandedOver(c);
    const handedOver = new Map(rows.map((k) => [k.id, k.handedOverOn]));
    const { taken } = await this.decide(
      c,
      rows,
      'handover',
      (k) => parseActionBody('handover', { handedOverOn: handedOver.get(k.id), reason: '台账登记腾退交房' }),
      SYSTEM_ACTOR,
      today(),
      params,
    );
    await this.write(c, 'handover', taken, SYSTEM_ACTOR);
    return taken;
  }

  /** The case as the actor may see it: 404 when there is none in their scope. */
  private async visible(id: string, actor: Actor) {
    const k = await this.repo.view(/^\d+$/.test(id) ? id : '0', actor.scope);
    if (!k) throw caseNotFound(id);
    return k;
  }

  async get(id: string, actor: Actor = SYSTEM_ACTOR) {
    const k = await this.visible(id, actor);
    const [findings, events, measures] = await Promise.all([this.repo.findings(id), this.repo.events(id), this.repo.measures(id)]);
    return {
      id: String(k.id),
      householdCode: k.household_code,
      kind: k.kind,
      status: k.status,
      statusLabel: STATUS_LABEL[k.status],
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
      service: {
        determination: k.determination_served_on ? { servedOn: k.determination_served_on, method: k.determination_served_method } : null,
        exitNotice: k.notice_served_on ? { servedOn: k.notice_served_on, method: k.notice_served_method } : null,
      },
      closedAt: k.closed_at,
      outcome: k.outcome,
      assignee: assigneeOf(k),
      allowedActions: allowedNext({ status: k.status, kind: k.kind, closed: k.closed_at !== null, outcome: k.outcome }).filter((a) => roleRefusal(a, actor) === null),
      findings: findings.map((f) => ({ rule: f.rule_code, name: f.name, status: f.status, declared: f.declared, explanation: f.explanation, resolvedAt: f.resolved_at })),
      measures: measures.map((m) => ({ measure: m.measure, takenOn: m.taken_on, progress: m.progress, recordedBy: m.recorded_by, at: m.at })),
      timeline: events,
    };
  }

  /** A page of cases; `queue`: one of the 案件 page's queues (case-queues.ts), with the other filters. */
  /** The 案件 page's queues with their counts in the actor's scope. */
  async queues(actor: Actor) {
    const { rows, pastDue, mine } = await this.queueRepo.counts(actor.scope, today(), actor.userId ?? null);
    return queueCounts(rows, pastDue, mine);
  }

  async list(q: CaseListQuery & { queue?: QueueKey }, actor: Actor = SYSTEM_ACTOR) {
    if (q.queue) q = { ...q, ...queueFilter(q.queue, actor.userId) };
    const { total, rows } = await this.repo.list(q, today(), actor.scope);
    return {
      total,
      page: q.page,
      pageSize: q.pageSize,
      items: rows.map((r) => ({
        id: String(r.id),
        householdCode: r.household_code,
        kind: r.kind,
        status: r.status,
        statusLabel: STATUS_LABEL[r.status],
        nature: r.nature,
        declared: r.declared,
        deadline: r.deadline,
        projectCode: r.project_code,
        town: r.town,
        rules: r.rules ?? [],
        assignee: assigneeOf(r),
      })),
    };
  }

  /**
   * Records a handover through the API (腾退交房). In one transaction: the handover, the household
   * 已退出 (its occupation ends; no later run evaluates it), its open case closed as exited, and
   * their audit entries.
   */
  async recordHandover(householdCode: string, handedOverOn: string, actor: Actor) {
    const h = await this.repo.householdByCode(householdCode, actor.scope);
    if (!h) throw notFound('家庭', householdCode);
    const unitId = h.unitId;
    if (!unitId) throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'householdCode', reason: '该家庭无房源' }]);
    const on = today();
    // A handover is recorded once it happened, within the lease: a later date would end the
    // occupation now for a future day; an earlier one is not this lease's (the ledger import does
    // not end an occupation on it either).
    if (handedOverOn > on) throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'handedOverOn', reason: `交房日期不能晚于今天（${on}）` }]);
    if (h.leaseStart && handedOverOn < h.leaseStart) {
      throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'handedOverOn', reason: `交房日期早于租赁起始日期（${h.leaseStart}）` }]);
    }
    const params = await this.params(on);
    const body = parseActionBody('handover', { handedOverOn, reason: '登记腾退交房' });
    const caseId = await this.db.tx(async (c) => {
      await this.repo.lockHousehold(c, h.id);
      await this.repo.insertHandover(c, h.id, unitId, handedOverOn);
      await this.repo.markExited(c, [h.id]);
      await this.audit.recordIn(c, actor, 'handover.record', 'household', String(h.id), { handedOverOn });
      const open = await this.repo.openExitCaseOf(c, h.id);
      if (open) await this.takeOne(c, open, 'handover', body, actor, on, params);
      return open;
    });
    return { closed: caseId ? 1 : 0, caseId, householdStatus: 'exited' };
  }
}

/** A case's assignee as the API shows it. */
function assigneeOf(r: { assignee_id: number | null; assignee_username: string | null; assignee_name: string | null }) {
  return r.assignee_id === null ? null : { id: r.assignee_id, username: r.assignee_username ?? '', displayName: r.assignee_name ?? '' };
}

/** The timeline's reason for a step: the one given; for a 送达, how and when, then the one given. */
function eventReason(body: ActionInput): string | null {
  const given = ('reason' in body ? body.reason : undefined) ?? null;
  if ('servedOn' in body) return `${body.notice === 'exit_notice' ? '退出通知书' : '退出认定告知书'}${body.method} ${body.servedOn}${given ? `：${given}` : ''}`;
  return given;
}
