import { Processor } from '@nestjs/bullmq';
import { Interval } from '@nestjs/schedule';
import { JobName, QueueName } from '../../../jobs/catalogue';
import { AppConfig } from '../../config/config';
import { SyncService } from '../../sources/sync.service';
import { CatalogueProcessor, Handlers } from '../catalogue-processor';
import { Pipeline } from '../pipeline';

/** How often this worker looks for sync runs left 'running' by a dead or stuck worker. */
const STUCK_RUN_CHECK_MS = 60_000;

@Processor(QueueName.Sources)
export class SourcesProcessor extends CatalogueProcessor {
  static readonly jobs = [JobName.SyncSource] as const;

  constructor(
    config: AppConfig,
    private readonly sync: SyncService,
    private readonly pipeline: Pipeline,
  ) {
    super(config);
  }

  protected readonly handlers: Handlers = {
    // A source busy in another worker answers RetryLater: the job waits delayed, not in a slot.
    [JobName.SyncSource]: async (p, job) => {
      const summary = await this.sync.run(p, job.id, 'retry-later');
      await this.pipeline.afterSync(summary);
      return summary;
    },
  };

  /** A per-process timer (@nestjs/schedule): every worker looks, the check itself is idempotent. */
  @Interval(STUCK_RUN_CHECK_MS)
  async closeStuckRuns(): Promise<void> {
    await this.sync.closeStuckRuns().catch((err: Error) => this.log.warn(`stuck run check failed: ${err.message}`));
  }
}
