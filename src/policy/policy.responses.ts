import { z } from 'zod';
import { calendarDate, timestamp } from '../common/responses';
import { policyDocumentSchema } from './policy.schema';

export const policyVersions = z.array(
  z.strictObject({ id: z.number().int(), version: z.string(), regionCode: z.string(), effectiveFrom: calendarDate, createdAt: timestamp, createdBy: z.string() }),
);
/** A version's document, as it was validated when it was added. */
export const policyDocument = policyDocumentSchema;
export const policyCreated = z.strictObject({ id: z.number().int(), version: z.string(), effectiveFrom: calendarDate, document: policyDocumentSchema });
