import { Logger, type INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths that belong to the service, never to the console's SPA fallback. */
const SERVICE_PATH = /^\/(?:api|health|metrics)(?:\/|$)/;

/** The built console (web/dist): compiled code runs from dist/src/http, tests from src/http. */
export function consoleDir(): string | null {
  for (const up of [['..', '..', '..'], ['..', '..']]) {
    const dir = join(__dirname, ...up, 'web', 'dist');
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

/**
 * Serves the bureau's console at `/`: its hashed assets (cached for a year), and index.html for
 * any other GET outside /api, /health and /metrics (the SPA's routes). Without a built console
 * the API starts all the same, and says so.
 */
export function serveConsole(app: INestApplication, dir = consoleDir()): void {
  if (!dir) {
    new Logger('console').log('web/dist not found: the console is not served (npm run build builds it)');
    return;
  }
  const index = join(dir, 'index.html');
  app.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVICE_PATH.test(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, (err) => err && next(err));
  });
}
