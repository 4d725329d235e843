import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { REDIS_URL } from '../support/env';
import { createTestDatabase } from '../support/test-db';

/**
 * Workers refuse a Redis that may evict keys; the API only warns. The test sets the shared Redis's
 * policy for a few hundred milliseconds (test files run one at a time on this 2-core machine).
 */
describe('Redis eviction policy (real Redis)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const redis = new Redis(REDIS_URL);
  let original: string;
  const config = (role: 'worker' | 'api') =>
    loadConfig({ DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: `phrtest:evict:${randomBytes(3).toString('hex')}`, APP_ROLE: role, LOG_LEVEL: 'error' });

  beforeAll(async () => {
    db = await createTestDatabase('eviction');
    [, original] = (await redis.config('GET', 'maxmemory-policy')) as string[];
  });
  afterAll(async () => {
    await redis.config('SET', 'maxmemory-policy', original);
    redis.disconnect();
    await db.drop();
  });

  it('a worker will not start under allkeys-lru, and says why; the API starts; noeviction starts both', async () => {
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      await expect(createApp(config('worker'), { logger: false })).rejects.toThrow(/maxmemory-policy is allkeys-lru: workers need noeviction/);
      const api = await createApp(config('api'), { logger: false });
      await api.init();
      await api.close();
    } finally {
      await redis.config('SET', 'maxmemory-policy', original);
    }
    expect(original).toBe('noeviction');
    const worker = await createApp(config('worker'), { logger: false });
    await worker.init();
    await worker.close();
  });
});
