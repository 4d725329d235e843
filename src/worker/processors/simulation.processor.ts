import { Processor } from '@nestjs/bullmq';
import { JobName, QueueName } from '../../../jobs/catalogue';
import { AppConfig } from '../../config/config';
import { SimulationService } from '../../simulation/simulation.service';
import { CatalogueProcessor, Handlers } from '../catalogue-processor';

@Processor(QueueName.Simulation)
export class SimulationProcessor extends CatalogueProcessor {
  static readonly jobs = [JobName.SimulationShard, JobName.SimulationFinish] as const;

  constructor(
    config: AppConfig,
    private readonly simulations: SimulationService,
  ) {
    super(config);
  }

  protected readonly handlers: Handlers = {
    [JobName.SimulationShard]: (p) => this.simulations.shard(p.simulationId, p.shard),
    [JobName.SimulationFinish]: (p) => this.simulations.finish(p.simulationId),
  };
}
