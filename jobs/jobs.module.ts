import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../src/config/config';
import { ALL_QUEUES } from './catalogue';
import { redisOptions } from './redis-options';
import { QueueService } from './queue.service';

/** Queues, registered in every process role (the API and the CLI enqueue). */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ connection: redisOptions(config.redisUrl), prefix: config.queuePrefix }),
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [QueueService],
  exports: [QueueService],
})
export class JobsModule {}
