import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { JobsModule } from '../jobs/jobs.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AccountsModule } from './accounts/accounts.module';
import { GlobalExceptionFilter } from './common/http-exception.filter';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { HttpModule } from './http/http.module';
import { RegistryModule } from './registry/registry.module';
import { SourcesModule } from './sources/sources.module';
import { EligibilityModule } from './eligibility/eligibility.module';
import { PolicyModule } from './policy/policy.module';
import { CasesModule } from './cases/cases.module';
import { ExportsModule } from './exports/exports.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { SimulationModule } from './simulation/simulation.module';
import { DocumentsModule } from './documents/documents.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { assertEveryJobHandled } from './worker/processors';
import { WorkersModule } from './worker/workers.module';
import { MetricsModule } from './metrics/metrics.module';
import { LoggingModule } from './logging/logging.module';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    assertEveryJobHandled(); // the job catalogue is closed: every job has a processor
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config),
        LoggingModule,
        DatabaseModule,
        JobsModule,
        AuditModule,
        AccountsModule,
        AuthModule,
        // After AuthModule: global guards run in the order of their modules, and the per-token
        // rate limit needs the actor the auth guard sets.
        HttpModule,
        RegistryModule,
        SourcesModule,
        PolicyModule,
        EligibilityModule,
        CasesModule,
        ExportsModule,
        DashboardModule,
        SimulationModule,
        DocumentsModule,
        AttachmentsModule,
        MetricsModule,
        ...(config.runsWorkers ? [WorkersModule] : []),
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: GlobalExceptionFilter }],
    };
  }
}
