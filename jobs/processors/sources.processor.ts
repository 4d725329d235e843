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

  protected readonly handlers: Handlers = {
    [JobName.SyncSource]: (p, job) => this.sync.run(p, job.id),
  };
}
