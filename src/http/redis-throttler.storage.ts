import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisOptions } from '../../jobs/redis-options';
import { AppConfig } from '../config/config';

/**
 * Fixed-window counters in Redis, shared by every replica. One script call per hit: count it, start
 * the window on the first hit, and once over the limit keep the key blocked for `blockDuration`.
 */
const HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if hits > tonumber(ARGV[2]) and redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
end
return { hits, redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2]) }`;

/** @nestjs/throttler's storage over the project's own ioredis (keys carry hashes, never an IP or a token). */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(config: AppConfig) {
    this.redis = new Redis({ ...redisOptions(config.redisUrl), maxRetriesPerRequest: 1, lazyConnect: true });
    this.redis.on('error', () => undefined);
    this.prefix = `${config.queuePrefix}:throttle`;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const k = `${this.prefix}:${throttlerName}:${digest(key)}`;
    const [hits, ttlMs, blockMs] = (await this.redis.eval(HIT, 2, k, `${k}:blocked`, ttl, limit, blockDuration || ttl)) as number[];
    return {
      totalHits: hits,
      timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
      isBlocked: blockMs > 0,
      timeToBlockExpire: Math.max(0, Math.ceil(blockMs / 1000)),
    };
  }

  /** Seconds left of a key's block, 0 when it is not blocked (reads only). */
  async blockedFor(key: string, throttlerName: string): Promise<number> {
    const ms = await this.redis.pttl(`${this.prefix}:${throttlerName}:${digest(key)}:blocked`);
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

const digest = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 32);
