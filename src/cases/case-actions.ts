import { z } from 'zod';
import { DomainError } from '../common/errors';
import { isoDate } from '../common/schemas';
import { zodIssues } from '../common/zod-validation.pipe';
import { MEASURES, SERVICE_METHODS, type CaseAction } from './case-machine';

/**
 * The body of each case action (POST /api/cases/:id/actions/:action), validated at the controller
 * (400 naming each bad or unknown field) and again by CasesService.act for its other callers
 * (CLI, demo, deadline passes). The messages are the bureau's.
 */
export const ACTION_BODIES = {
  order_inspection: z.object({ dueDays: z.number().int().min(1).max(365).optional(), reason: z.string().trim().min(1).optional() }).strict(),
  record_inspection: z.object({ result: z.enum(['confirmed', 'not_found']), reason: z.string().trim().min(2, '请填写核查情况') }).strict(),
  confirm: z.object({ reason: z.string().trim().min(2, '请填写认定理由') }).strict(),
  dismiss: z.object({ reason: z.string().trim().min(2, '请填写误报原因') }).strict(),
  reopen: z.object({ reason: z.string().trim().min(2, '请填写重新打开的原因') }).strict(),
  contest: z.object({ reason: z.string().trim().min(2, '请填写申辩内容') }).strict(),
  decide_contest: z.object({ decision: z.enum(['upheld', 'overturned']), reason: z.string().trim().min(2, '请填写复核意见') }).strict(),
  issue_notice: z.object({ reason: z.string().trim().optional() }).strict(),
  mark_overdue: z.object({ reason: z.string().trim().optional() }).strict(),
  record_measure: z.object({ measure: z.enum(MEASURES), takenOn: isoDate, progress: z.string().trim().min(1, '请填写进展') }).strict(),
  record_service: z
    .object({
      /** The notice served: 退出认定告知书 (moves the contest window) or 退出通知书 (moves the deadline). */
      notice: z.enum(['exit_determination', 'exit_notice']),
      method: z.enum(SERVICE_METHODS),
      servedOn: isoDate,
      reason: z.string().trim().max(500).optional(),
    })
    .strict(),
  handover: z.object({ handedOverOn: isoDate.optional(), reason: z.string().trim().optional() }).strict(),
  complete_task: z.object({ reason: z.string().trim().min(2, '请说明变更情况') }).strict(),
} satisfies Record<CaseAction, z.ZodType>;

/** The validated body of an action. */
export type ActionInput<A extends CaseAction = CaseAction> = z.infer<(typeof ACTION_BODIES)[A]>;

/** Every action's body in one schema, for the API documentation. */
export const ANY_ACTION_BODY = z.union(Object.values(ACTION_BODIES) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);

/** Parses an action's body: 400 (VALIDATION) with every bad or unknown field and its reason. */
export function parseActionBody<A extends CaseAction>(action: A, input: unknown): ActionInput<A> {
  const parsed = ACTION_BODIES[action].safeParse(input ?? {});
  if (!parsed.success) throw new DomainError('VALIDATION', '请求参数无效', zodIssues(parsed.error));
  return parsed.data as ActionInput<A>;
}
