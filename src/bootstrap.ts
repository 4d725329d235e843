import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/config';
import { setupOpenApi } from './http/openapi-document';
import { serveConsole } from './http/console-static';
import { applySecurity } from './http/security';
import { assignRequestId, configureLogging, LogDestination, PINO_LEVEL } from './logging/logging';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Builds the Nest application for a config (used by main.ts and by the e2e tests). Logs are JSON
 * lines through pino (src/logging) on stdout, or on `logDestination`; `logger: false` writes none.
 */
export async function createApp(config: AppConfig, opts: { logger?: boolean; logDestination?: LogDestination } = {}): Promise<INestApplication<Server>> {
  const logs = opts.logDestination !== undefined || opts.logger !== false;
  const level = logs ? PINO_LEVEL[config.logLevel] : 'silent';
  configureLogging({ destination: logs ? opts.logDestination : null, level });
  // The Express platform: its HTTP server is a node:http Server.
  const app = await NestFactory.create<INestApplication<Server>>(AppModule.forConfig(config), {
    logger: logs ? LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1) : false,
    bufferLogs: logs,
    // A start-up failure (Redis that may evict, a database that is not there) is thrown with its
    // reason to the caller (main.ts prints it and exits 1), not a bare process.exit inside Nest.
    abortOnError: false,
  });
  // The HTTP logger is made once per process (nestjs-pino): it takes this app's level too.
  configureLogging({ destination: logs ? opts.logDestination : null, level }, PinoLogger.root);
  if (logs) app.useLogger(app.get(PinoNestLogger));
  app.use(assignRequestId);
  app.enableShutdownHooks();
  applySecurity(app);
  serveConsole(app);
  setupOpenApi(app);
  return app;
}
