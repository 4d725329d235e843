import { z } from 'zod';
import { idText, pageOf, progress, timestamp } from '../common/responses';

export const syncRunView = z.strictObject({
  runId: idText,
  mode: z.string(),
  trigger: z.string(),
  status: z.string(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
  received: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  withdrawn: z.number().int(),
  pages: z.number().int(),
  files: z.number().int(),
  skippedFiles: z.number().int(),
  cursorFrom: z.string().nullable(),
  cursorTo: z.string().nullable(),
  error: z.string().nullable(),
  progress: progress.nullable(),
});

const sourceStatusShape = {
  source: z.string(),
  label: z.string(),
  transport: z.string().nullable(),
  status: z.string(),
  schedule: z.strictObject({ cron: z.string(), next: timestamp.nullable() }).nullable(),
  lastSuccessAt: timestamp.nullable(),
  cursor: z.string().nullable(),
  resyncInProgress: z.boolean(),
  error: z.string().nullable(),
  records: z.strictObject({ current: z.number().int(), deleted: z.number().int() }),
  rejectedTotal: z.number().int(),
  lastRun: syncRunView.nullable(),
};
export const sourceStatus = z.strictObject(sourceStatusShape);
export const sourceList = z.array(sourceStatus);
export const sourceDetail = z.strictObject({ ...sourceStatusShape, unmatchedAddressRecords: z.number().int(), runs: z.array(syncRunView) });

/** A rejected record: known columns only, ID numbers and names masked. */
export const sourceRejectionPage = pageOf(
  z.strictObject({ id: idText, runId: idText, recordId: z.string().nullable(), location: z.string().nullable(), reason: z.string(), raw: z.record(z.string(), z.unknown()), receivedAt: timestamp }),
);
export const syncAccepted = z.strictObject({ jobs: z.array(z.strictObject({ id: z.string(), source: z.string() })) });
