import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { REDIS_URL } from '../support/env';
import { spawnTs } from '../support/run-ts';
import { createTestDatabase } from '../support/test-db';

/**
 * Workers refuse a Redis that may evict keys; the API only warns. The test sets the shared Redis's
 * policy for a few seconds (test files run one at a time on this 2-core machine).
 */
describe('Redis eviction policy (real Redis, real process)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const redis = new Redis(REDIS_URL);
  let original: string;
  const env = (role: 'worker' | 'api') => ({
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: `phrtest:evict:${randomBytes(3).toString('hex')}`,
    APP_ROLE: role,
    LOG_LEVEL: 'error',
    PORT: '0',
  });

  beforeAll(async () => {
    db = await createTestDatabase('eviction');
    [, original] = await redis.config('GET', 'maxmemory-policy');
  });
  afterAll(async () => {
    await redis.config('SET', 'maxmemory-policy', original);
    redis.disconnect();
    await db.drop();
  });

  it('a worker process will not start under allkeys-lru and says why; the API starts; noeviction starts both', async () => {
    expect(original).toBe('noeviction');
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const child = spawnTs('src/main.ts', [], env('worker'));
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout!.resume();
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      clearTimeout(timer);
      expect(code).toBe(1);
      expect(stderr).toContain('Redis maxmemory-policy is allkeys-lru: workers need noeviction');
      const api = await createApp(loadConfig(env('api')), { logger: false });
      await api.init();
      await api.close();
    } finally {
      await redis.config('SET', 'maxmemory-policy', original);
    }
    const worker = await createApp(loadConfig(env('worker')), { logger: false });
    await worker.init();
    await worker.close();
  }, 90_000);
});
