import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../../src/config/config';
import { RecomputeService } from '../../src/eligibility/recompute.service';
import { JobName, QueueName } from '../catalogue';
import { CatalogueProcessor, Handlers } from './job-handler';

@Processor(QueueName.Recompute)
export class RecomputeProcessor extends CatalogueProcessor {
  static readonly jobs = [JobName.RecomputePlan, JobName.RecomputeShard, JobName.RecomputeFinish] as const;

  constructor(
    config: AppConfig,
    private readonly recompute: RecomputeService,
  ) {
    super(config);
  }

  protected readonly handlers: Handlers = {
    [JobName.RecomputePlan]: (p) => this.recompute.plan({ asOf: p.asOf, full: p.full, trigger: p.trigger }),
    [JobName.RecomputeShard]: (p) => this.recompute.shard(p.runId, p.shard),
    [JobName.RecomputeFinish]: (p) => this.recompute.finish(p.runId),
  };
}
