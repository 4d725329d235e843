import { z } from 'zod';

/** Shapes shared by the response schemas (src/<module>/<module>.responses.ts). */

/** A timestamp as JSON carries it: ISO 8601 with time and offset. */
export const timestamp = z.iso.datetime({ offset: true });
/** A calendar date (YYYY-MM-DD). */
export const calendarDate = z.iso.date();
/** A bigint id, as text. */
export const idText = z.string().regex(/^\d+$/);
/** Counts by key (by rule, by status). */
export const counts = z.record(z.string(), z.number().int());

/** Long work's progress while it runs (src/common/progress.ts); total null where not known up front. */
export const progress = z.strictObject({
  done: z.number().int().min(0),
  total: z.number().int().min(0).nullable(),
  unit: z.enum(['households', 'records', 'shards', 'rows']),
  startedAt: timestamp,
  rate: z.number().min(0).nullable(),
});

/** A list endpoint's page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), total: z.number().int().min(0), page: z.number().int().min(1), pageSize: z.number().int().min(1) });
