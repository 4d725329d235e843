import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators';
import { DatabaseService } from '../database/database.service';
import { QueueService } from '../../jobs/queue.service';
import { ApiErrorResponses, ApiOp, ApiZodResponse } from '../common/openapi';
import { healthResponse } from './health.responses';

/** Liveness and dependencies; public, and says nothing about any person. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DatabaseService,
    private readonly queues: QueueService,
  ) {}

  @ApiOp('getHealth', 'Liveness and dependencies', { public: true })
  @ApiZodResponse(200, healthResponse)
  @ApiZodResponse(503, healthResponse, 'PostgreSQL or Redis is down')
  @ApiErrorResponses('TOO_MANY_REQUESTS', 'INTERNAL')
  @Get()
  @Public()
  @HttpCode(200)
  async health(@Res({ passthrough: true }) res: Response) {
    const [postgres, redis] = await Promise.all([this.db.ping(), this.queues.ping()]);
    const ok = postgres && redis;
    if (!ok) res.status(503);
    return { status: ok ? 'ok' : 'degraded', postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' };
  }
}
