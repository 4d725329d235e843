import { Module } from '@nestjs/common';
import { EligibilityModule } from '../eligibility/eligibility.module';
import { DashboardController } from './dashboard.controller';
import { DashboardRepository } from './dashboard.repository';
import { DashboardService } from './dashboard.service';

@Module({ imports: [EligibilityModule], providers: [DashboardService, DashboardRepository], controllers: [DashboardController] })
export class DashboardModule {}
