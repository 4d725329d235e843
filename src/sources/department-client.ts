import { z } from 'zod';

/** How a department endpoint failed, which decides what the sync does next. */
export type FaultKind = 'auth' | 'gone' | 'rate-limited' | 'server' | 'timeout' | 'network' | 'bad-response';

export class DepartmentFault extends Error {
  constructor(
    readonly kind: FaultKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
  get retryable(): boolean {
    return this.kind !== 'auth' && this.kind !== 'gone';
  }
}

const pageSchema = z.object({
  source: z.string().optional(),
  records: z.array(z.unknown()),
  nextCursor: z.string().nullable().optional(),
  hasMore: z.boolean(),
  snapshotAt: z.string().optional(),
});
export type Page = z.infer<typeof pageSchema>;

/** Retry-After: delta seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The one HTTP client of the department data-exchange endpoints (feeds.md 1a). It only fetches
 * and classifies; retries and cursors are the sync's business.
 */
export class DepartmentClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  async page(cursor: string | null, limit: number): Promise<Page> {
    const url = new URL(`${this.baseUrl.replace(/\/+$/, '')}/records`);
    if (cursor) url.searchParams.set('cursor', cursor);
    url.searchParams.set('limit', String(limit));
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        headers: { Authorization: `Bearer ${this.token ?? ''}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new DepartmentFault('timeout', `响应超时（${this.timeoutMs} ms）`);
      throw new DepartmentFault('network', `网络错误: ${(e.cause as Error)?.message ?? e.message}`);
    }
    if (res.status === 401 || res.status === 403) throw new DepartmentFault('auth', `访问凭证被拒绝（HTTP ${res.status}）`, res.status);
    if (res.status === 410) throw new DepartmentFault('gone', '游标已失效（HTTP 410），需全量重新同步', 410);
    if (res.status === 429) throw new DepartmentFault('rate-limited', '请求过于频繁（HTTP 429）', 429, retryAfterMs(res.headers.get('retry-after')));
    if (res.status >= 500) throw new DepartmentFault('server', `数据源服务错误（HTTP ${res.status}）`, res.status);
    if (res.status !== 200) throw new DepartmentFault('bad-response', `意外的响应（HTTP ${res.status}）`, res.status);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new DepartmentFault('bad-response', '响应不是有效的 JSON');
    }
    const page = pageSchema.safeParse(body);
    if (!page.success) throw new DepartmentFault('bad-response', `响应格式不符合约定: ${page.error.issues[0]?.path.join('.')} ${page.error.issues[0]?.message}`);
    return page.data;
  }
}
