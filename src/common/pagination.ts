import { z } from 'zod';

/** The page and pageSize query parameters every list endpoint takes. */
export const pageShape = (defaultSize = 100) => ({
  page: z.coerce.number().int().min(1).max(1_000_000, '页码超出范围').default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(defaultSize),
});

/**
 * A page as `LIMIT $n OFFSET $m`, its values bound after `params`. Returns a new parameter list,
 * so a count query over the same filter keeps `params` as they were.
 */
export function pageClause(params: readonly unknown[], q: { page: number; pageSize: number }): { sql: string; params: unknown[] } {
  const all = [...params, q.pageSize, (q.page - 1) * q.pageSize];
  return { sql: `LIMIT $${all.length - 1} OFFSET $${all.length}`, params: all };
}
