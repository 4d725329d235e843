import type { AuditQuery } from './queries';

/** The filters live in the URL (a list can be linked to). */
export const FILTER_KEYS = ['actor', 'action', 'household', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export function queryOf(params: URLSearchParams): AuditQuery {
  const q: Record<string, string | number> = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) q[k] = v;
  }
  q.page = Math.max(1, Number(params.get('page')) || 1);
  q.pageSize = Math.min(200, Math.max(1, Number(params.get('pageSize')) || 20));
  return q;
}
