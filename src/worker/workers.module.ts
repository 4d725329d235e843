import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { QueueService } from '../../jobs/queue.service';
import { CasesModule } from '../cases/cases.module';
import { EligibilityModule } from '../eligibility/eligibility.module';
import { SimulationModule } from '../simulation/simulation.module';
import { SourcesModule } from '../sources/sources.module';
import { Pipeline } from './pipeline';
import { assertEveryJobHandled, PROCESSORS } from './processors';
import { CasesDeadlinesScheduler } from './schedulers/cases-deadlines.scheduler';
import { SyncScheduler } from './schedulers/sync.scheduler';

/**
 * The worker side (processors, the pipeline between jobs, schedulers): loaded only where the
 * process role runs workers. Crons that must fire once across replicas are BullMQ job schedulers;
 * per-process timers (stuck-run checks, schedule reconciliation) are @nestjs/schedule intervals.
 */
@Module({
  imports: [ScheduleModule.forRoot(), SourcesModule, EligibilityModule, CasesModule, SimulationModule],
  providers: [
    // Resolved before any worker starts: start-up fails with the reason when Redis may evict keys.
    { provide: 'REDIS_NO_EVICTION', inject: [QueueService], useFactory: (queues: QueueService) => queues.assertNoEviction() },
    Pipeline,
    ...PROCESSORS,
    SyncScheduler,
    CasesDeadlinesScheduler,
  ],
})
export class WorkersModule {
  constructor() {
    assertEveryJobHandled();
  }
}
