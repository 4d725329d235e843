import type { Actor, Role } from '../auth/actor';
import { addDays } from '../common/dates';
import type { ActionInput } from './case-actions';
import { ACTION_LABEL, STATUS_LABEL, type CaseAction, type CaseKind, type CaseStatus } from './case-vocabulary';

/**
 * The case lifecycle of policy.md section C: for each action, the states it leaves, who may take
 * it, and (in `step`) its effect: the state it reaches, the fields and deadlines it sets, or a
 * refusal with the steps allowed instead. Pure: the service reads the case and the facts its
 * guards need, and writes what `step` returns.
 */
export type { CaseAction, CaseKind, CaseStatus } from './case-vocabulary';
export { MEASURES, SERVICE_METHODS, STATUS_LABEL } from './case-vocabulary';

const REVIEW: Role[] = ['admin', 'reviewer'];
/** Steps taken in the field: an inspector records inspections and measures (never confirms, dismisses or decides). */
const FIELD: Role[] = ['admin', 'reviewer', 'inspector'];
const ACTIVE: CaseStatus[] = ['open', 'inspection', 'inspected', 'notified', 'contested', 'notice_issued', 'overdue'];

export const TRANSITIONS: Record<CaseAction, { from: CaseStatus[]; kinds: CaseKind[]; roles: Role[] }> = {
  order_inspection: { from: ['open', 'inspected'], kinds: ['exit', 'waiting_removal'], roles: REVIEW },
  record_inspection: { from: ['inspection'], kinds: ['exit', 'waiting_removal'], roles: FIELD },
  confirm: { from: ['open', 'inspected'], kinds: ['exit', 'waiting_removal'], roles: REVIEW },
  dismiss: { from: ['open', 'inspection', 'inspected'], kinds: ['exit', 'waiting_removal', 'tenant_change'], roles: REVIEW },
  reopen: { from: ['closed'], kinds: ['exit', 'waiting_removal'], roles: REVIEW },
  contest: { from: ['notified'], kinds: ['exit'], roles: REVIEW },
  decide_contest: { from: ['contested'], kinds: ['exit'], roles: REVIEW },
  issue_notice: { from: ['notified'], kinds: ['exit'], roles: ['admin'] },
  mark_overdue: { from: ['notice_issued'], kinds: ['exit'], roles: ['admin'] },
  record_measure: { from: ['notice_issued', 'overdue'], kinds: ['exit'], roles: FIELD },
  record_service: { from: ['notified', 'contested', 'notice_issued'], kinds: ['exit'], roles: FIELD },
  handover: { from: ACTIVE, kinds: ['exit', 'waiting_removal'], roles: REVIEW },
  complete_task: { from: ['open'], kinds: ['tenant_change'], roles: REVIEW },
};

/** Actions that may follow a case in this state (what a 409 lists). */
export function nextActions(status: CaseStatus, kind: CaseKind): CaseAction[] {
  return (Object.keys(TRANSITIONS) as CaseAction[]).filter((a) => TRANSITIONS[a].from.includes(status) && TRANSITIONS[a].kinds.includes(kind));
}

/** The policy parameters the machine reads: policy.md section C's windows and the inspection period. */
export interface MachineParams {
  exit: { contestWindowDays: number; eligibilityDeadlineDays: number; violationDeadlineDays: number };
  sublet: { inspectionDays: number };
}

/** A case as the machine sees it: its row, and the facts its guards read. */
export interface CaseState {
  kind: CaseKind;
  status: CaseStatus;
  /** 'eligibility' (资格不符) or 'violation' (违规); null for a task. */
  nature: string | null;
  /** The case is closed (closed_at set). */
  closed: boolean;
  outcome: string | null;
  contestDeadline: string | null;
  deadline: string | null;
  inspectionResult: string | null;
  /** The day of the exit determination (认定) and of the exit notice: a notice is served on or after it. */
  confirmedAt: string | null;
  noticeAt: string | null;
  /** Rule codes of the case's open findings. */
  openRules: string[];
  /** Who has dismissed this case before (four eyes). */
  dismissedBy: string[];
  /** Another open case of the same household (this one cannot be reopened beside it). */
  otherOpenCase: string | null;
}

/** The columns of "case" a step sets. */
export interface CaseChanges {
  status: CaseStatus;
  updated_at: Date;
  inspection_due?: string;
  inspection_result?: string;
  confirmed_at?: string;
  confirmed_by?: string;
  contest_deadline?: string;
  notice_at?: string;
  deadline?: string;
  market_rent_from?: string;
  overdue_at?: string;
  closed_at?: Date | null;
  outcome?: string | null;
  determination_served_on?: string;
  determination_served_method?: string;
  notice_served_on?: string;
  notice_served_method?: string;
}

/** What a step does besides the case row: a measure recorded, or the household's occupation ended (handover). */
export type CaseEffect = { kind: 'record_measure'; measure: string; takenOn: string; progress: string } | { kind: 'end_occupation'; on: string };

/** Who takes the step, on which day (`today`; `now` stamps closed_at and updated_at), under which policy. */
export interface StepContext {
  actor: Actor;
  today: string;
  now: Date;
  params: MachineParams;
}

export type Refusal =
  | { ok: false; code: 'FORBIDDEN'; message: string }
  | { ok: false; code: 'INVALID_TRANSITION'; message: string; status: CaseStatus; allowed: CaseAction[] };

export type Step = { ok: true; from: CaseStatus; to: CaseStatus; set: CaseChanges; effect?: CaseEffect } | Refusal;

/** The steps a case may take next: none for a case closed otherwise than as 误报. */
export function allowedNext(k: Pick<CaseState, 'status' | 'kind' | 'closed' | 'outcome'>): CaseAction[] {
  return k.closed && k.outcome !== 'dismissed' ? [] : nextActions(k.status, k.kind);
}

/** A role that may not take this step (a system pass acts as admin). */
export function roleRefusal(action: CaseAction, actor: Actor): Refusal | null {
  const spec = TRANSITIONS[action];
  return spec.roles.includes(actor.role) ? null : { ok: false, code: 'FORBIDDEN', message: `角色 ${actor.role} 无权执行「${ACTION_LABEL[action]}」` };
}

/**
 * The exit notice (退出通知): issued on `on`, with the deadline of the case's exit nature (90 days
 * for 资格不符, 30 for 违规); market rent applies from the notice date.
 */
function notice(nature: string | null, on: string, params: MachineParams) {
  return { notice_at: on, deadline: exitDeadline(nature, on, params), market_rent_from: on };
}

/** The day to leave by: 90 days (资格不符) or 30 (违规) from the notice, or from its service (送达) once recorded. */
function exitDeadline(nature: string | null, from: string, params: MachineParams): string {
  return addDays(from, nature === 'eligibility' ? params.exit.eligibilityDeadlineDays : params.exit.violationDeadlineDays);
}

/**
 * The steps the daily deadline pass takes by itself, each due the day after a date of the case:
 * the notice once the contest window has closed (at the end of its last day), 应退未退 once the
 * deadline has passed without a handover.
 */
export const SCHEDULED_STEPS = {
  issue_notice: { from: 'notified', after: 'contest_deadline', reason: '申辩期届满' },
  mark_overdue: { from: 'notice_issued', after: 'deadline', reason: '逾期未腾退' },
} as const satisfies Partial<Record<CaseAction, { from: CaseStatus; after: keyof CaseChanges; reason: string }>>;

/**
 * One step of the lifecycle: the state the case reaches and the fields it sets, or a refusal (a
 * 409 lists the steps left: the state's, less the one whose guard failed; a 403 for a role, or
 * for four eyes).
 */
export function step<A extends CaseAction>(k: CaseState, action: A, input: ActionInput<A>, ctx: StepContext): Step {
  const spec = TRANSITIONS[action];
  const forbidden = roleRefusal(action, ctx.actor);
  if (forbidden) return forbidden;
  const refuse = (message: string, guarded?: CaseAction): Refusal => ({
    ok: false,
    code: 'INVALID_TRANSITION',
    message,
    status: k.status,
    allowed: allowedNext(k).filter((a) => a !== guarded),
  });
  if (!spec.from.includes(k.status) || !spec.kinds.includes(k.kind)) return refuse(`案件当前状态「${STATUS_LABEL[k.status]}」不能执行「${ACTION_LABEL[action]}」`);
  const { today, now, params, actor } = ctx;
  const body: ActionInput = input;
  let to: CaseStatus = k.status;
  let effect: CaseEffect | undefined;
  const fields: Omit<CaseChanges, 'status' | 'updated_at'> = {};
  const close = (outcome: string) => {
    to = 'closed';
    fields.closed_at = now;
    fields.outcome = outcome;
  };
  switch (action) {
    case 'order_inspection': {
      const { dueDays } = body as ActionInput<'order_inspection'>;
      fields.inspection_due = addDays(today, dueDays ?? params.sublet.inspectionDays);
      to = 'inspection';
      break;
    }
    case 'record_inspection':
      fields.inspection_result = (body as ActionInput<'record_inspection'>).result;
      to = 'inspected';
      break;
    case 'confirm':
      if ((k.openRules.includes('SUBLET') || k.openRules.includes('VACANT')) && k.inspectionResult !== 'confirmed') {
        return refuse('转租转借、空置须先有入户核查结果（核实属实）才能认定', 'confirm');
      }
      // Four eyes: whoever dismissed this case before may not confirm it (an admin may).
      if (k.dismissedBy.includes(actor.name) && actor.role !== 'admin') {
        return { ok: false, code: 'FORBIDDEN', message: '曾作误报排除的人员不能认定同一案件（需另一审核人或管理员）' };
      }
      fields.confirmed_at = today;
      fields.confirmed_by = actor.name;
      if (k.kind === 'waiting_removal') close('removed_from_waiting');
      else {
        to = 'notified';
        fields.contest_deadline = addDays(today, params.exit.contestWindowDays);
      }
      break;
    case 'dismiss':
      close('dismissed');
      break;
    case 'reopen':
      if (k.outcome !== 'dismissed') return refuse('只有误报排除的案件可以重新打开', 'reopen');
      if (k.otherOpenCase) return refuse(`该家庭已有未结案件（${k.otherOpenCase}），不能重新打开`, 'reopen');
      to = 'open';
      fields.closed_at = null;
      fields.outcome = null;
      break;
    case 'contest':
      // The window includes its last day.
      if (k.contestDeadline && today > k.contestDeadline) return refuse(`申辩期已于 ${k.contestDeadline} 届满`, 'contest');
      to = 'contested';
      break;
    case 'decide_contest':
      if ((body as ActionInput<'decide_contest'>).decision === 'overturned') close('overturned');
      else {
        Object.assign(fields, notice(k.nature, today, params));
        to = 'notice_issued';
      }
      break;
    case 'issue_notice':
      if (k.contestDeadline && today <= k.contestDeadline) return refuse(`申辩期至 ${k.contestDeadline} 届满后方可下达退出通知`, 'issue_notice');
      Object.assign(fields, notice(k.nature, today, params));
      to = 'notice_issued';
      break;
    case 'mark_overdue':
      // 应退未退 the day after the deadline, not on it.
      if (k.deadline && today <= k.deadline) return refuse(`应退日期 ${k.deadline} 未到`, 'mark_overdue');
      fields.overdue_at = today;
      to = 'overdue';
      break;
    case 'record_measure': {
      const m = body as ActionInput<'record_measure'>;
      effect = { kind: 'record_measure', measure: m.measure, takenOn: m.takenOn, progress: m.progress };
      break;
    }
    case 'record_service': {
      // 送达: the contest window (认定告知书) or the exit deadline (退出通知书) runs from the day the
      // notice was served, not from the day it was made. Until one is recorded they run as before.
      const s = body as ActionInput<'record_service'>;
      if (s.servedOn > today) return refuse(`送达日期 ${s.servedOn} 不能晚于今天（${today}）`, 'record_service');
      if (s.notice === 'exit_determination') {
        if (k.status === 'notice_issued') return refuse('退出通知已下达，认定告知书的送达不再改变申辩期', 'record_service');
        if (k.confirmedAt && s.servedOn < k.confirmedAt) return refuse(`送达日期不能早于认定日期（${k.confirmedAt}）`, 'record_service');
        fields.determination_served_on = s.servedOn;
        fields.determination_served_method = s.method;
        fields.contest_deadline = addDays(s.servedOn, params.exit.contestWindowDays);
      } else {
        if (k.status !== 'notice_issued') return refuse('退出通知尚未下达', 'record_service');
        if (k.noticeAt && s.servedOn < k.noticeAt) return refuse(`送达日期不能早于通知日期（${k.noticeAt}）`, 'record_service');
        fields.notice_served_on = s.servedOn;
        fields.notice_served_method = s.method;
        fields.deadline = exitDeadline(k.nature, s.servedOn, params);
      }
      break;
    }
    case 'handover':
      effect = { kind: 'end_occupation', on: (body as ActionInput<'handover'>).handedOverOn ?? today };
      close('exited');
      break;
    case 'complete_task':
      close('tenant_changed');
      break;
  }
  return { ok: true, from: k.status, to, set: { ...fields, status: to, updated_at: now }, ...(effect ? { effect } : {}) };
}

/** Declaration matters (主动申报) and the rule codes they cover (contracts README). */
export const MATTER_RULES: Record<string, string[]> = {
  income: ['INCOME_OVER', 'ASSETS_OVER'],
  housing: ['HOUSING_AREA', 'HOUSING_ACQUIRED'],
  vehicle: ['VEHICLE'],
  business: ['BUSINESS'],
  hukou: ['HUKOU_OUT'],
};
