import { Processor } from '@nestjs/bullmq';
import { JobName, QueueName } from '../../../jobs/catalogue';
import { AppConfig } from '../../config/config';
import { CasesService } from '../../cases/cases.service';
import { CatalogueProcessor, Handlers } from '../catalogue-processor';

@Processor(QueueName.Cases)
export class CasesProcessor extends CatalogueProcessor {
  static readonly jobs = [JobName.CasesFollowRun, JobName.CasesDeadlines] as const;

  constructor(
    config: AppConfig,
    private readonly cases: CasesService,
  ) {
    super(config);
  }

  protected readonly handlers: Handlers = {
    [JobName.CasesFollowRun]: (p) => this.cases.followRun(p.runId),
    [JobName.CasesDeadlines]: (p) => this.cases.deadlines(p.date),
  };
}
