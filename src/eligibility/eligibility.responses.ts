import { z } from 'zod';
import { calendarDate, counts, idText, pageOf, progress, timestamp } from '../common/responses';

/** The run a read is about. */
export const runRef = z.strictObject({ id: idText, asOf: calendarDate, policyVersion: z.string(), mode: z.string(), finishedAt: timestamp.nullable() });

export const recomputeAccepted = z.strictObject({ jobId: z.string() });

/** A recompute run; its city-wide figures are null for an actor with a scope. */
export const recomputeRun = z.strictObject({
  id: idText,
  as_of: calendarDate,
  policy_version: z.string(),
  mode: z.string(),
  status: z.string(),
  trigger: z.string(),
  base_run_id: idText.nullable(),
  shards: z.number().int().nullable(),
  households: z.number().int().nullable(),
  evaluated: z.number().int().nullable(),
  with_findings: z.number().int().nullable(),
  counts: z
    .object({ byRule: counts.optional(), changes: z.record(z.string(), z.number()).nullable().optional(), previousRunId: idText.nullable().optional() })
    .catchall(z.unknown())
    .nullable(),
  started_at: timestamp.nullable(),
  finished_at: timestamp.nullable(),
  progress: progress.nullable(),
});
export const recomputeRuns = z.array(recomputeRun);

export const runChanges = z.strictObject({
  runId: idText,
  previousRunId: idText.nullable(),
  items: z.array(z.strictObject({ householdCode: z.string(), rule: z.string(), change: z.string() })),
});

export const findingItem = z.strictObject({
  householdCode: z.string(),
  status: z.string(),
  projectCode: z.string().nullable(),
  town: z.string().nullable(),
  rule: z.string(),
  name: z.string(),
  level: z.enum(['low', 'medium', 'high']).nullable(),
  score: z.number().nullable(),
  explanation: z.string().nullable(),
  /** 主动申报 (true) or 瞒报 (false) as the finding's case records it; null when on no case. */
  declared: z.boolean().nullable(),
});
export const findingPage = pageOf(findingItem).extend({ run: runRef });

export const findingCounts = z.strictObject({ run: runRef, byRule: counts, byTown: z.record(z.string(), counts) });

/** A finding's evidence: the values, records and thresholds it rests on (rule-specific values). */
const evidence = z
  .object({
    code: z.string(),
    name: z.string(),
    nature: z.string().nullable().optional(),
    values: z.record(z.string(), z.unknown()).optional(),
    records: z.array(z.record(z.string(), z.unknown())).optional(),
    thresholds: z.record(z.string(), z.unknown()).optional(),
    explanation: z.string(),
    policyVersion: z.string().optional(),
  })
  .catchall(z.unknown());

/** A household's verdict in a run, with every finding's evidence (ID numbers masked unless disclosed). */
export const verdictResponse = z.strictObject({
  householdCode: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  project: z.strictObject({ code: z.string(), name: z.string(), town: z.string().nullable() }).nullable(),
  unit: z.strictObject({ code: z.string(), address: z.string().nullable() }).nullable(),
  run: runRef,
  verdict: z.enum(['findings', 'clean']),
  rules: z.array(z.string()),
  subletScore: z.number().nullable(),
  subletLevel: z.enum(['low', 'medium', 'high']).nullable(),
  tasks: z.array(z.unknown()),
  persons: z.array(z.strictObject({ personId: z.number().int(), idNo: z.string(), name: z.string(), relation: z.string(), relationLabel: z.string() })),
  evaluation: z.record(z.string(), z.unknown()).nullable(),
  findings: z.array(evidence),
});

/** A household's rules in each of the latest completed runs, newest first. */
export const householdHistory = z.array(
  z.strictObject({ runId: idText, asOf: calendarDate, policyVersion: z.string(), finishedAt: timestamp.nullable(), rules: z.array(z.string()) }),
);
