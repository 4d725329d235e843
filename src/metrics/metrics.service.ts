import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ALL_QUEUES } from '../../jobs/catalogue';
import { QUEUE_JOB_STATES, QueueService } from '../../jobs/queue.service';
import { MetricsRepository } from './metrics.repository';
import { RULE_NAMES } from '../eligibility/rules/rule';
import { SOURCE_NAMES } from '../sources/sources.catalog';

/** Finished jobs per state and queue whose durations a scrape reads (newest first). */
const RECENT_JOBS = 100;
const QUANTILES = [0.5, 0.9, 0.99, 1] as const;

/**
 * The service's Prometheus metrics, in a registry of its own (never prom-client's global one).
 * HTTP latency is observed as requests finish; everything else is read when scraped: queue depths
 * and job durations from BullMQ in Redis (so worker-only processes need no port), sources,
 * findings and cases from PostgreSQL. Labels carry route templates, queue, job, source and rule
 * names only: no code, id or anything personal.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly log = new Logger('metrics');

  private readonly httpDuration = new Histogram({
    name: 'phr_http_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly queueJobs = this.gauge('phr_queue_jobs', 'Jobs in a BullMQ queue by state (failed: failed jobs kept for review)', ['queue', 'state']);
  private readonly jobDuration = this.gauge(
    'phr_job_duration_seconds',
    `Duration of the last attempt of recently finished jobs (the newest ${RECENT_JOBS} completed and ${RECENT_JOBS} failed per queue), by job name; quantile 1 is the longest`,
    ['queue', 'job', 'quantile'],
  );
  private readonly jobRecent = this.gauge('phr_job_recent_finished', 'Recently finished jobs read for phr_job_duration_seconds, by job name and outcome', ['queue', 'job', 'state']);
  private readonly syncLag = this.gauge('phr_source_sync_lag_seconds', 'Seconds since the last successful sync of a source (absent before the first)', ['source']);
  private readonly lastSuccess = this.gauge('phr_source_last_success_timestamp_seconds', 'Time of the last successful sync of a source', ['source']);
  private readonly failing = this.gauge('phr_source_failing', '1 when the source is in error (its last sync failed), else 0', ['source']);
  private readonly findings = this.gauge('phr_findings', 'Findings per rule of the latest completed recompute run', ['rule']);
  private readonly findingsRun = this.gauge('phr_findings_run_id', 'The recompute run phr_findings counts (0: no completed run yet)', []);
  private readonly overdue = this.gauge('phr_cases_overdue', 'Cases past their deadline (应退未退, status overdue)', []);
  private readonly collectorUp = this.gauge('phr_metrics_collector_up', '1 when the collector read its data at this scrape, 0 when it failed', ['collector']);

  constructor(
    private readonly repo: MetricsRepository,
    private readonly queues: QueueService,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'phr_' });
  }

  /** One finished HTTP request; `route` is the route template (never the raw URL). */
  observeHttp(route: string, method: string, status: number, seconds: number): void {
    this.httpDuration.observe({ route, method, status: String(status) }, seconds);
  }

  /** The exposition text: every scrape-time collector read first (each on its own; one failing shows as up 0). */
  async scrape(): Promise<string> {
    const collectors: Record<string, () => Promise<void>> = {
      queues: () => this.collectQueues(),
      jobs: () => this.collectJobs(),
      sources: () => this.collectSources(),
      findings: () => this.collectFindings(),
      cases: () => this.collectCases(),
    };
    await Promise.all(
      Object.entries(collectors).map(([name, collect]) =>
        collect().then(
          () => this.collectorUp.set({ collector: name }, 1),
          (err) => {
            this.log.warn(`collector ${name} failed: ${(err as Error)?.message ?? err}`);
            this.collectorUp.set({ collector: name }, 0);
          },
        ),
      ),
    );
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async collectQueues(): Promise<void> {
    const counts = await this.queues.jobCounts();
    this.queueJobs.reset();
    for (const q of ALL_QUEUES) for (const state of QUEUE_JOB_STATES) this.queueJobs.set({ queue: q, state }, counts[q]?.[state] ?? 0);
  }

  private async collectJobs(): Promise<void> {
    const perQueue = await Promise.all(ALL_QUEUES.map(async (q) => [q, await this.queues.recentFinished(q, RECENT_JOBS)] as const));
    this.jobDuration.reset();
    this.jobRecent.reset();
    for (const [queue, jobs] of perQueue) {
      const durations = new Map<string, number[]>();
      const finished = new Map<string, number>();
      for (const j of jobs) {
        const key = `${j.name}\u0000${j.state}`;
        finished.set(key, (finished.get(key) ?? 0) + 1);
        if (j.processedOn && j.finishedOn && j.finishedOn >= j.processedOn) {
          const list = durations.get(j.name) ?? [];
          list.push((j.finishedOn - j.processedOn) / 1000);
          durations.set(j.name, list);
        }
      }
      for (const [key, n] of finished) {
        const [job, state] = key.split('\u0000');
        this.jobRecent.set({ queue, job, state }, n);
      }
      for (const [job, list] of durations) {
        list.sort((a, b) => a - b);
        for (const q of QUANTILES) this.jobDuration.set({ queue, job, quantile: String(q) }, quantile(list, q));
      }
    }
  }

  private async collectSources(): Promise<void> {
    const bySource = new Map((await this.repo.sourceHealth()).map((r) => [r.source, r]));
    this.syncLag.reset();
    this.lastSuccess.reset();
    this.failing.reset();
    for (const source of SOURCE_NAMES) {
      const r = bySource.get(source);
      this.failing.set({ source }, r?.status === 'failing' ? 1 : 0);
      if (r?.last_success != null && r.lag != null) {
        this.lastSuccess.set({ source }, r.last_success);
        this.syncLag.set({ source }, Math.max(0, r.lag));
      }
    }
  }

  private async collectFindings(): Promise<void> {
    const { runId, byRule } = await this.repo.latestFindingsByRule();
    this.findings.reset();
    for (const rule of new Set([...Object.keys(RULE_NAMES), ...byRule.keys()])) this.findings.set({ rule }, byRule.get(rule) ?? 0);
    this.findingsRun.set(runId ? Number(runId) : 0);
  }

  private async collectCases(): Promise<void> {
    this.overdue.set(await this.repo.overdueCases());
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
