import { CaseKind, CaseStatus, nextActions, TRANSITIONS } from '../../src/cases/case-machine';

/**
 * The case machine of policy.md section C, written out by hand: for every state and case kind, the
 * steps that may follow (in the order the 409 lists them). A change to the machine must change
 * this table.
 */
const EXPECTED: Record<CaseKind, Record<CaseStatus, string[]>> = {
  exit: {
    open: ['order_inspection', 'confirm', 'dismiss', 'handover'],
    inspection: ['record_inspection', 'dismiss', 'handover'],
    inspected: ['order_inspection', 'confirm', 'dismiss', 'handover'],
    notified: ['contest', 'issue_notice', 'handover'],
    contested: ['decide_contest', 'handover'],
    notice_issued: ['mark_overdue', 'record_measure', 'handover'],
    overdue: ['record_measure', 'handover'],
    closed: ['reopen'],
  },
  waiting_removal: {
    open: ['order_inspection', 'confirm', 'dismiss', 'handover'],
    inspection: ['record_inspection', 'dismiss', 'handover'],
    inspected: ['order_inspection', 'confirm', 'dismiss', 'handover'],
    notified: ['handover'],
    contested: ['handover'],
    notice_issued: ['handover'],
    overdue: ['handover'],
    closed: ['reopen'],
  },
  tenant_change: {
    open: ['dismiss', 'complete_task'],
    inspection: ['dismiss'],
    inspected: ['dismiss'],
    notified: [],
    contested: [],
    notice_issued: [],
    overdue: [],
    closed: [],
  },
};

describe('case machine (policy.md section C)', () => {
  for (const kind of Object.keys(EXPECTED) as CaseKind[]) {
    for (const status of Object.keys(EXPECTED[kind]) as CaseStatus[]) {
      it(`${kind} in ${status}: ${EXPECTED[kind][status].join(', ') || 'no step'}`, () => {
        expect(nextActions(status, kind)).toEqual(EXPECTED[kind][status]);
      });
    }
  }

  it('who may take each step: notices and 应退未退 are the system\'s (admin), every other step a reviewer\'s or an admin\'s', () => {
    const roles = Object.fromEntries(Object.entries(TRANSITIONS).map(([a, s]) => [a, s.roles]));
    expect(roles).toEqual({
      order_inspection: ['admin', 'reviewer'],
      record_inspection: ['admin', 'reviewer'],
      confirm: ['admin', 'reviewer'],
      dismiss: ['admin', 'reviewer'],
      reopen: ['admin', 'reviewer'],
      contest: ['admin', 'reviewer'],
      decide_contest: ['admin', 'reviewer'],
      issue_notice: ['admin'],
      mark_overdue: ['admin'],
      record_measure: ['admin', 'reviewer'],
      handover: ['admin', 'reviewer'],
      complete_task: ['admin', 'reviewer'],
    });
  });
});
