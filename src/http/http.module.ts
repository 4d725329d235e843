import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/config';
import { ApiThrottlerGuard } from './api-throttler.guard';
import { AuthFailureLimiter } from './auth-failure.limiter';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** The Redis counters, one instance shared by the throttler and the auth-failure limiter. */
@Module({ providers: [RedisThrottlerStorage], exports: [RedisThrottlerStorage] })
class ThrottlerStorageModule {}

/**
 * Rate limits, shared by every replica through Redis: authenticated calls per token (this module's
 * guard, registered after the auth guard so it sees the actor) and failed authentications per IP
 * (the auth guard asks AuthFailureLimiter). Limits come from the config.
 */
@Global()
@Module({
  imports: [
    ThrottlerStorageModule,
    ThrottlerModule.forRootAsync({
      imports: [ThrottlerStorageModule],
      inject: [AppConfig, RedisThrottlerStorage],
      useFactory: (config: AppConfig, storage: RedisThrottlerStorage) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimitRequests }],
        storage,
        errorMessage: '请求过于频繁，请稍后重试',
      }),
    }),
  ],
  providers: [AuthFailureLimiter, { provide: APP_GUARD, useClass: ApiThrottlerGuard }],
  exports: [AuthFailureLimiter],
})
export class HttpModule {}
