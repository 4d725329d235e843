import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PoolClient } from 'pg';
import { AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { SyncFigures, SyncRunRepository } from './sync-run.repository';
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

export interface SyncSummary extends SyncFigures {
  source: string;
  runId: string;
  status: 'succeeded' | 'failed' | 'not_configured';
  transport: string;
  error?: string;
}

/** The figures counted while a sync runs (unchanged is what is left of received at the end). */
type Tally = Omit<SyncFigures, 'unchanged'>;

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
    private readonly syncRunRepository: SyncRunRepository,
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
          await this.syncRunRepository.unlockSource(lock, req.source).catch(() => undefined);
        }
      } finally {
        lock.off('error', ignore);
      }
    });
  }

  private async acquireSourceLock(c: PoolClient, source: string, whenBusy: 'wait' | 'retry-later'): Promise<void> {
    const giveUpAt = Date.now() + this.config.syncRunMaxMs;
    while (!(await this.syncRunRepository.tryLockSource(c, source))) {
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
    let closed = 0;
    for (const r of await this.syncRunRepository.runningSources(this.config.syncRunMaxMs)) closed += await this.closeStuckRunsOf(r.source, r.overdue);
    return closed;
  }

  private closeStuckRunsOf(source: string, overdue: boolean): Promise<number> {
    return this.db.withClient(async (c) => {
      if (await this.syncRunRepository.tryLockSource(c, source)) {
        try {
          return await this.closeRuns(source, 'interrupted', '同步中断: 执行该同步的工作进程已退出（下次同步从已提交的进度继续）');
        } finally {
          await this.syncRunRepository.unlockSource(c, source);
        }
      }
      if (!overdue) return 0;
      await this.syncRunRepository.endLockHolder(c, source);
      const minutes = Math.round(this.config.syncRunMaxMs / 60_000);
      return this.closeRuns(source, 'failed', `同步超时: 运行超过 ${minutes} 分钟仍未结束，已强制结束`);
    });
  }

  private async closeRuns(source: string, status: 'interrupted' | 'failed', reason: string): Promise<number> {
    const closed = await this.syncRunRepository.closeRunning(source, status, reason);
    if (!closed) return 0;
    await this.syncRunRepository.markFailing(source, reason);
    this.log.warn(`${source}: ${closed} stuck run(s) closed as ${status}`);
    return closed;
  }

  private async locked(def: CompiledSource, cfg: SourceConfig, req: SyncRequest, jobId?: string): Promise<SyncSummary> {
    const runs = this.syncRunRepository;
    // Runs left 'running' by a killed worker are closed as interrupted (we hold the source's lock).
    await runs.interruptRunning(def.name);
    await runs.ensureState(def.name, cfg.transport, cfg.transport === 'none' ? 'not_configured' : 'idle');
    const runId = await runs.create({ source: def.name, mode: req.mode, trigger: req.trigger, jobId: jobId ?? null, status: cfg.transport === 'none' ? 'not_configured' : 'running' });
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
      await runs.finishUnconfigured(runId, '未配置数据源（无 URL，也无投放目录）');
      return summary('not_configured', '未配置数据源');
    }
    try {
      if (cfg.transport === 'http') await this.httpSync(def, cfg, req.mode, runId, tally);
      else await this.fileSync(def, cfg, runId, tally);
      const s = summary('succeeded');
      await runs.succeed(runId, s.unchanged, tally.withdrawn);
      await runs.markOk(def.name);
      this.log.log(`${def.name}: run ${runId} received ${s.received}, +${s.inserted} ~${s.updated} -${s.deleted} =${s.unchanged} ✗${s.rejected} withdrawn ${s.withdrawn}`);
      return s;
    } catch (err) {
      // Kept in the run, the source's state and the log: an error may quote a cell or a page (an ID number).
      const message = maskText(err instanceof Error ? err.message : String(err));
      await runs.fail(runId, message);
      await runs.markFailing(def.name, message);
      this.log.warn(`${def.name}: run ${runId} failed: ${message}`);
      if (err instanceof DepartmentFault && !err.retryable) throw new NeverRetry(message);
      throw err;
    }
  }

  // ---------------------------------------------------------------- HTTP pull

  private async httpSync(def: CompiledSource, cfg: SourceConfig, mode: SyncRequest['mode'], runId: bigint, tally: Tally): Promise<void> {
    const client = new DepartmentClient(cfg.url!, cfg.token, this.config.httpTimeoutMs);
    const state = await this.syncRunRepository.position(def.name);
    let cursor = state.cursor;
    let seenRunId: bigint | null = state.resync_run_id ? BigInt(state.resync_run_id) : null;
    if (mode === 'full' && seenRunId === null) {
      seenRunId = await this.startResync(def.name, runId);
      cursor = null;
    }
    await this.syncRunRepository.setCursorFrom(runId, cursor);

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
          if (seenRunId !== null) await this.syncRunRepository.forgetSeen(seenRunId);
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
        await this.syncRunRepository.endResync(c, def.name);
        await this.syncRunRepository.addWithdrawn(c, runId, withdrawn);
      });
    }
  }

  private async startResync(source: string, runId: bigint): Promise<bigint> {
    await this.syncRunRepository.startResync(source, runId);
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
      const received = batch.length + rejections.length;
      await this.syncRunRepository.recordProgress(c, source, runId, {
        received,
        rejected: rejections.length,
        ...counts,
        pages: progress.pages,
        files: progress.files,
        cursor: progress.cursor,
      });
      if (progress.file) await this.syncRunRepository.recordFile(c, { source, sha256: progress.file.sha256, name: progress.file.name, runId, records: received });
      tally.received += received;
      tally.rejected += rejections.length;
      tally.inserted += counts.inserted;
      tally.updated += counts.updated;
      tally.deleted += counts.deleted;
      tally.pages += progress.pages ?? 0;
      tally.files += progress.files ?? 0;
    });
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
    if (await this.syncRunRepository.isIngested(def.name, sha256)) {
      tally.skipped++;
      await this.syncRunRepository.addSkipped(runId);
      return;
    }
    await this.ingestFile(def, path, name, sha256, runId, tally);
  }

  /** A drop-folder entry that is not a regular file: reported in the run's rejections, never read. */
  private async reportSkipped(source: string, runId: bigint, name: string, reason: string, tally: Tally): Promise<void> {
    await this.db.tx(async (c) => {
      await new RecordStore(c).reject(runId, source, [{ recordId: null, location: name, reason, raw: { file: name } }]);
      await this.syncRunRepository.addSkipped(runId, c);
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
        await this.syncRunRepository.recordFile(c, { source: def.name, sha256, name, runId, records: 0 });
        await this.syncRunRepository.addFile(c, runId);
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
      await this.syncRunRepository.recordProgress(c, def.name, runId, { received, rejected: rejections.length, ...counts, files: 1 });
      await this.syncRunRepository.recordFile(c, { source: def.name, sha256, name, runId, records: received });
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
