import { AdvisoryLock } from '../common/advisory-locks';
import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PoolClient } from 'pg';
import { AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { NeverRetry, RetryLater } from '../common/errors';
import { detached, FileFormatError, FileUnavailable, openTabular, TabularRow } from '../common/tabular';
import { isSystemError, ReadWatchdog } from '../common/tabular-limits';
import { maskText } from '../common/masking';
import { DepartmentClient, DepartmentFault } from './department-client';
import { NormalisedRecord, normaliseRecord, rowToRecord } from './record-normaliser';
import { MergeCounts, RecordStore, StoredRejection } from './record-store';
import { COMMON_HEADERS, CompiledSource } from './source-definition';
import { SourceConfig, sourceConfig } from './source-config';
import { sourceByName } from './sources.catalog';

export interface SyncRequest {
  source: string;
  mode: 'incremental' | 'full';
  trigger: string;
}

export interface SyncSummary {
  source: string;
  runId: string;
  status: 'succeeded' | 'failed' | 'not_configured';
  transport: string;
  received: number;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
  rejected: number;
  withdrawn: number;
  pages: number;
  files: number;
  skipped: number;
  error?: string;
}

interface Tally extends MergeCounts {
  received: number;
  rejected: number;
  pages: number;
  files: number;
  skipped: number;
  withdrawn: number;
}

const PAGE_LIMIT = 1000;
/** Pages in a row that may repeat the cursor we hold (at-least-once delivery) before the source counts as broken. */
const MAX_STALLED_PAGES = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Pulls one source into PostgreSQL: one shared pipeline for all sources and both transports.
 * A source is synced by one worker at a time (advisory lock); every batch commits its records,
 * rejections, run figures and cursor together, so a killed worker resumes without loss or
 * double counting, and a repeated page or file changes nothing.
 */
@Injectable()
export class SyncService {
  private readonly log = new Logger('sync');

  constructor(
    private readonly db: DatabaseService,
    private readonly config: AppConfig,
  ) {}

  /** Retry base for faults (tests shorten it). */
  retryBaseMs = 500;
  maxRateLimitWaitMs = 60_000;
  /** How soon a job whose source is being synced elsewhere comes back (tests shorten it). */
  busyRetryMs = 5_000;

  /**
   * Syncs one source. When another worker holds the source, a job (`whenBusy: 'retry-later'`)
   * answers RetryLater at once, freeing its worker slot; a direct caller waits for the lock.
   */
  async run(req: SyncRequest, jobId?: string, whenBusy: 'wait' | 'retry-later' = 'wait'): Promise<SyncSummary> {
    const def = sourceByName(req.source);
    if (!def) throw new NeverRetry(`未知数据源: ${req.source}`);
    const cfg = sourceConfig(this.config, req.source);
    await this.closeStuckRuns();
    return this.db.withClient(async (lock) => {
      // A session ended under us (see closeStuckRuns) must not crash the process.
      const ignore = () => undefined;
      lock.on('error', ignore);
      try {
        await this.acquireSourceLock(lock, req.source, whenBusy);
        try {
          return await this.locked(def, cfg, req, jobId);
        } finally {
          await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [AdvisoryLock.SourceSync, req.source]).catch(() => undefined);
        }
      } finally {
        lock.off('error', ignore);
      }
    });
  }

  private async acquireSourceLock(c: PoolClient, source: string, whenBusy: 'wait' | 'retry-later'): Promise<void> {
    const giveUpAt = Date.now() + this.config.syncRunMaxMs;
    while (!(await tryLockSource(c, source))) {
      if (whenBusy === 'retry-later') throw new RetryLater(`数据源 ${source} 正在由另一个工作进程同步`, this.busyRetryMs);
      if (Date.now() > giveUpAt) throw new Error(`数据源 ${source} 一直被另一个同步占用`);
      await sleep(250);
    }
  }

  /**
   * Closes runs left 'running' that no worker runs any more: a run whose source lock nobody
   * holds (its process died) is closed as interrupted; a run older than SYNC_RUN_MAX_MS has the
   * session holding its lock ended (that sync fails at its next statement) and is closed as
   * failed. Either way the source is marked failing with the reason. Called before every sync and
   * periodically by the workers; returns how many runs it closed.
   */
  async closeStuckRuns(): Promise<number> {
    const { rows } = await this.db.pool.query<{ source: string; overdue: boolean }>(
      `SELECT source, bool_or(started_at < now() - $1 * interval '1 millisecond') AS overdue
         FROM sync_run WHERE status = 'running' GROUP BY source`,
      [this.config.syncRunMaxMs],
    );
    let closed = 0;
    for (const r of rows) closed += await this.closeStuckRunsOf(r.source, r.overdue);
    return closed;
  }

  private closeStuckRunsOf(source: string, overdue: boolean): Promise<number> {
    return this.db.withClient(async (c) => {
      if (await tryLockSource(c, source)) {
        try {
          return await this.closeRuns(source, 'interrupted', '同步中断: 执行该同步的工作进程已退出（下次同步从已提交的进度继续）');
        } finally {
          await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [AdvisoryLock.SourceSync, source]);
        }
      }
      if (!overdue) return 0;
      await c.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = (hashtext($2)::bigint & 4294967295)::oid AND objsubid = 2`,
        [AdvisoryLock.SourceSync, source],
      );
      const minutes = Math.round(this.config.syncRunMaxMs / 60_000);
      return this.closeRuns(source, 'failed', `同步超时: 运行超过 ${minutes} 分钟仍未结束，已强制结束`);
    });
  }

  private async closeRuns(source: string, status: 'interrupted' | 'failed', reason: string): Promise<number> {
    const p = this.db.pool;
    const closed = await p.query(`UPDATE sync_run SET status = $2, finished_at = now(), error = $3 WHERE source = $1 AND status = 'running'`, [source, status, reason]);
    if (!closed.rowCount) return 0;
    await p.query(`UPDATE source_state SET status = 'failing', last_error = $2, last_error_at = now(), updated_at = now() WHERE source = $1`, [source, reason]);
    this.log.warn(`${source}: ${closed.rowCount} stuck run(s) closed as ${status}`);
    return closed.rowCount;
  }

  private async locked(def: CompiledSource, cfg: SourceConfig, req: SyncRequest, jobId?: string): Promise<SyncSummary> {
    const p = this.db.pool;
    // Runs left 'running' by a killed worker are closed as interrupted (we hold the source's lock).
    await p.query(`UPDATE sync_run SET status = 'interrupted', finished_at = now() WHERE source = $1 AND status = 'running'`, [def.name]);
    await p.query(
      `INSERT INTO source_state (source, transport, status) VALUES ($1, $2, $3)
       ON CONFLICT (source) DO UPDATE SET transport = excluded.transport, updated_at = now(),
         status = CASE WHEN excluded.transport = 'none' THEN 'not_configured' WHEN source_state.status = 'not_configured' THEN 'idle' ELSE source_state.status END`,
      [def.name, cfg.transport, cfg.transport === 'none' ? 'not_configured' : 'idle'],
    );
    const { rows } = await p.query<{ id: string }>(
      `INSERT INTO sync_run (source, mode, trigger, job_id, status) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [def.name, req.mode, req.trigger, jobId ?? null, cfg.transport === 'none' ? 'not_configured' : 'running'],
    );
    const runId = BigInt(rows[0].id);
    const tally: Tally = { received: 0, inserted: 0, updated: 0, deleted: 0, rejected: 0, pages: 0, files: 0, skipped: 0, withdrawn: 0 };
    const summary = (status: SyncSummary['status'], error?: string): SyncSummary => ({
      source: def.name,
      runId: runId.toString(),
      status,
      transport: cfg.transport,
      ...tally,
      unchanged: Math.max(0, tally.received - tally.rejected - tally.inserted - tally.updated - tally.deleted),
      error,
    });
    if (cfg.transport === 'none') {
      await p.query(`UPDATE sync_run SET finished_at = now(), error = $2 WHERE id = $1`, [runId, '未配置数据源（无 URL，也无投放目录）']);
      return summary('not_configured', '未配置数据源');
    }
    try {
      if (cfg.transport === 'http') await this.httpSync(def, cfg, req.mode, runId, tally);
      else await this.fileSync(def, cfg, runId, tally);
      const s = summary('succeeded');
      await p.query(
        `UPDATE sync_run SET status = 'succeeded', finished_at = now(), unchanged = $2, withdrawn = $3 WHERE id = $1`,
        [runId, s.unchanged, tally.withdrawn],
      );
      await p.query(
        `UPDATE source_state SET status = 'ok', last_success_at = now(), last_error = NULL, last_error_at = NULL, updated_at = now() WHERE source = $1`,
        [def.name],
      );
      this.log.log(`${def.name}: run ${runId} received ${s.received}, +${s.inserted} ~${s.updated} -${s.deleted} =${s.unchanged} ✗${s.rejected} withdrawn ${s.withdrawn}`);
      return s;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await p.query(`UPDATE sync_run SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`, [runId, message]);
      await p.query(`UPDATE source_state SET status = 'failing', last_error = $2, last_error_at = now(), updated_at = now() WHERE source = $1`, [def.name, message]);
      this.log.warn(`${def.name}: run ${runId} failed: ${message}`);
      if (err instanceof DepartmentFault && !err.retryable) throw new NeverRetry(message);
      throw err;
    }
  }

  // ---------------------------------------------------------------- HTTP pull

  private async httpSync(def: CompiledSource, cfg: SourceConfig, mode: SyncRequest['mode'], runId: bigint, tally: Tally): Promise<void> {
    const client = new DepartmentClient(cfg.url!, cfg.token, this.config.httpTimeoutMs);
    const state = (await this.db.pool.query<{ cursor: string | null; resync_run_id: string | null }>(`SELECT cursor, resync_run_id FROM source_state WHERE source = $1`, [def.name])).rows[0];
    let cursor = state.cursor;
    let seenRunId: bigint | null = state.resync_run_id ? BigInt(state.resync_run_id) : null;
    if (mode === 'full' && seenRunId === null) {
      seenRunId = await this.startResync(def.name, runId);
      cursor = null;
    }
    await this.db.pool.query(`UPDATE sync_run SET cursor_from = $2 WHERE id = $1`, [runId, cursor]);

    let stalled = 0;
    for (;;) {
      const batch: NormalisedRecord[] = [];
      const rejections: StoredRejection[] = [];
      let next = cursor;
      let more = true;
      let pages = 0;
      try {
        while (more && batch.length < this.config.syncBatchRecords) {
          const page = await this.fetchWithRetry(client, next, def.name);
          page.records.forEach((raw, i) => {
            const r = normaliseRecord(def, raw);
            if (r.ok) batch.push(r.record);
            else rejections.push({ recordId: r.recordId, location: `cursor=${next ?? '(start)'} #${i + 1}`, reason: maskText(r.reason), raw });
          });
          pages++;
          // At-least-once delivery: a page may come again with the cursor we hold; its records merge
          // as unchanged and we ask again. Only a cursor that stays put page after page is broken.
          if (page.hasMore && (!page.nextCursor || page.nextCursor === next)) {
            if (++stalled > MAX_STALLED_PAGES) throw new DepartmentFault('bad-response', '数据源返回 hasMore 但游标未前进');
          } else stalled = 0;
          next = page.nextCursor ?? next;
          more = page.hasMore;
        }
      } catch (err) {
        if (err instanceof DepartmentFault && err.kind === 'gone') {
          // The department forgot our cursor: start over without one, as a full resync that
          // withdraws at its end whatever the department no longer has.
          this.log.warn(`${def.name}: cursor gone (410), full resync`);
          if (seenRunId !== null) await this.db.pool.query(`DELETE FROM sync_seen WHERE run_id = $1`, [seenRunId]);
          seenRunId = await this.startResync(def.name, runId);
          cursor = null;
          continue;
        }
        throw err;
      }
      await this.commit(def.name, runId, batch, rejections, seenRunId, { cursor: next, pages }, tally);
      cursor = next;
      if (!more) break;
    }
    if (seenRunId !== null) {
      const seen = seenRunId;
      await this.db.tx(async (c) => {
        const withdrawn = await new RecordStore(c).withdrawUnseen(def.name, runId, seen);
        tally.withdrawn += withdrawn;
        await c.query(`UPDATE source_state SET resync_run_id = NULL WHERE source = $1`, [def.name]);
        await c.query(`UPDATE sync_run SET withdrawn = withdrawn + $2 WHERE id = $1`, [runId, withdrawn]);
      });
    }
  }

  private async startResync(source: string, runId: bigint): Promise<bigint> {
    await this.db.pool.query(`UPDATE source_state SET resync_run_id = $2, cursor = NULL, updated_at = now() WHERE source = $1`, [source, runId]);
    return runId;
  }

  private async fetchWithRetry(client: DepartmentClient, cursor: string | null, source: string) {
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      try {
        return await client.page(cursor, PAGE_LIMIT);
      } catch (err) {
        if (!(err instanceof DepartmentFault) || !err.retryable) throw err;
        if (err.kind === 'rate-limited') {
          if (++rateLimited > 20) throw err;
          const wait = Math.min(err.retryAfterMs ?? this.retryBaseMs * 2 ** Math.min(rateLimited, 6), this.maxRateLimitWaitMs);
          this.log.warn(`${source}: 429, waiting ${wait} ms (Retry-After)`);
          await sleep(wait);
          continue;
        }
        if (++failures > 4) throw err; // the job's own retries (exponential backoff) take over
        const wait = this.retryBaseMs * 2 ** (failures - 1);
        this.log.warn(`${source}: ${err.message}; retry ${failures} in ${wait} ms`);
        await sleep(wait);
      }
    }
  }

  /** One transaction: records, rejections, run figures and the cursor move together. */
  private async commit(
    source: string,
    runId: bigint,
    batch: NormalisedRecord[],
    rejections: StoredRejection[],
    seenRunId: bigint | null,
    progress: { cursor?: string | null; pages?: number; files?: number; file?: { sha256: string; name: string } },
    tally: Tally,
  ): Promise<void> {
    await this.db.tx(async (c) => {
      const store = new RecordStore(c);
      let counts: MergeCounts = { inserted: 0, updated: 0, deleted: 0 };
      if (batch.length) {
        await store.stage(batch);
        counts = await store.merge(source, runId, seenRunId, hasAddresses(source));
      }
      await store.reject(runId, source, rejections);
      await this.recordProgress(c, source, runId, batch.length + rejections.length, rejections.length, counts, progress);
      if (progress.file) {
        await c.query(`INSERT INTO ingested_file (source, sha256, file_name, run_id, records) VALUES ($1, $2, $3, $4, $5)`, [
          source, progress.file.sha256, progress.file.name, runId, batch.length + rejections.length,
        ]);
      }
      tally.received += batch.length + rejections.length;
      tally.rejected += rejections.length;
      tally.inserted += counts.inserted;
      tally.updated += counts.updated;
      tally.deleted += counts.deleted;
      tally.pages += progress.pages ?? 0;
      tally.files += progress.files ?? 0;
    });
  }

  private async recordProgress(
    c: PoolClient,
    source: string,
    runId: bigint,
    received: number,
    rejected: number,
    counts: MergeCounts,
    progress: { cursor?: string | null; pages?: number; files?: number },
  ): Promise<void> {
    await c.query(
      `UPDATE sync_run SET received = received + $2, rejected = rejected + $3, inserted = inserted + $4, updated = updated + $5,
              deleted = deleted + $6, pages = pages + $7, files = files + $8, cursor_to = coalesce($9, cursor_to) WHERE id = $1`,
      [runId, received, rejected, counts.inserted, counts.updated, counts.deleted, progress.pages ?? 0, progress.files ?? 0, progress.cursor ?? null],
    );
    if (progress.cursor !== undefined) {
      await c.query(`UPDATE source_state SET cursor = $2, updated_at = now() WHERE source = $1`, [source, progress.cursor]);
    }
  }

  // ---------------------------------------------------------------- file drop

  /**
   * Every regular `.csv`/`.xlsx` file of the drop folder, in name order. What is not a regular
   * file is skipped and reported; a file that cannot be read now is left for the next sync (the
   * run then fails with the reason, after the other files were processed).
   */
  private async fileSync(def: CompiledSource, cfg: SourceConfig, runId: bigint, tally: Tally): Promise<void> {
    const names = (await readdir(cfg.dropDir)).filter((n) => /\.(csv|xlsx)$/i.test(n)).sort();
    const unavailable: string[] = [];
    for (const name of names) {
      const path = join(cfg.dropDir, name);
      const kind = await entryKind(path);
      if (kind === 'gone') continue;
      if (kind !== 'file') {
        await this.reportSkipped(def.name, runId, name, `已跳过: 不是普通文件（${kind}）`, tally);
        continue;
      }
      try {
        await this.syncFile(def, path, name, runId, tally);
      } catch (err) {
        if (!(err instanceof FileUnavailable)) throw err;
        this.log.warn(`${def.name}: ${name}: ${err.message}`);
        unavailable.push(`${name}（${err.message}）`);
      }
    }
    if (unavailable.length) throw new FileUnavailable(`文件暂时无法读取，未处理，下次同步重试: ${unavailable.join('；')}`);
  }

  private async syncFile(def: CompiledSource, path: string, name: string, runId: bigint, tally: Tally): Promise<void> {
    const sha256 = await fileHash(path, this.config.tabularLimits.stallMs);
    const done = await this.db.pool.query(`SELECT 1 FROM ingested_file WHERE source = $1 AND sha256 = $2`, [def.name, sha256]);
    if (done.rowCount) {
      tally.skipped++;
      await this.db.pool.query(`UPDATE sync_run SET skipped = skipped + 1 WHERE id = $1`, [runId]);
      return;
    }
    await this.ingestFile(def, path, name, sha256, runId, tally);
  }

  /** A drop-folder entry that is not a regular file: reported in the run's rejections, never read. */
  private async reportSkipped(source: string, runId: bigint, name: string, reason: string, tally: Tally): Promise<void> {
    await this.db.tx(async (c) => {
      await new RecordStore(c).reject(runId, source, [{ recordId: null, location: name, reason, raw: { file: name } }]);
      await c.query(`UPDATE sync_run SET skipped = skipped + 1 WHERE id = $1`, [runId]);
    });
    tally.skipped++;
    this.log.warn(`${source}: ${name}: ${reason}`);
  }

  /**
   * A whole file in one transaction: one COPY of its valid records, one merge; a record with a
   * defective cell is rejected with its reason like any invalid record. A file that cannot be read
   * as a table (or whose content the database refuses) is rejected whole and recorded, so it is
   * not tried again; any other failure leaves it unrecorded, to be read again.
   */
  private async ingestFile(def: CompiledSource, path: string, name: string, sha256: string, runId: bigint, tally: Tally): Promise<void> {
    const rejections: StoredRejection[] = [];
    const fileReject = (reason: string) =>
      this.db.tx(async (c) => {
        await new RecordStore(c).reject(runId, def.name, [{ recordId: null, location: name, reason: `整个文件被拒收: ${reason}`, raw: { file: name } }]);
        await c.query(`INSERT INTO ingested_file (source, sha256, file_name, run_id, records) VALUES ($1, $2, $3, $4, 0)`, [def.name, sha256, name, runId]);
        await c.query(`UPDATE sync_run SET files = files + 1 WHERE id = $1`, [runId]);
        tally.files += 1;
      });
    let file;
    try {
      file = await openTabular(path, this.config.tabularLimits);
    } catch (err) {
      if (err instanceof FileFormatError) return fileReject(err.reason);
      throw err;
    }
    const required = [COMMON_HEADERS.recordId, COMMON_HEADERS.updatedAt, ...(def.kinds.length > 1 ? [COMMON_HEADERS.kind] : [])];
    const missing = required.filter((h) => !file.headers.includes(h));
    if (missing.length) {
      await file.rows.return(undefined);
      return fileReject(`缺少必需的列: ${missing.join('、')}`);
    }

    await this.db.tx(async (c) => {
      const store = new RecordStore(c);
      let received = 0;
      const rows = file.rows;
      async function* valid(): AsyncGenerator<NormalisedRecord> {
        for await (const row of rows) {
          received++;
          const r = row.defect ? defectRejection(row) : normaliseRecord(def, rowToRecord(def, row.values));
          if (r.ok) yield r.record;
          else rejections.push(detached({ recordId: r.recordId, location: `${name}:${row.line}`, reason: maskText(r.reason), raw: row.values }));
        }
      }
      const staged = await store.stage(valid());
      const counts = staged ? await store.merge(def.name, runId, null, hasAddresses(def.name)) : { inserted: 0, updated: 0, deleted: 0 };
      await store.reject(runId, def.name, rejections);
      await this.recordProgress(c, def.name, runId, received, rejections.length, counts, { files: 1 });
      await c.query(`INSERT INTO ingested_file (source, sha256, file_name, run_id, records) VALUES ($1, $2, $3, $4, $5)`, [def.name, sha256, name, runId, received]);
      tally.received += received;
      tally.rejected += rejections.length;
      tally.inserted += counts.inserted;
      tally.updated += counts.updated;
      tally.deleted += counts.deleted;
      tally.files += 1;
    }).catch(async (err) => {
      if (err instanceof FileFormatError) return fileReject(err.reason);
      if (isDataException(err)) return fileReject(`文件内容无法保存（${(err as Error).message.slice(0, 200)}）`);
      throw err;
    });
  }
}

/** A record with a defective cell, as a rejection (with its record id when that cell is sound). */
function defectRejection(row: TabularRow): { ok: false; recordId: string | null; reason: string } {
  const id = row.values[COMMON_HEADERS.recordId];
  const recordId = typeof id === 'string' || typeof id === 'number' ? String(id).trim().slice(0, 200) || null : null;
  return { ok: false, recordId, reason: row.defect! };
}

/** PostgreSQL's data exceptions (SQLSTATE class 22): the content's fault, the same at every try. */
function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('22') && typeof (err as { severity?: unknown }).severity === 'string';
}

async function tryLockSource(c: PoolClient, source: string): Promise<boolean> {
  const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [AdvisoryLock.SourceSync, source]);
  return rows[0].ok;
}

/** What a drop-folder entry is, without following links (`gone` when it vanished meanwhile). */
async function entryKind(path: string): Promise<'file' | 'gone' | '目录' | '符号链接' | '特殊文件'> {
  try {
    const st = await lstat(path);
    if (st.isFile()) return 'file';
    if (st.isDirectory()) return '目录';
    return st.isSymbolicLink() ? '符号链接' : '特殊文件';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new FileUnavailable(`无法读取文件信息: ${(err as Error).message}`);
  }
}

function hasAddresses(source: string): boolean {
  return !!sourceByName(source)?.kinds.some((k) => k.address);
}

/** SHA-256 of a file's bytes; an I/O error or a read that stops moving is FileUnavailable. */
async function fileHash(path: string, stallMs: number): Promise<string> {
  const h = createHash('sha256');
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  const watch = new ReadWatchdog(stallMs, () => stream.destroy());
  const chunks = stream[Symbol.asyncIterator]();
  try {
    for (let r = await watch.within(chunks.next()); !r.done; r = await watch.within(chunks.next())) h.update(r.value as Buffer);
  } catch (err) {
    stream.destroy();
    throw isSystemError(err) ? new FileUnavailable(`文件读取失败（${err.code ?? err.syscall}）`) : err;
  }
  return h.digest('hex');
}
