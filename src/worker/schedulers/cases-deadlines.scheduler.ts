import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobName } from '../../../jobs/catalogue';
import { QueueService } from '../../../jobs/queue.service';
import { AppConfig } from '../../config/config';

/** The daily deadline pass: a BullMQ job scheduler (shared by all replicas, so it fires once). */
@Injectable()
export class CasesDeadlinesScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly queues: QueueService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queues.schedule('cases:deadlines', this.config.casesDeadlinesCron, JobName.CasesDeadlines, { requestKey: 'schedule' });
  }
}
