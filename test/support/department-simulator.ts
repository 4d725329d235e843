import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A department data-exchange endpoint (feeds.md 1a) on a loopback port: paging with opaque
 * cursors, incremental delivery of changes, 410 for forgotten cursors, and injectable faults
 * (401, 429 with Retry-After, 5xx, slow or never-completing responses, malformed bodies).
 */
export type Fault =
  | { status: 401 | 403 | 500 | 502 | 503 }
  | { status: 429; retryAfter: string }
  | { delayMs: number }
  | { hang: true }
  | { body: string }
  | { repeatPrevious: true }
  /** No fault: this request is answered normally (to place a later fault on a later request). */
  | { pass: true };

interface Version {
  recordId: string;
  updatedAt: string;
  op?: 'delete';
  [k: string]: unknown;
}

export class DepartmentSimulator {
  token = 'dept-secret';
  private server!: Server;
  private readonly log: Version[] = [];
  private epoch = 1;
  private readonly faults: Fault[] = [];
  readonly requests: { cursor: string | null; limit: number; at: number; status: number }[] = [];
  private lastPage: { start: number; end: number } | null = null;
  /** Delay every response (to let a test kill a worker mid-sync). */
  pageDelayMs = 0;
  /** The most records one page carries, whatever limit the client asks for. */
  maxPageSize = 1000;

  constructor(readonly source: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Adds or changes records (a new version each). */
  put(...records: Version[]): void {
    this.log.push(...records);
  }

  /** Appends raw (possibly malformed) elements to the change log. */
  putRaw(...records: unknown[]): void {
    this.log.push(...(records as Version[]));
  }

  remove(recordId: string, updatedAt: string): void {
    this.log.push({ recordId, updatedAt, op: 'delete' });
  }

  /** Forgets every cursor handed out so far (the next request with one gets 410). */
  expireCursors(): void {
    this.epoch++;
  }

  /** The department's current set: the latest version of each record, deletions removed. */
  current(): Map<string, Version> {
    const latest = new Map<string, Version>();
    for (const v of this.log) {
      if (!v || typeof v !== 'object' || typeof v.recordId !== 'string') continue;
      const prev = latest.get(v.recordId);
      if (!prev || Date.parse(v.updatedAt) >= Date.parse(prev.updatedAt)) latest.set(v.recordId, v);
    }
    for (const [id, v] of latest) if (v.op === 'delete') latest.delete(id);
    return latest;
  }

  inject(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const cursor = url.searchParams.get('cursor');
    const limit = Math.min(this.maxPageSize, Math.max(1, Number(url.searchParams.get('limit') ?? 500)));
    const entry = { cursor, limit, at: Date.now(), status: 200 };
    this.requests.push(entry);
    const reply = (status: number, body: unknown, headers?: Record<string, string>) => {
      entry.status = status;
      this.send(res, status, body, headers);
    };
    if (url.pathname !== '/records') return reply(404, { error: 'not found' });
    if (req.headers.authorization !== `Bearer ${this.token}`) return reply(401, { error: 'bad token' });
    // Unref: a slow answer still pending when a test ends must not keep the test process alive.
    if (this.pageDelayMs) await new Promise((r) => setTimeout(r, this.pageDelayMs).unref());
    const fault = this.faults.shift();
    if (fault) {
      if ('hang' in fault) return; // never answers
      if ('delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs).unref());
      else if ('body' in fault) return reply(200, fault.body);
      else if ('status' in fault) return reply(fault.status, { error: 'fault' }, fault.status === 429 ? { 'Retry-After': fault.retryAfter } : {});
      else if ('pass' in fault) {
        /* answered normally below */
      } else if ('repeatPrevious' in fault && this.lastPage) {
        // At-least-once: the previous page again, with its cursor.
        const { start, end } = this.lastPage;
        return reply(200, this.incrementalBody(start, end));
      }
    }
    if (!cursor) return reply(200, this.snapshotPage(0, this.log.length, limit));
    const m = /^(s|c)_(\d+)_(\d+)(?:_(\d+))?$/.exec(cursor);
    if (!m || Number(m[2]) !== this.epoch) return reply(410, { error: 'cursor gone' });
    if (m[1] === 's') return reply(200, this.snapshotPage(Number(m[4]), Number(m[3]), limit));
    const start = Number(m[3]);
    const end = Math.min(this.log.length, start + limit);
    this.lastPage = { start, end };
    return reply(200, this.incrementalBody(start, end));
  }

  private incrementalBody(start: number, end: number) {
    return {
      source: this.source,
      records: this.log.slice(start, end),
      nextCursor: `c_${this.epoch}_${end}`,
      hasMore: end < this.log.length,
      snapshotAt: new Date().toISOString(),
    };
  }

  /** Without a cursor: the current set as of log position `at`, then incremental from there. */
  private snapshotPage(offset: number, at: number, limit: number) {
    const latest = new Map<string, Version>();
    for (const v of this.log.slice(0, at)) {
      const id = v && typeof v === 'object' ? v.recordId : undefined;
      if (typeof id !== 'string') {
        latest.set(`__raw_${latest.size}`, v);
        continue;
      }
      const prev = latest.get(id);
      if (!prev || Date.parse(v.updatedAt) >= Date.parse(prev.updatedAt)) latest.set(id, v);
    }
    const all = [...latest.values()].filter((v) => !(v && typeof v === 'object' && v.op === 'delete'));
    const page = all.slice(offset, offset + limit);
    const end = offset + page.length;
    const more = end < all.length;
    return {
      source: this.source,
      records: page,
      nextCursor: more ? `s_${this.epoch}_${at}_${end}` : `c_${this.epoch}_${at}`,
      hasMore: more,
      snapshotAt: new Date().toISOString(),
    };
  }
}
