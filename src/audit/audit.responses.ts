import { z } from 'zod';
import { idText, pageOf, timestamp } from '../common/responses';

/** An entry of the audit log. */
export const auditEntry = z.strictObject({
  id: idText,
  at: timestamp,
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  purpose: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export const auditPage = pageOf(auditEntry);
