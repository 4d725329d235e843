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

  /**
   * Counts a failure; the one that reaches the limit starts the block (the next try waits).
   * Returns the seconds to wait when this failure is past the limit: requests already in flight
   * when the block began (they passed `blockedFor` together) are answered 429, not 401, so no more
   * than the limit of 401s ever reach one IP in a window, however many arrive at once.
   */
  async recordFailure(ip: string): Promise<number> {
    const r = await this.storage.increment(ip, WINDOW_MS, this.config.rateLimitAuthFailures - 1, WINDOW_MS, NAME);
    return r.totalHits > this.config.rateLimitAuthFailures ? Math.max(1, r.timeToBlockExpire) : 0;
  }
}
