import { Module } from '@nestjs/common';
import { EligibilityController } from './eligibility.controller';
import { FindingsService } from './findings.service';
import { RecomputeService } from './recompute.service';

@Module({
  providers: [RecomputeService, FindingsService],
  controllers: [EligibilityController],
  exports: [RecomputeService, FindingsService],
})
export class EligibilityModule {}
