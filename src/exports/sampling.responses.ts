import { z } from 'zod';
import { idText, pageOf, timestamp } from '../common/responses';

export const sampleDrawn = z.strictObject({ id: z.number().int(), seed: z.string(), rate: z.number(), runId: idText.nullable(), size: z.number().int() });
/** A sample in the list: its size and checked count are of the reader's scope. */
export const samplePage = pageOf(
  z.strictObject({ id: z.number().int(), seed: z.string(), rate: z.number(), runId: idText.nullable(), createdAt: timestamp, createdBy: z.string(), size: z.number().int(), checked: z.number().int() }),
);
export const sampleItems = z.array(
  z.strictObject({
    householdCode: z.string(),
    projectCode: z.string().nullable(),
    serviceRules: z.array(z.string()),
    checkRules: z.array(z.string()).nullable(),
    checked: z.boolean(),
    note: z.string().nullable(),
    checkedBy: z.string().nullable(),
    checkedAt: timestamp.nullable(),
  }),
);
export const sampleChecked = z.strictObject({ sampleId: z.number().int(), householdCode: z.string(), checkRules: z.array(z.string()) });
/** 漏报 (the check found what the service did not) or 误报 (the reverse). */
export const discrepancies = z.array(z.strictObject({ householdCode: z.string(), projectCode: z.string().nullable(), rule: z.string(), name: z.string(), kind: z.enum(['漏报', '误报']) }));
