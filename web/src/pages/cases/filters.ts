import type { CasesQuery } from './queries';

/** The list's filters live in the URL (the dashboard links to /cases?status=open, 一户一档 to ?householdCode=). */
export const FILTER_KEYS = ['queue', 'town', 'project', 'nature', 'status', 'householdCode', 'stage'] as const;

/** The 工作台 funnel's stages (?stage=, CASE_STAGES in src/cases/cases.repository.ts). */
export const STAGE_NAMES: Record<string, string> = { found: '发现', confirmed: '已认定', noticed: '已发通知', overdue: '曾应退未退', exited: '已退出', dismissed: '已撤销' };
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
