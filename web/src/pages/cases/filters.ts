import type { CasesQuery } from './queries';

/** The list's filters live in the URL (the dashboard links to /cases?status=open, 一户一档 to ?householdCode=). */
export const FILTER_KEYS = ['queue', 'town', 'project', 'nature', 'status', 'householdCode'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export function queryOf(params: URLSearchParams): CasesQuery {
  const q: Record<string, string | number> = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) q[k] = v;
  }
  q.page = Math.max(1, Number(params.get('page')) || 1);
  q.pageSize = Math.min(200, Math.max(1, Number(params.get('pageSize')) || 20));
  return q;
}

/** A copy of the URL's parameters with these changed (undefined removes one). */
export function withParams(params: URLSearchParams, changes: Record<string, string | undefined>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) {
    if (v) next.set(k, v);
    else next.delete(k);
  }
  return next;
}
