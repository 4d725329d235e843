import { z } from 'zod';
import { calendarDate, idText, timestamp } from '../common/responses';

const count = z.number().int().min(0);

/** The 工作台 in the caller's scope. */
export const dashboard = z.strictObject({
  asOf: calendarDate,
  run: z.strictObject({ id: idText, asOf: calendarDate, policyVersion: z.string(), finishedAt: timestamp.nullable() }).nullable(),
  findings: z.strictObject({
    byRule: z.array(z.strictObject({ rule: z.string(), name: z.string(), level: z.string().nullable(), findings: count, households: count })),
    byTown: z.array(z.strictObject({ town: z.string(), findings: count, households: count })),
    byProject: z.array(z.strictObject({ projectCode: z.string().nullable(), projectName: z.string().nullable(), town: z.string(), findings: count, households: count })),
  }),
  funnel: z.strictObject({ found: count, confirmed: count, noticed: count, overdue: count, overdueNow: count, exited: count, dismissed: count }),
  inspectionsPastDue: count,
  overdueByWeek: z.array(z.strictObject({ weekEnd: calendarDate, overdue: count })),
  changes: z.strictObject({ previousRunId: idText, new: count, resolved: count, changed: count }).nullable(),
});
