import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { JobName, QueueName } from '../../../jobs/catalogue';
import { QueueService } from '../../../jobs/queue.service';
import { AppConfig } from '../../config/config';
import { allSourceConfigs, schedulerIdOf } from '../../sources/source-config';

/** How often the schedules are brought in line with the configuration (a drop folder that appears). */
const RECONCILE_MS = 30_000;

/**
 * Worker side: one BullMQ job scheduler per configured source (shared by every replica, so a
 * tick fires once). Schedulers only enqueue sync jobs. The schedules follow the configuration
 * whenever it changes: a drop folder created after start gets its schedule within RECONCILE_MS,
 * a source that loses its transport loses its schedule, a changed cron is replaced.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap {
  private readonly log = new Logger('sync-scheduler');

  constructor(
    private readonly queues: QueueService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reconcile();
  }

  /** A per-process timer (@nestjs/schedule); the reconciliation itself is idempotent across replicas. */
  @Interval(RECONCILE_MS)
  async reconcileNow(): Promise<void> {
    await this.reconcile().catch((err: Error) => this.log.warn(`schedules not reconciled: ${err.message}`));
  }

  /** Makes the job schedulers match the sources' configuration; returns what changed. */
  async reconcile(): Promise<{ added: string[]; removed: string[] }> {
    const existing = new Map((await this.queues.schedulers(QueueName.Sources)).map((s) => [s.key ?? s.id, s.pattern]));
    const changed = { added: [] as string[], removed: [] as string[] };
    for (const cfg of allSourceConfigs(this.config)) {
      const id = schedulerIdOf(cfg.name);
      if (cfg.transport === 'none') {
        if (existing.has(id)) {
          await this.queues.queue(QueueName.Sources).removeJobScheduler(id);
          changed.removed.push(cfg.name);
        }
        continue;
      }
      if (existing.get(id) === cfg.cron) continue;
      await this.queues.schedule(id, cfg.cron, JobName.SyncSource, { source: cfg.name, mode: 'incremental', trigger: 'schedule', requestKey: 'schedule' });
      changed.added.push(cfg.name);
    }
    if (changed.added.length || changed.removed.length) this.log.log(`source schedules: +${changed.added.join(',') || '-'} −${changed.removed.join(',') || '-'}`);
    return changed;
  }
}
