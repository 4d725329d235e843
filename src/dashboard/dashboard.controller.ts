import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/decorators';
import { ApiAuthErrors, ApiOp, ApiZodResponse } from '../common/openapi';
import { dashboard } from './dashboard.responses';
import { DashboardService } from './dashboard.service';

@ApiTags('dashboard')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  /** Findings by rule, town and project; the case funnel; 应退未退 by week; inspections past due; the latest run's changes. */
  @ApiOp('getDashboard')
  @ApiZodResponse(200, dashboard)
  @Get()
  get(@CurrentActor() actor: Actor) {
    return this.dashboard.get(actor);
  }
}
