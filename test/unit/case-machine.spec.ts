import type { Actor } from '../../src/auth/actor';
import { ACTION_BODIES, parseActionBody } from '../../src/cases/case-actions';
import { CaseAction, CaseKind, CaseState, CaseStatus, nextActions, step, Step, StepContext, TRANSITIONS } from '../../src/cases/case-machine';
import { DomainError } from '../../src/common/errors';

/**
 * The case machine of policy.md section C, written out by hand. Every number is the policy's:
 * contest window [15] days, exit deadline [90] days for 资格不符 and [30] for 违规, inspection
 * [15] days; every date below is computed by hand from "today" = 2026-03-02.
 */
const TODAY = '2026-03-02';
const NOW = new Date('2026-03-02T03:04:05.000Z');
const PARAMS = { exit: { contestWindowDays: 15, eligibilityDeadlineDays: 90, violationDeadlineDays: 30 }, sublet: { inspectionDays: 15 } };
const reviewer: Actor = { name: 'reviewer-a', role: 'reviewer' };
const admin: Actor = { name: 'admin-a', role: 'admin' };
/** The grid's actor is an admin, who may take every step: the roles are tested on their own. */
const ctx = (over: Partial<StepContext> = {}): StepContext => ({ actor: admin, today: TODAY, now: NOW, params: PARAMS, ...over });

const ALL_ACTIONS: CaseAction[] = [
  'order_inspection',
  'record_inspection',
  'confirm',
  'dismiss',
  'reopen',
  'contest',
  'decide_contest',
  'issue_notice',
  'mark_overdue',
  'record_measure',
  'record_service',
  'handover',
  'complete_task',
];
const ALL_STATUSES: CaseStatus[] = ['open', 'inspection', 'inspected', 'notified', 'contested', 'notice_issued', 'overdue', 'closed'];

/** A valid body for each action, as the API would pass it. */
const INPUT: Record<CaseAction, object> = {
  order_inspection: {},
  record_inspection: { result: 'confirmed', reason: '现场核实属实' },
  confirm: { reason: '联审数据核实属实' },
  dismiss: { reason: '数据匹配错误' },
  reopen: { reason: '重新核查' },
  contest: { reason: '不服认定' },
  decide_contest: { decision: 'upheld', reason: '维持认定' },
  issue_notice: {},
  mark_overdue: {},
  record_measure: { measure: '催告', takenOn: '2026-03-01', progress: '已送达书面催告' },
  record_service: { notice: 'exit_determination', method: '直接送达', servedOn: '2026-03-01' },
  handover: { handedOverOn: '2026-03-01' },
  complete_task: { reason: '配偶已办理承租人变更' },
};

/**
 * A case of each status, on TODAY: a 资格不符 exit case with a 车辆超标 finding. Its notified
 * window closed at the end of yesterday (confirmed 2026-02-14), and its deadline was yesterday.
 */
const STATE: Record<CaseStatus, Partial<CaseState>> = {
  open: {},
  inspection: {},
  inspected: { inspectionResult: 'confirmed' },
  notified: { contestDeadline: '2026-03-01' },
  contested: { contestDeadline: '2026-03-01' },
  notice_issued: { contestDeadline: '2026-02-01', deadline: '2026-03-01' },
  overdue: { contestDeadline: '2026-02-01', deadline: '2026-03-01' },
  closed: { closed: true, outcome: 'dismissed' },
};

const state = (kind: CaseKind, status: CaseStatus, over: Partial<CaseState> = {}): CaseState => ({
  kind,
  status,
  nature: kind === 'tenant_change' ? null : 'eligibility',
  closed: false,
  outcome: null,
  contestDeadline: null,
  deadline: null,
  inspectionResult: null,
  confirmedAt: null,
  noticeAt: null,
  openRules: kind === 'tenant_change' ? [] : ['VEHICLE'],
  dismissedBy: [],
  otherOpenCase: null,
  ...STATE[status],
  ...over,
});

const act = (k: CaseState, action: CaseAction, input: object = INPUT[action], c: StepContext = ctx()): Step => step(k, action, parseActionBody(action, input), c);

/** A step taken: the state reached and every field set (status and updated_at always). */
const ok = (to: CaseStatus, fields: Record<string, unknown> = {}, effect?: object) => ({
  ok: true,
  to,
  set: { ...fields, status: to, updated_at: NOW },
  ...(effect ? { effect } : {}),
});
const refused = (status: CaseStatus, allowed: CaseAction[]) => ({ ok: false, code: 'INVALID_TRANSITION', status, allowed });
const forbidden = (message: string) => ({ ok: false, code: 'FORBIDDEN', message });

const DISMISSED = { closed_at: NOW, outcome: 'dismissed' };
const EXITED = ok('closed', { closed_at: NOW, outcome: 'exited' }, { kind: 'end_occupation', on: '2026-03-01' });
/** The exit notice on TODAY for 资格不符: deadline + 90 days, market rent from the notice date. */
const NOTICE = { notice_at: TODAY, deadline: '2026-05-31', market_rent_from: TODAY };
const MEASURE = { kind: 'record_measure', measure: '催告', takenOn: '2026-03-01', progress: '已送达书面催告' };
/** The 认定告知书 served yesterday: the contest window (15 days) runs from that day. */
const SERVED = { determination_served_on: '2026-03-01', determination_served_method: '直接送达', contest_deadline: '2026-03-16' };

interface Row {
  /** What a 409 lists from this state: every step the state allows. */
  allowed: CaseAction[];
  /** The steps taken from this state, with their outcome. */
  steps: Partial<Record<CaseAction, object>>;
  /** Steps the state allows but the case's data does not (today): refused, with the list less that step. */
  guarded?: Partial<Record<CaseAction, CaseAction[]>>;
}

/** Before confirmation, exit and 轮候 cases take the same steps; only what confirming does differs. */
function beforeConfirmation(confirm: object): Record<'open' | 'inspection' | 'inspected', Row> {
  const review: Row = {
    allowed: ['order_inspection', 'confirm', 'dismiss', 'handover'],
    steps: { order_inspection: ok('inspection', { inspection_due: '2026-03-17' }), confirm, dismiss: ok('closed', DISMISSED), handover: EXITED },
  };
  return {
    open: review,
    inspection: {
      allowed: ['record_inspection', 'dismiss', 'handover'],
      steps: { record_inspection: ok('inspected', { inspection_result: 'confirmed' }), dismiss: ok('closed', DISMISSED), handover: EXITED },
    },
    inspected: review,
  };
}

const GRID: Record<CaseKind, Record<CaseStatus, Row>> = {
  exit: {
    ...beforeConfirmation(ok('notified', { confirmed_at: TODAY, confirmed_by: 'admin-a', contest_deadline: '2026-03-17' })),
    notified: {
      allowed: ['contest', 'issue_notice', 'record_service', 'handover'],
      // The window closed at the end of yesterday: the notice today, no contest any more.
      steps: { issue_notice: ok('notice_issued', NOTICE), record_service: ok('notified', SERVED), handover: EXITED },
      guarded: { contest: ['issue_notice', 'record_service', 'handover'] },
    },
    contested: {
      allowed: ['decide_contest', 'record_service', 'handover'],
      steps: { decide_contest: ok('notice_issued', NOTICE), record_service: ok('contested', SERVED), handover: EXITED },
    },
    notice_issued: {
      allowed: ['mark_overdue', 'record_measure', 'record_service', 'handover'],
      steps: { mark_overdue: ok('overdue', { overdue_at: TODAY }), record_measure: ok('notice_issued', {}, MEASURE), handover: EXITED },
      // The notice is out: serving the determination no longer moves a window.
      guarded: { record_service: ['mark_overdue', 'record_measure', 'handover'] },
    },
    overdue: {
      allowed: ['record_measure', 'handover'],
      steps: { record_measure: ok('overdue', {}, MEASURE), handover: EXITED },
    },
    closed: {
      allowed: ['reopen'],
      steps: { reopen: ok('open', { closed_at: null, outcome: null }) },
    },
  },
  waiting_removal: {
    // Confirming a 轮候 household removes it from the waiting list: no contest window, no notice.
    ...beforeConfirmation(ok('closed', { confirmed_at: TODAY, confirmed_by: 'admin-a', closed_at: NOW, outcome: 'removed_from_waiting' })),
    notified: { allowed: ['handover'], steps: { handover: EXITED } },
    contested: { allowed: ['handover'], steps: { handover: EXITED } },
    notice_issued: { allowed: ['handover'], steps: { handover: EXITED } },
    overdue: { allowed: ['handover'], steps: { handover: EXITED } },
    closed: { allowed: ['reopen'], steps: { reopen: ok('open', { closed_at: null, outcome: null }) } },
  },
  tenant_change: {
    open: {
      allowed: ['dismiss', 'complete_task'],
      steps: { dismiss: ok('closed', DISMISSED), complete_task: ok('closed', { closed_at: NOW, outcome: 'tenant_changed' }) },
    },
    inspection: { allowed: ['dismiss'], steps: { dismiss: ok('closed', DISMISSED) } },
    inspected: { allowed: ['dismiss'], steps: { dismiss: ok('closed', DISMISSED) } },
    notified: { allowed: [], steps: {} },
    contested: { allowed: [], steps: {} },
    notice_issued: { allowed: [], steps: {} },
    overdue: { allowed: [], steps: {} },
    // A task is never reopened.
    closed: { allowed: [], steps: {} },
  },
};

describe('case machine (policy.md section C): every status × action', () => {
  for (const kind of Object.keys(GRID) as CaseKind[]) {
    for (const status of ALL_STATUSES) {
      const row = GRID[kind][status];
      describe(`${kind} in ${status}`, () => {
        it(`allows ${row.allowed.join(', ') || 'no step'}`, () => {
          expect(nextActions(status, kind)).toEqual(row.allowed);
        });
        for (const action of ALL_ACTIONS) {
          const expected = row.steps[action] ?? refused(status, row.guarded?.[action] ?? row.allowed);
          it(`${action}: ${'to' in expected ? `→ ${String(expected.to)}` : `refused (allowed: ${(expected as { allowed: string[] }).allowed.join(', ') || 'none'})`}`, () => {
            const r = act(state(kind, status), action);
            if ('to' in expected) expect(r).toEqual({ ...expected, from: status });
            else expect(r).toMatchObject(expected);
          });
        }
      });
    }
  }
});

describe('case machine: the guards, each boundary to the day', () => {
  it('a refused step says which state refused which step', () => {
    expect(act(state('exit', 'open'), 'contest')).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: '案件当前状态「待核实」不能执行「登记申辩/复核申请」',
      status: 'open',
      allowed: ['order_inspection', 'confirm', 'dismiss', 'handover'],
    });
  });

  it('SUBLET and VACANT are confirmed only after an inspection found them true', () => {
    const why = '转租转借、空置须先有入户核查结果（核实属实）才能认定';
    for (const rule of ['SUBLET', 'VACANT']) {
      expect(act(state('exit', 'open', { openRules: [rule, 'VEHICLE'] }), 'confirm')).toEqual({
        ok: false,
        code: 'INVALID_TRANSITION',
        message: why,
        status: 'open',
        allowed: ['order_inspection', 'dismiss', 'handover'],
      });
      expect(act(state('exit', 'inspected', { openRules: [rule], inspectionResult: 'not_found' }), 'confirm')).toMatchObject(
        refused('inspected', ['order_inspection', 'dismiss', 'handover']),
      );
      expect(act(state('exit', 'inspected', { openRules: [rule], inspectionResult: 'confirmed', nature: 'violation' }), 'confirm')).toMatchObject(
        ok('notified', { confirmed_at: TODAY, confirmed_by: 'admin-a', contest_deadline: '2026-03-17' }),
      );
    }
  });

  it('four eyes: who dismissed the case may not confirm it; another reviewer or an admin may', () => {
    const k = state('exit', 'open', { dismissedBy: ['reviewer-a'] });
    expect(act(k, 'confirm', INPUT.confirm, ctx({ actor: reviewer }))).toEqual(forbidden('曾作误报排除的人员不能认定同一案件（需另一审核人或管理员）'));
    expect(act(k, 'confirm', INPUT.confirm, ctx({ actor: { name: 'reviewer-b', role: 'reviewer' } }))).toMatchObject(ok('notified', { confirmed_by: 'reviewer-b' }));
    expect(act(state('exit', 'open', { dismissedBy: ['admin-a'] }), 'confirm', INPUT.confirm, ctx())).toMatchObject(ok('notified', { confirmed_by: 'admin-a' }));
  });

  it('only a case dismissed as 误报 is reopened, and not beside another open case of its household', () => {
    for (const outcome of ['exited', 'resolved', 'overturned', 'removed_from_waiting', 'tenant_changed']) {
      expect(act(state('exit', 'closed', { outcome }), 'reopen')).toEqual({
        ok: false,
        code: 'INVALID_TRANSITION',
        message: '只有误报排除的案件可以重新打开',
        status: 'closed',
        allowed: [],
      });
    }
    expect(act(state('exit', 'closed', { otherOpenCase: '17' }), 'reopen')).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: '该家庭已有未结案件（17），不能重新打开',
      status: 'closed',
      allowed: [],
    });
  });

  it('the contest window: a contest on its last day is accepted, the day after refused; the notice not before the day after', () => {
    const k = state('exit', 'notified', { contestDeadline: '2026-03-02' });
    expect(act(k, 'contest')).toMatchObject(ok('contested'));
    expect(act(k, 'issue_notice', {}, ctx())).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: '申辩期至 2026-03-02 届满后方可下达退出通知',
      status: 'notified',
      allowed: ['contest', 'record_service', 'handover'],
    });
    const dayAfter = ctx({ today: '2026-03-03' });
    expect(act(k, 'contest', INPUT.contest, dayAfter)).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: '申辩期已于 2026-03-02 届满',
      status: 'notified',
      allowed: ['issue_notice', 'record_service', 'handover'],
    });
    expect(act(k, 'issue_notice', {}, dayAfter)).toMatchObject(ok('notice_issued', { notice_at: '2026-03-03', deadline: '2026-06-01', market_rent_from: '2026-03-03' }));
  });

  it('the notice: deadline + 90 days for 资格不符, + 30 for 违规; market rent from the notice date', () => {
    const day = ctx({ today: '2026-03-03' });
    expect(act(state('exit', 'notified', { nature: 'violation' }), 'issue_notice', {}, day)).toMatchObject(
      ok('notice_issued', { notice_at: '2026-03-03', deadline: '2026-04-02', market_rent_from: '2026-03-03' }),
    );
    expect(act(state('exit', 'contested', { nature: 'violation' }), 'decide_contest')).toMatchObject(
      ok('notice_issued', { notice_at: TODAY, deadline: '2026-04-01', market_rent_from: TODAY }),
    );
  });

  it('a contest overturned closes the case: no notice', () => {
    expect(act(state('exit', 'contested'), 'decide_contest', { decision: 'overturned', reason: '撤销认定' })).toEqual({
      ok: true,
      from: 'contested',
      to: 'closed',
      set: { closed_at: NOW, outcome: 'overturned', status: 'closed', updated_at: NOW },
    });
  });

  it('应退未退 the day after the deadline, not on it', () => {
    const k = state('exit', 'notice_issued', { deadline: '2026-03-02' });
    expect(act(k, 'mark_overdue', {}, ctx())).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: '应退日期 2026-03-02 未到',
      status: 'notice_issued',
      allowed: ['record_measure', 'record_service', 'handover'],
    });
    expect(act(k, 'mark_overdue', {}, ctx({ today: '2026-03-03' }))).toMatchObject(ok('overdue', { overdue_at: '2026-03-03' }));
  });

  it('an inspection is due in 15 days unless the reviewer sets another period; a handover without a date is today\'s', () => {
    expect(act(state('exit', 'open'), 'order_inspection', { dueDays: 7 })).toMatchObject(ok('inspection', { inspection_due: '2026-03-09' }));
    expect(act(state('exit', 'overdue'), 'handover', {})).toMatchObject({ effect: { kind: 'end_occupation', on: TODAY } });
  });

  it('a whole exit: confirmed on D, notice on D+16, deadline D+16+90, 应退未退 the day after', () => {
    let k = state('exit', 'open');
    const go = (action: CaseAction, today: string, input: object = INPUT[action]) => {
      const r = act(k, action, input, ctx({ today }));
      if (!r.ok) throw new Error(r.message);
      k = { ...k, status: r.to, contestDeadline: r.set.contest_deadline ?? k.contestDeadline, deadline: r.set.deadline ?? k.deadline };
      return r.set;
    };
    expect(go('confirm', '2026-03-02')).toMatchObject({ confirmed_at: '2026-03-02', contest_deadline: '2026-03-17' });
    expect(act(k, 'issue_notice', {}, ctx({ today: '2026-03-17' })).ok).toBe(false);
    expect(go('issue_notice', '2026-03-18')).toMatchObject({ notice_at: '2026-03-18', deadline: '2026-06-16', market_rent_from: '2026-03-18' });
    expect(act(k, 'mark_overdue', {}, ctx({ today: '2026-06-16' })).ok).toBe(false);
    expect(go('mark_overdue', '2026-06-17')).toMatchObject({ overdue_at: '2026-06-17', status: 'overdue' });
    expect(go('handover', '2026-07-01', { handedOverOn: '2026-06-30' })).toMatchObject({ status: 'closed', outcome: 'exited' });
  });

  it('is pure: the state is not changed, and the same question gets the same answer', () => {
    const k = Object.freeze(state('exit', 'notified'));
    const c = ctx();
    expect(act(k, 'issue_notice', {}, c)).toEqual(act(k, 'issue_notice', {}, c));
  });
});

describe('case machine: who may take each step', () => {
  it('notices and 应退未退 are the system\'s (admin); inspections and measures also an inspector\'s; every other step a reviewer\'s or an admin\'s', () => {
    const roles = Object.fromEntries(Object.entries(TRANSITIONS).map(([a, s]) => [a, s.roles]));
    expect(roles).toEqual({
      order_inspection: ['admin', 'reviewer'],
      record_inspection: ['admin', 'reviewer', 'inspector'],
      confirm: ['admin', 'reviewer'],
      dismiss: ['admin', 'reviewer'],
      reopen: ['admin', 'reviewer'],
      contest: ['admin', 'reviewer'],
      decide_contest: ['admin', 'reviewer'],
      issue_notice: ['admin'],
      mark_overdue: ['admin'],
      record_measure: ['admin', 'reviewer', 'inspector'],
      record_service: ['admin', 'reviewer', 'inspector'],
      handover: ['admin', 'reviewer'],
      complete_task: ['admin', 'reviewer'],
    });
  });

  it('a role without the step is refused before the state is looked at', () => {
    expect(act(state('exit', 'notified'), 'issue_notice', {}, ctx({ actor: reviewer }))).toEqual(forbidden('角色 reviewer 无权执行「下达退出通知」'));
    expect(act(state('exit', 'notice_issued'), 'mark_overdue', {}, ctx({ actor: reviewer }))).toEqual(forbidden('角色 reviewer 无权执行「列入应退未退」'));
    const inspector: Actor = { name: 'inspector-a', role: 'inspector' };
    const refusedToInspector: CaseAction[] = ['order_inspection', 'confirm', 'dismiss', 'reopen', 'contest', 'decide_contest', 'issue_notice', 'mark_overdue', 'handover', 'complete_task'];
    for (const action of refusedToInspector) {
      expect(act(state('exit', 'open'), action, INPUT[action], ctx({ actor: inspector }))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    expect(act(state('exit', 'inspected'), 'confirm', INPUT.confirm, ctx({ actor: inspector }))).toEqual(forbidden('角色 inspector 无权执行「退出认定」'));
    expect(act(state('exit', 'contested'), 'decide_contest', INPUT.decide_contest, ctx({ actor: inspector }))).toEqual(forbidden('角色 inspector 无权执行「复核决定」'));
    expect(act(state('exit', 'inspection'), 'record_inspection', INPUT.record_inspection, ctx({ actor: inspector }))).toMatchObject({ ok: true, to: 'inspected' });
    expect(act(state('exit', 'notice_issued'), 'record_measure', INPUT.record_measure, ctx({ actor: inspector }))).toMatchObject({ ok: true, to: 'notice_issued' });
    for (const role of ['viewer', 'auditor'] as const) {
      for (const action of ALL_ACTIONS) {
        expect(act(state('exit', 'open'), action, INPUT[action], ctx({ actor: { name: role, role } }))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      }
    }
  });
});

describe('case machine: 送达 moves the window and the deadline to run from the day served', () => {
  const serve = (k: CaseState, input: object) => act(k, 'record_service', input);

  it('the exit notice served later moves the deadline (90 days for 资格不符, 30 for 违规) but not the market rent', () => {
    const issued = state('exit', 'notice_issued', { noticeAt: '2026-02-20' });
    expect(serve(issued, { notice: 'exit_notice', method: '邮寄送达', servedOn: '2026-02-25' })).toEqual({
      ...ok('notice_issued', { notice_served_on: '2026-02-25', notice_served_method: '邮寄送达', deadline: '2026-05-26' }),
      from: 'notice_issued',
    });
    const violation = state('exit', 'notice_issued', { noticeAt: '2026-02-20', nature: 'violation' });
    expect(serve(violation, { notice: 'exit_notice', method: '公告送达', servedOn: '2026-02-25' })).toMatchObject({ ok: true, set: { deadline: '2026-03-27' } });
  });

  it('served on the day of the notice or of the confirmation: allowed; the day before: refused', () => {
    const issued = state('exit', 'notice_issued', { noticeAt: '2026-02-20' });
    expect(serve(issued, { notice: 'exit_notice', method: '直接送达', servedOn: '2026-02-20' })).toMatchObject({ ok: true, set: { deadline: '2026-05-21' } });
    expect(serve(issued, { notice: 'exit_notice', method: '直接送达', servedOn: '2026-02-19' })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION', message: '送达日期不能早于通知日期（2026-02-20）' });
    const notified = state('exit', 'notified', { confirmedAt: '2026-02-25' });
    expect(serve(notified, { notice: 'exit_determination', method: '留置送达', servedOn: '2026-02-25' })).toMatchObject({ ok: true, set: { contest_deadline: '2026-03-12' } });
    expect(serve(notified, { notice: 'exit_determination', method: '留置送达', servedOn: '2026-02-24' })).toMatchObject({ ok: false, message: '送达日期不能早于认定日期（2026-02-25）' });
  });

  it('a service dated after today, or of an exit notice not yet issued, is refused', () => {
    expect(serve(state('exit', 'notified'), { notice: 'exit_determination', method: '直接送达', servedOn: '2026-03-03' })).toMatchObject({ ok: false, message: '送达日期 2026-03-03 不能晚于今天（2026-03-02）' });
    expect(serve(state('exit', 'notified'), { notice: 'exit_notice', method: '直接送达', servedOn: '2026-03-01' })).toMatchObject({ ok: false, message: '退出通知尚未下达' });
    expect(serve(state('exit', 'notified'), { notice: 'exit_determination', method: '直接送达', servedOn: TODAY })).toMatchObject({ ok: true, set: { contest_deadline: '2026-03-17' } });
  });

  it('an inspector may record a service (notices are served in the field)', () => {
    expect(act(state('exit', 'notified'), 'record_service', INPUT.record_service, ctx({ actor: { name: 'inspector-a', role: 'inspector' } }))).toMatchObject({ ok: true });
  });
});

describe('case action bodies', () => {
  it('one schema per action', () => {
    expect(Object.keys(ACTION_BODIES).sort()).toEqual([...ALL_ACTIONS].sort());
  });

  it('a bad or unknown field is a VALIDATION error naming it, with the bureau\'s reason', () => {
    const issues = (action: CaseAction, input: unknown) => {
      try {
        parseActionBody(action, input);
      } catch (err) {
        expect(err).toBeInstanceOf(DomainError);
        expect((err as DomainError).code).toBe('VALIDATION');
        return (err as DomainError).details;
      }
      throw new Error('accepted');
    };
    expect(issues('confirm', {})).toEqual([{ field: 'reason', reason: expect.any(String) as unknown }]);
    expect(issues('dismiss', { reason: ' x ' })).toEqual([{ field: 'reason', reason: '请填写误报原因' }]);
    expect(issues('record_measure', { measure: '罚款', takenOn: '2026-02-30', progress: '' })).toEqual([
      { field: 'measure', reason: expect.any(String) as unknown },
      { field: 'takenOn', reason: '日期不存在' },
      { field: 'progress', reason: '请填写进展' },
    ]);
    expect(issues('confirm', { reason: '核实属实', extra: 1 })).toEqual([{ field: 'extra', reason: '未知参数' }]);
    expect(parseActionBody('handover', undefined)).toEqual({});
  });
});
