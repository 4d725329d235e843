import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig } from './config/config';
import { applySecurity } from './http/security';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the Nest application for a config (used by main.ts and by the e2e tests). */
export async function createApp(config: AppConfig, opts: { logger?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forConfig(config), {
    logger: opts.logger === false ? false : LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
    // A start-up failure (Redis that may evict, a database that is not there) is thrown with its
    // reason to the caller (main.ts prints it and exits 1), not a bare process.exit inside Nest.
    abortOnError: false,
  });
  app.enableShutdownHooks();
  applySecurity(app);
  const doc = new DocumentBuilder()
    .setTitle('公租房租后资格复核服务')
    .setDescription('Public-rental-housing eligibility reconciliation service. Every route but /health and /api/docs needs a bearer token.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc));
  return app;
}
