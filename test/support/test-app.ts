import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createApp } from '../../src/bootstrap';
import type { LogDestination } from '../../src/logging/logging';
import { AppConfig, loadConfig } from '../../src/config/config';
import { TokenService } from '../../src/auth/token.service';
import { ROLES, type Role } from '../../src/auth/actor';
import { createTestDatabase } from './test-db';
import { REDIS_URL } from './env';

export interface TestApp {
  app: INestApplication<Server>;
  config: AppConfig;
  dbUrl: string;
  tokens: Record<Role, string>;
  close(): Promise<void>;
}

/** The real application on a cloned database and its own Redis key prefix. */
export async function startTestApp(label: string, env: Record<string, string> = {}, opts: { listen?: boolean; logDestination?: LogDestination } = {}): Promise<TestApp> {
  const db = await createTestDatabase(label);
  const prefix = `phrtest:${label}:${randomBytes(3).toString('hex')}`;
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    APP_ROLE: 'api',
    LOG_LEVEL: 'error',
    PORT: '0',
    ...env,
  });
  // No logs unless the test captures them.
  const app = await createApp(config, opts.logDestination ? { logDestination: opts.logDestination } : { logger: false });
  if (opts.listen === false) await app.init();
  else await app.listen(0, '127.0.0.1');
  const svc = app.get(TokenService);
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) tokens[role] = (await svc.create(`${role}-user`, role, 'test')).token;
  return {
    app,
    config,
    dbUrl: db.url,
    tokens,
    async close() {
      await app.close();
      await clearPrefix(prefix);
      await db.drop();
    },
  };
}

export async function clearPrefix(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}
