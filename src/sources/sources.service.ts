import { Injectable } from '@nestjs/common';
import { JobName, QueueName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { AppConfig } from '../config/config';
import { DomainError } from '../common/errors';
import { maskKnownColumns, maskText } from '../common/masking';
import { progressOf, type ProgressFigures } from '../common/progress';
import { allSourceConfigs, schedulerIdOf, sourceConfig } from './source-config';
import { SOURCES, sourceByName } from './sources.catalog';
import { shownColumns } from './source-definition';
import type { SyncSummary } from './sync.service';
import { SyncRunRepository, SyncRunRow } from './sync-run.repository';

/** A sync request in the queue: its job id and source. */
export interface SyncJob {
  id: string;
  source: string;
}

/** Source status, rejected records and sync triggers (the sync itself runs in workers). */
@Injectable()
export class SourcesService {
  constructor(
    private readonly syncRunRepository: SyncRunRepository,
    private readonly queues: QueueService,
    private readonly config: AppConfig,
  ) {}

  private known(name: string) {
    const def = sourceByName(name);
    if (!def) throw new DomainError('NOT_FOUND', `未知数据源: ${name}`, { known: SOURCES.map((s) => s.name) });
    return def;
  }

  async list() {
    // One snapshot for all figures (see statusFigures).
    const [figures, schedulers] = await Promise.all([this.syncRunRepository.statusFigures(), this.queues.schedulers(QueueName.Sources)]);
    // The schedule that really exists in BullMQ, not the one the configuration would make.
    const schedules = new Map(schedulers.map((s) => [s.key ?? s.id, { cron: s.pattern ?? null, next: s.next ? new Date(s.next).toISOString() : null }]));
    const by = <T extends { source: string }>(rows: T[]) => new Map(rows.map((r) => [r.source, r]));
    const st = by(figures.states);
    const rj = by(figures.rejected);
    const rn = by(figures.lastRuns);
    return allSourceConfigs(this.config).map((cfg) => {
      const s = st.get(cfg.name);
      const last = rn.get(cfg.name);
      const def = sourceByName(cfg.name)!;
      return {
        source: cfg.name,
        label: def.label,
        transport: cfg.transport,
        status: cfg.transport === 'none' ? 'not_configured' : (s?.status ?? 'idle'),
        schedule: schedules.get(schedulerIdOf(cfg.name)) ?? null,
        lastSuccessAt: s?.last_success_at ?? null,
        cursor: maskedOrNull(s?.cursor ?? null),
        resyncInProgress: !!s?.resync_run_id,
        error: s?.last_error ? { message: maskText(s.last_error), at: s.last_error_at } : null,
        // Counted when its last sync ended (source_state), not on every read.
        records: { current: s?.records_current ?? 0, deleted: s?.records_deleted ?? 0 },
        rejectedTotal: rj.get(cfg.name)?.n ?? 0,
        lastRun: last ? runView(last) : null,
      };
    });
  }

  async get(name: string) {
    this.known(name);
    const status = (await this.list()).find((s) => s.source === name)!;
    const runs = await this.syncRunRepository.recentRuns(name, 20);
    const unmatched = await this.syncRunRepository.unmatchedAddressCount(name);
    return { ...status, unmatchedAddressRecords: unmatched, runs: runs.map(runView) };
  }

  async rejections(name: string, q: { page: number; pageSize: number; runId?: string }) {
    this.known(name);
    const columns = shownColumns(sourceByName(name)!);
    const { total, rows } = await this.syncRunRepository.rejections(name, q.runId, q);
    return {
      total,
      page: q.page,
      pageSize: q.pageSize,
      items: rows.map((r) => ({
        id: String(r.id),
        runId: String(r.run_id),
        recordId: r.record_id === null ? null : maskText(r.record_id),
        location: maskedOrNull(r.location),
        reason: maskText(r.reason),
        raw: maskKnownColumns(r.raw, columns),
        receivedAt: r.received_at,
      })),
    };
  }

  /** Enqueues a sync per source; `requestKey` dedups repeated requests. */
  async trigger(names: string[] | 'all', opts: { mode: 'incremental' | 'full'; trigger: 'api' | 'cli' | 'demo' | 'test'; requestKey: string }): Promise<SyncJob[]> {
    const list = names === 'all' ? allSourceConfigs(this.config).filter((c) => c.transport !== 'none').map((c) => c.name) : names;
    const jobs: SyncJob[] = [];
    for (const name of list) {
      this.known(name);
      if (names !== 'all' && sourceConfig(this.config, name).transport === 'none') {
        throw new DomainError('SOURCE_NOT_CONFIGURED', `数据源未配置: ${name}（设置 SOURCE_${name.toUpperCase().replace(/-/g, '_')}_URL 或创建投放目录）`);
      }
      const job = await this.queues.enqueue(JobName.SyncSource, { source: name, mode: opts.mode, trigger: opts.trigger, requestKey: opts.requestKey });
      jobs.push({ id: job.id!, source: name });
    }
    return jobs;
  }

  /** Records received so far by the syncs of these jobs (null until one of them has started). */
  async progress(jobs: SyncJob[]): Promise<ProgressFigures | null> {
    const r = await this.syncRunRepository.receivedByJobs(jobs.map((j) => j.id));
    return r.started_at ? progressOf(r.received, null, 'records', r.started_at) : null;
  }

  waitFor(job: { id?: string }): Promise<SyncSummary> {
    return this.queues.waitForId<SyncSummary>(QueueName.Sources, job.id!);
  }
}

/** Text a department or a file name put there (a cursor, a file name, an error quoting a cell): ID-shaped numbers masked. */
function maskedOrNull(text: string | null): string | null {
  return text === null ? null : maskText(text);
}

function runView(r: SyncRunRow) {
  return {
    runId: String(r.id),
    mode: r.mode,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    received: r.received,
    inserted: r.inserted,
    updated: r.updated,
    deleted: r.deleted,
    unchanged: r.unchanged,
    rejected: r.rejected,
    withdrawn: r.withdrawn,
    pages: r.pages,
    files: r.files,
    skippedFiles: r.skipped,
    cursorFrom: maskedOrNull(r.cursor_from),
    cursorTo: maskedOrNull(r.cursor_to),
    error: maskedOrNull(r.error),
    // A running sync's records received so far (its total is not known until the feed ends).
    progress: r.status === 'running' ? progressOf(r.received, null, 'records', r.started_at) : null,
  };
}
