import { Module } from '@nestjs/common';
import { CasesModule } from '../src/cases/cases.module';
import { CasesScheduler } from '../src/cases/cases.scheduler';
import { EligibilityModule } from '../src/eligibility/eligibility.module';
import { SourcesModule } from '../src/sources/sources.module';
import { SyncScheduler } from '../src/sources/sync.scheduler';
import { assertEveryJobHandled, PROCESSORS } from './processors';
import { QueueService } from './queue.service';

/** Worker side (processors and schedulers): loaded only where the process role runs workers. */
@Module({
  imports: [SourcesModule, EligibilityModule, CasesModule],
  providers: [
    // Resolved before any worker starts: start-up fails with the reason when Redis may evict keys.
    { provide: 'REDIS_NO_EVICTION', inject: [QueueService], useFactory: (queues: QueueService) => queues.assertNoEviction() },
    ...PROCESSORS,
    SyncScheduler,
    CasesScheduler,
  ],
})
export class WorkersModule {
  constructor() {
    assertEveryJobHandled();
  }
}
