import { Module } from '@nestjs/common';
import { EligibilityModule } from '../src/eligibility/eligibility.module';
import { SourcesModule } from '../src/sources/sources.module';
import { SyncScheduler } from '../src/sources/sync.scheduler';
import { assertEveryJobHandled, PROCESSORS } from './processors';

/** Worker side (processors and schedulers): loaded only where the process role runs workers. */
@Module({
  imports: [SourcesModule, EligibilityModule],
  providers: [...PROCESSORS, SyncScheduler],
})
export class WorkersModule {
  constructor() {
    assertEveryJobHandled();
  }
}
