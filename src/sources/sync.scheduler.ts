import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobName, QueueName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { AppConfig } from '../config/config';
import { allSourceConfigs } from './source-config';

/**
 * Worker side: one BullMQ job scheduler per configured source (shared by every replica, so a
 * tick fires once). Schedulers only enqueue sync jobs. Unconfigured sources lose theirs.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap {
  private readonly log = new Logger('sync-scheduler');

  constructor(
    private readonly queues: QueueService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const existing = new Set((await this.queues.schedulers(QueueName.Sources)).map((s) => s.key ?? s.id));
    for (const cfg of allSourceConfigs(this.config)) {
      const id = `sync:${cfg.name}`;
      if (cfg.transport === 'none') {
        if (existing.has(id)) await this.queues.queue(QueueName.Sources).removeJobScheduler(id);
        continue;
      }
      await this.queues.schedule(id, cfg.cron, JobName.SyncSource, { source: cfg.name, mode: 'incremental', trigger: 'schedule', requestKey: 'schedule' });
    }
    this.log.log('source schedules registered');
  }
}
