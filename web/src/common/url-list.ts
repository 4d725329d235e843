import type { TablePaginationConfig } from 'antd';
import { useSearchParams } from 'react-router';
import { count } from './format';

/** A copy of the URL's parameters with these changed (undefined removes one). */
export function withParams(params: URLSearchParams, changes: Record<string, string | undefined>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) {
    if (v) next.set(k, v);
    else next.delete(k);
  }
  return next;
}

/**
 * A server-paged list whose filters and page live in the URL, so that every list can be linked to:
 * the filters named by `keys`, the page and its size, and the changes a page makes to them.
 */
export function useUrlList<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(keys.map((k) => [k, params.get(k) || undefined])) as Partial<Record<K, string>>;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(200, Math.max(1, Number(params.get('pageSize')) || 20));
  const update = (changes: Record<string, string | undefined>) => setParams(withParams(params, changes));
  return {
    params,
    filters,
    page,
    pageSize,
    update,
    /** The filters, the page and its size: the list's query. */
    query: { ...filters, page, pageSize },
    /** Changed filters: back to the first page. */
    filter: (changes: Partial<Record<K, string | undefined>>) => update({ ...changes, page: undefined }),
    /** Every filter cleared, but these kept. */
    reset: (keep: Record<string, string | undefined> = {}) => setParams(withParams(new URLSearchParams(), keep)),
    /** The table's server pagination (`total` rows, counted in `unit`). */
    pagination: (total: number, unit = '条'): TablePaginationConfig => ({
      current: page,
      pageSize,
      total,
      showSizeChanger: true,
      pageSizeOptions: [20, 50, 100],
      showTotal: (n) => `共 ${count(n)} ${unit}`,
      onChange: (p, s) => update({ page: String(p), pageSize: String(s) }),
    }),
  };
}

export type UrlList = ReturnType<typeof useUrlList>;
