import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const WINDOW_MS = 60_000;
const NAME = 'auth-failures';

/**
 * Failed authentications per client IP (bad, revoked or expired tokens): past the limit in a minute,
 * the IP gets 429 with Retry-After before its token is even looked up. Shared across replicas.
 */
@Injectable()
export class AuthFailureLimiter {
  constructor(
    private readonly storage: RedisThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  /** Seconds the IP must wait, 0 when it may try. */
  blockedFor(ip: string): Promise<number> {
    return this.storage.blockedFor(ip, NAME);
  }

  /** Counts a failure; the one that reaches the limit starts the block (the next try waits). */
  async recordFailure(ip: string): Promise<void> {
    await this.storage.increment(ip, WINDOW_MS, this.config.rateLimitAuthFailures - 1, WINDOW_MS, NAME);
  }
}
