import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CityWide, Roles } from '../auth/decorators';
import { MetricsService } from './metrics.service';
import { ApiAuthErrors, ApiFileResponse, ApiOp } from '../common/openapi';

/** Prometheus scrape endpoint on the API port; admin tokens only. */
@ApiTags('metrics')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @ApiOp('scrapeMetrics', 'Prometheus scrape')
  @ApiFileResponse(['text/plain'], 'Prometheus text exposition format')
  @Get()
  @Roles('admin')
  @CityWide()
  async scrape(@Res() res: Response): Promise<void> {
    const text = await this.metrics.scrape();
    res.setHeader('Content-Type', this.metrics.contentType);
    res.send(text);
  }
}
