import { z } from 'zod';
import { calendarDate, timestamp } from '../common/responses';
import { policyDocumentSchema } from './policy.schema';

export const policyVersions = z.array(
  z.strictObject({ id: z.number().int(), version: z.string(), regionCode: z.string(), effectiveFrom: calendarDate, createdAt: timestamp, createdBy: z.string() }),
);
/** A version's document, as it was validated when it was added. */
export const policyDocument = policyDocumentSchema;
export const policyCreated = z.strictObject({ id: z.number().int(), version: z.string(), effectiveFrom: calendarDate, document: policyDocumentSchema });

/** A draft policy (what-if), with its whole document. */
export const policyDraft = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  baseVersion: z.string(),
  status: z.enum(['draft', 'adopted']),
  adoptedVersion: z.string().nullable(),
  document: policyDocumentSchema,
  createdBy: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const policyDrafts = z.array(policyDraft);
