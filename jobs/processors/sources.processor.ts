import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../../src/config/config';
import { SyncService } from '../../src/sources/sync.service';
import { JobName, QueueName } from '../catalogue';
import { CatalogueProcessor, Handlers } from './job-handler';

@Processor(QueueName.Sources)
export class SourcesProcessor extends CatalogueProcessor {
  static readonly jobs = [JobName.SyncSource] as const;

  constructor(
    config: AppConfig,
    private readonly sync: SyncService,
  ) {
    super(config);
  }

  /** How often this worker looks for runs left 'running' by a dead or stuck worker. */
  static readonly stuckRunCheckMs = 60_000;
  private stuckRunTimer?: NodeJS.Timeout;

  protected readonly handlers: Handlers = {
    // A source busy in another worker answers RetryLater: the job waits delayed, not in a slot.
    [JobName.SyncSource]: (p, job) => this.sync.run(p, job.id, 'retry-later'),
  };

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    this.stuckRunTimer = setInterval(() => {
      this.sync.closeStuckRuns().catch((err: Error) => this.log.warn(`stuck run check failed: ${err.message}`));
    }, SourcesProcessor.stuckRunCheckMs);
    this.stuckRunTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.stuckRunTimer);
  }
}
