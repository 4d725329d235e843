import { Processor } from '@nestjs/bullmq';
import { JobName, QueueName } from '../../../jobs/catalogue';
import { AppConfig } from '../../config/config';
import { RecomputeService } from '../../eligibility/recompute.service';
import { CatalogueProcessor, Handlers } from '../catalogue-processor';
import { Pipeline } from '../pipeline';

@Processor(QueueName.Recompute)
export class RecomputeProcessor extends CatalogueProcessor {
  static readonly jobs = [JobName.RecomputePlan, JobName.RecomputeShard, JobName.RecomputeFinish] as const;

  constructor(
    config: AppConfig,
    private readonly recompute: RecomputeService,
    private readonly pipeline: Pipeline,
  ) {
    super(config);
  }

  protected readonly handlers: Handlers = {
    [JobName.RecomputePlan]: (p) => this.recompute.plan({ asOf: p.asOf, full: p.full, trigger: p.trigger }),
    [JobName.RecomputeShard]: (p) => this.recompute.shard(p.runId, p.shard),
    [JobName.RecomputeFinish]: async (p) => {
      const result = await this.recompute.finish(p.runId);
      await this.pipeline.afterRun({ runId: p.runId });
      return result;
    },
  };
}
