import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { AppConfig } from '../src/config/config';
import { ALL_QUEUES } from './catalogue';
import { redisOptions } from './redis-options';
import { QueueService } from './queue.service';

/**
 * Queues are registered in every process role (API and CLI enqueue); worker-side providers
 * (processors, schedulers) are added by `forRole` only where the role runs workers.
 */
@Global()
@Module({})
export class JobsModule {
  static forRole(workerProviders: Provider[], runsWorkers: boolean): DynamicModule {
    return {
      module: JobsModule,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({ connection: redisOptions(config.redisUrl), prefix: config.queuePrefix }),
        }),
        BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
      ],
      providers: [QueueService, ...(runsWorkers ? workerProviders : [])],
      exports: [QueueService],
    };
  }
}
