import type { FindingsQuery } from './queries';

/** The list's filters live in the URL, so every count elsewhere can link to its list. */
export const FILTER_KEYS = ['rule', 'level', 'town', 'project', 'status', 'runId'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export function queryOf(params: URLSearchParams): FindingsQuery {
  const q: Record<string, string | number> = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) q[k] = v;
  }
  q.page = Math.max(1, Number(params.get('page')) || 1);
  q.pageSize = Math.min(200, Math.max(1, Number(params.get('pageSize')) || 20));
  return q;
}
