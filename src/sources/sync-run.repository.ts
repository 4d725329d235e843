import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { AdvisoryLock } from '../common/advisory-locks';
import { pageClause } from '../common/pagination';
import { SqlFilter } from '../common/sql-filter';
import { DatabaseService } from '../database/database.service';
import type { MergeCounts } from './record-store';

/** The pool, or a transaction's client. */
type Db = Pick<PoolClient, 'query'>;

/** What a committed batch adds to its run (and, with a cursor, the source's cursor). */
export interface BatchProgress extends MergeCounts {
  received: number;
  rejected: number;
  pages?: number;
  files?: number;
  /** The cursor after the batch; undefined for a file, which has none. */
  cursor?: string | null;
}

export interface SourceStateRow {
  source: string;
  transport: string;
  status: string;
  cursor: string | null;
  resync_run_id: string | null;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  updated_at: Date;
  records_current: number;
  records_deleted: number;
  records_unmatched: number;
}

/** A source's record counts, recounted into its state when a sync ends (one scan of its records). */
const RECOUNT = `records_current = x.current, records_deleted = x.deleted, records_unmatched = x.unmatched
  FROM (SELECT count(*) FILTER (WHERE NOT deleted)::int AS current, count(*) FILTER (WHERE deleted)::int AS deleted,
               count(*) FILTER (WHERE NOT deleted AND unit_id IS NULL AND (address_code IS NOT NULL OR address_norm IS NOT NULL))::int AS unmatched
          FROM source_record WHERE source = $1) x`;

/** A sync run's figures: its `sync_run` columns, and in a sync's summary. */
export interface SyncFigures extends MergeCounts {
  received: number;
  unchanged: number;
  rejected: number;
  withdrawn: number;
  pages: number;
  files: number;
  skipped: number;
}

export interface SyncRunRow extends SyncFigures {
  id: string;
  source: string;
  mode: string;
  trigger: string;
  job_id: string | null;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  cursor_from: string | null;
  cursor_to: string | null;
  error: string | null;
}

interface RejectionRow {
  id: string;
  run_id: string;
  record_id: string | null;
  location: string | null;
  reason: string;
  raw: unknown;
  received_at: Date;
}

/**
 * Syncs of department sources: their runs (`sync_run`), each source's state (`source_state`:
 * status, cursor, full resync in progress), the files taken from drop folders (`ingested_file`),
 * a resync's seen set (`sync_seen`) as the sync service handles it, and the sources' advisory
 * locks; with the status reads of the sources API. Records are merged by `RecordStore`, in the
 * same transactions: methods taking a client run in the caller's.
 */
@Injectable()
export class SyncRunRepository {
  constructor(private readonly db: DatabaseService) {}

  // ---------------------------------------------------------------- the source's lock (session, on the caller's connection)

  async tryLockSource(c: PoolClient, source: string): Promise<boolean> {
    const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [AdvisoryLock.SourceSync, source]);
    return rows[0].ok;
  }

  async unlockSource(c: PoolClient, source: string): Promise<void> {
    await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [AdvisoryLock.SourceSync, source]);
  }

  /** Ends the session holding the source's lock (its sync fails at its next statement). */
  async endLockHolder(c: PoolClient, source: string): Promise<void> {
    await c.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = (hashtext($2)::bigint & 4294967295)::oid AND objsubid = 2`,
      [AdvisoryLock.SourceSync, source],
    );
  }

  // ---------------------------------------------------------------- runs

  /** Sources with a run still `running`, and whether one of them is older than `maxMs`. */
  async runningSources(maxMs: number): Promise<{ source: string; overdue: boolean }[]> {
    const { rows } = await this.db.pool.query<{ source: string; overdue: boolean }>(
      `SELECT source, bool_or(started_at < now() - $1 * interval '1 millisecond') AS overdue
         FROM sync_run WHERE status = 'running' GROUP BY source`,
      [maxMs],
    );
    return rows;
  }

  /** Closes the source's running runs with a status and reason; returns how many. */
  async closeRunning(source: string, status: 'interrupted' | 'failed', reason: string): Promise<number> {
    const closed = await this.db.pool.query(`UPDATE sync_run SET status = $2, finished_at = now(), error = $3 WHERE source = $1 AND status = 'running'`, [source, status, reason]);
    return closed.rowCount ?? 0;
  }

  /** Runs left running by a killed worker, closed by the holder of the source's lock. */
  async interruptRunning(source: string): Promise<void> {
    await this.db.pool.query(`UPDATE sync_run SET status = 'interrupted', finished_at = now() WHERE source = $1 AND status = 'running'`, [source]);
  }

  async create(run: { source: string; mode: string; trigger: string; jobId: string | null; status: 'running' | 'not_configured' }): Promise<bigint> {
    const { rows } = await this.db.pool.query<{ id: string }>(
      `INSERT INTO sync_run (source, mode, trigger, job_id, status) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [run.source, run.mode, run.trigger, run.jobId, run.status],
    );
    return BigInt(rows[0].id);
  }

  /** A run that had nothing to pull (its status stays `not_configured`). */
  async finishUnconfigured(runId: bigint, error: string): Promise<void> {
    await this.db.pool.query(`UPDATE sync_run SET finished_at = now(), error = $2 WHERE id = $1`, [runId, error]);
  }

  async succeed(runId: bigint, unchanged: number, withdrawn: number): Promise<void> {
    await this.db.pool.query(`UPDATE sync_run SET status = 'succeeded', finished_at = now(), unchanged = $2, withdrawn = $3 WHERE id = $1`, [runId, unchanged, withdrawn]);
  }

  async fail(runId: bigint, error: string): Promise<void> {
    await this.db.pool.query(`UPDATE sync_run SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`, [runId, error]);
  }

  async setCursorFrom(runId: bigint, cursor: string | null): Promise<void> {
    await this.db.pool.query(`UPDATE sync_run SET cursor_from = $2 WHERE id = $1`, [runId, cursor]);
  }

  /** Adds a committed batch's figures to its run, and moves the source's cursor when it has one. */
  async recordProgress(c: PoolClient, source: string, runId: bigint, p: BatchProgress): Promise<void> {
    await c.query(
      `UPDATE sync_run SET received = received + $2, rejected = rejected + $3, inserted = inserted + $4, updated = updated + $5,
              deleted = deleted + $6, pages = pages + $7, files = files + $8, cursor_to = coalesce($9, cursor_to) WHERE id = $1`,
      [runId, p.received, p.rejected, p.inserted, p.updated, p.deleted, p.pages ?? 0, p.files ?? 0, p.cursor ?? null],
    );
    if (p.cursor !== undefined) {
      await c.query(`UPDATE source_state SET cursor = $2, updated_at = now() WHERE source = $1`, [source, p.cursor]);
    }
  }

  async addSkipped(runId: bigint, c: Db = this.db.pool): Promise<void> {
    await c.query(`UPDATE sync_run SET skipped = skipped + 1 WHERE id = $1`, [runId]);
  }

  async addFile(c: PoolClient, runId: bigint): Promise<void> {
    await c.query(`UPDATE sync_run SET files = files + 1 WHERE id = $1`, [runId]);
  }

  async addWithdrawn(c: PoolClient, runId: bigint, withdrawn: number): Promise<void> {
    await c.query(`UPDATE sync_run SET withdrawn = withdrawn + $2 WHERE id = $1`, [runId, withdrawn]);
  }

  // ---------------------------------------------------------------- source state

  /** The source's state row, created when missing; its transport and status follow the configuration. */
  async ensureState(source: string, transport: string, status: 'not_configured' | 'idle'): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO source_state (source, transport, status) VALUES ($1, $2, $3)
       ON CONFLICT (source) DO UPDATE SET transport = excluded.transport, updated_at = now(),
         status = CASE WHEN excluded.transport = 'none' THEN 'not_configured' WHEN source_state.status = 'not_configured' THEN 'idle' ELSE source_state.status END`,
      [source, transport, status],
    );
  }

  async markOk(source: string): Promise<void> {
    await this.db.pool.query(
      `UPDATE source_state SET status = 'ok', last_success_at = now(), last_error = NULL, last_error_at = NULL, updated_at = now(), ${RECOUNT} WHERE source = $1`,
      [source],
    );
  }

  async markFailing(source: string, reason: string): Promise<void> {
    // A failed sync may have merged some batches before it failed: its counts are recounted too.
    await this.db.pool.query(`UPDATE source_state SET status = 'failing', last_error = $2, last_error_at = now(), updated_at = now(), ${RECOUNT} WHERE source = $1`, [source, reason]);
  }

  /** The committed cursor, and the run whose full resync is in progress (if any). */
  async position(source: string): Promise<{ cursor: string | null; resync_run_id: string | null }> {
    return (await this.db.pool.query<{ cursor: string | null; resync_run_id: string | null }>(`SELECT cursor, resync_run_id FROM source_state WHERE source = $1`, [source])).rows[0];
  }

  /** A full resync starts from no cursor; `runId`'s seen set collects what the department still has. */
  async startResync(source: string, runId: bigint): Promise<void> {
    await this.db.pool.query(`UPDATE source_state SET resync_run_id = $2, cursor = NULL, updated_at = now() WHERE source = $1`, [source, runId]);
  }

  async endResync(c: PoolClient, source: string): Promise<void> {
    await c.query(`UPDATE source_state SET resync_run_id = NULL WHERE source = $1`, [source]);
  }

  /** Drops a resync's seen set (the resync starts over). */
  async forgetSeen(seenRunId: bigint): Promise<void> {
    await this.db.pool.query(`DELETE FROM sync_seen WHERE run_id = $1`, [seenRunId]);
  }

  // ---------------------------------------------------------------- dropped files

  /** Whether a file with this content was already processed for the source. */
  async isIngested(source: string, sha256: string): Promise<boolean> {
    return !!(await this.db.pool.query(`SELECT 1 FROM ingested_file WHERE source = $1 AND sha256 = $2`, [source, sha256])).rowCount;
  }

  async recordFile(c: PoolClient, file: { source: string; sha256: string; name: string; runId: bigint; records: number }): Promise<void> {
    await c.query(`INSERT INTO ingested_file (source, sha256, file_name, run_id, records) VALUES ($1, $2, $3, $4, $5)`, [
      file.source, file.sha256, file.name, file.runId, file.records,
    ]);
  }

  // ---------------------------------------------------------------- status reads (sources API)

  /**
   * Every source's state, record counts, rejection count and last run, read in one snapshot: read
   * in parallel, a run could show as succeeded beside record counts taken before its records committed.
   */
  async statusFigures() {
    // One after another on the snapshot's connection (a pg client runs one query at a time).
    return this.db.snapshot(async (c) => ({
      states: (await c.query<SourceStateRow>(`SELECT * FROM source_state`)).rows,
      rejected: (await c.query<{ source: string; n: number }>(`SELECT source, count(*)::int AS n FROM source_rejection GROUP BY source`)).rows,
      lastRuns: (await c.query<SyncRunRow>(`SELECT DISTINCT ON (source) * FROM sync_run ORDER BY source, id DESC`)).rows,
    }));
  }

  /** Records received so far by the runs of these jobs, and when the first of them started. */
  async receivedByJobs(jobIds: string[]): Promise<{ received: number; started_at: Date | null }> {
    return (
      await this.db.pool.query<{ received: number; started_at: Date | null }>(
        `SELECT coalesce(sum(received), 0)::int AS received, min(started_at) AS started_at FROM sync_run WHERE job_id = ANY($1::text[])`,
        [jobIds],
      )
    ).rows[0];
  }

  /** Current records with an address that matched no unit, as counted when the source's last sync ended. */
  async unmatchedAddressCount(source: string): Promise<number> {
    const { rows } = await this.db.pool.query<{ n: number }>(`SELECT records_unmatched AS n FROM source_state WHERE source = $1`, [source]);
    return rows[0]?.n ?? 0;
  }

  async recentRuns(source: string, limit: number): Promise<SyncRunRow[]> {
    return (await this.db.pool.query<SyncRunRow>(`SELECT * FROM sync_run WHERE source = $1 ORDER BY id DESC LIMIT $2`, [source, limit])).rows;
  }

  /** One page of the source's rejected records (of one run, if given), newest first, with the total. */
  async rejections(source: string, runId: string | undefined, page: { page: number; pageSize: number }) {
    const f = new SqlFilter([source]);
    if (runId) f.add('run_id = ?', runId);
    const where = `source = $1${f.and}`;
    const total = (await this.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM source_rejection WHERE ${where}`, f.params)).rows[0].n;
    const limit = pageClause(f.params, page);
    const { rows } = await this.db.pool.query<RejectionRow>(
      `SELECT id, run_id, record_id, location, reason, raw, received_at FROM source_rejection WHERE ${where} ORDER BY id DESC ${limit.sql}`,
      limit.params,
    );
    return { total, rows };
  }
}
