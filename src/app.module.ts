import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { JobsModule } from '../jobs/jobs.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { GlobalExceptionFilter } from './common/http-exception.filter';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { RegistryModule } from './registry/registry.module';

/** Worker-side providers (processors, schedulers): present only where the role runs workers. */
export const WORKER_PROVIDERS: Provider[] = [];

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config),
        DatabaseModule,
        JobsModule.forRole(WORKER_PROVIDERS, config.runsWorkers),
        AuditModule,
        AuthModule,
        RegistryModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: GlobalExceptionFilter }],
    };
  }
}
