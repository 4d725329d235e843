import { z } from 'zod';
import { calendarDate, idText, pageOf, timestamp } from '../common/responses';

export const caseStatus = z.enum(['open', 'inspection', 'inspected', 'notified', 'contested', 'notice_issued', 'overdue', 'closed']);
export const caseKind = z.enum(['exit', 'waiting_removal', 'tenant_change']);
const nature = z.enum(['eligibility', 'violation']).nullable();

/** The user a case is assigned to. */
export const assignee = z.strictObject({ id: z.number().int(), username: z.string(), displayName: z.string() }).nullable();

/** A case as the list shows it. */
export const caseItem = z.strictObject({
  id: idText,
  householdCode: z.string(),
  kind: caseKind,
  status: caseStatus,
  statusLabel: z.string(),
  nature,
  declared: z.boolean(),
  deadline: calendarDate.nullable(),
  projectCode: z.string(),
  town: z.string().nullable(),
  rules: z.array(z.string()),
  assignee,
});
export const casePage = pageOf(caseItem);

/** The 案件 page's queues with their counts. */
export const caseQueues = z.array(z.strictObject({ key: z.string(), label: z.string(), count: z.number().int() }));

/** Users a case may be assigned to. */
export const assigneeList = z.array(z.strictObject({ id: z.number().int(), username: z.string(), displayName: z.string(), role: z.string() }));

/** A case with its findings, measures, allowed next actions and timeline (also the answer to an action). */
export const caseDetail = z.strictObject({
  id: idText,
  householdCode: z.string(),
  kind: caseKind,
  status: caseStatus,
  statusLabel: z.string(),
  nature,
  natureLabel: z.string().nullable(),
  declared: z.boolean(),
  declaredLabel: z.string(),
  openedAt: timestamp,
  inspectionDue: calendarDate.nullable(),
  inspectionResult: z.string().nullable(),
  confirmedAt: calendarDate.nullable(),
  confirmedBy: z.string().nullable(),
  contestDeadline: calendarDate.nullable(),
  noticeAt: calendarDate.nullable(),
  deadline: calendarDate.nullable(),
  marketRentFrom: calendarDate.nullable(),
  overdueAt: calendarDate.nullable(),
  /** 送达: when and how each notice was served (its window or deadline then runs from that day). */
  service: z.strictObject({
    determination: z.strictObject({ servedOn: calendarDate, method: z.string().nullable() }).nullable(),
    exitNotice: z.strictObject({ servedOn: calendarDate, method: z.string().nullable() }).nullable(),
  }),
  closedAt: timestamp.nullable(),
  outcome: z.string().nullable(),
  assignee,
  /** The steps the case may take next that the caller's role may take (the console offers these). */
  allowedActions: z.array(z.string()),
  findings: z.array(
    z.strictObject({ rule: z.string(), name: z.string(), status: z.string(), declared: z.boolean(), explanation: z.string().nullable(), resolvedAt: timestamp.nullable() }),
  ),
  measures: z.array(z.strictObject({ measure: z.string(), takenOn: calendarDate, progress: z.string().nullable(), recordedBy: z.string(), at: timestamp })),
  timeline: z.array(
    z.strictObject({ at: timestamp, actor: z.string(), role: z.string(), action: z.string(), from_status: caseStatus.nullable(), to_status: caseStatus, reason: z.string().nullable() }),
  ),
});

/** A recorded handover: the household's open case (if any) closed as exited. */
export const handoverResult = z.strictObject({ closed: z.number().int(), caseId: idText.nullable(), householdStatus: z.literal('exited') });
