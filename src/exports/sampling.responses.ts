import { z } from 'zod';
import { idText, timestamp } from '../common/responses';

export const sampleDrawn = z.strictObject({ id: z.number().int(), seed: z.string(), rate: z.number(), runId: idText.nullable(), size: z.number().int() });
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
