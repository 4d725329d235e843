import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../../src/config/config';
import { CasesService } from '../../src/cases/cases.service';
import { JobName, QueueName } from '../catalogue';
import { CatalogueProcessor, Handlers } from './job-handler';

@Processor(QueueName.Cases)
export class CasesProcessor extends CatalogueProcessor {
  static readonly jobs = [JobName.CasesSync, JobName.CasesDeadlines] as const;

  constructor(
    config: AppConfig,
    private readonly cases: CasesService,
  ) {
    super(config);
  }

  protected readonly handlers: Handlers = {
    [JobName.CasesSync]: (p) => this.cases.syncFromRun(p.runId),
    [JobName.CasesDeadlines]: (p) => this.cases.deadlines(p.date),
  };
}
