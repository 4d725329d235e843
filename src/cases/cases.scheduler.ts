import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';

/** Worker side: the daily deadline pass (a BullMQ job scheduler, shared by all replicas). */
@Injectable()
export class CasesScheduler implements OnApplicationBootstrap {
  constructor(private readonly queues: QueueService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queues.schedule('cases:deadlines', process.env.CASES_DEADLINES_CRON || '0 1 * * *', JobName.CasesDeadlines, { requestKey: 'schedule' });
  }
}
