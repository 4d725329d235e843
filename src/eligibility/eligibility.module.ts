import { Module } from '@nestjs/common';
import { EligibilityController } from './eligibility.controller';
import { FindingsRepository } from './findings.repository';
import { FindingsService } from './findings.service';
import { RecomputeRunRepository } from './recompute-run.repository';
import { RecomputeService } from './recompute.service';

@Module({
  providers: [RecomputeService, FindingsService, RecomputeRunRepository, FindingsRepository],
  controllers: [EligibilityController],
  exports: [RecomputeService, FindingsService],
})
export class EligibilityModule {}
