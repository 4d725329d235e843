import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { ApiZodBody } from '../common/openapi';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { checkBody, drawBody, SamplingService } from './sampling.service';
import { intId, businessCode } from '../common/schemas';

const discrepancyQuery = z.object({ format: z.enum(['json', 'csv']).default('json') }).strict();

@ApiTags('sampling')
@ApiBearerAuth()
@Controller('api/samples')
export class SamplingController {
  constructor(private readonly sampling: SamplingService) {}

  /** Draws a seeded sample stratified by project (rate or count). */
  @Post()
  @Roles('admin', 'reviewer')
  @ApiZodBody(drawBody)
  draw(@Body(new ZodPipe(drawBody)) body: z.infer<typeof drawBody>, @CurrentActor() actor: Actor) {
    return this.sampling.draw(body, actor);
  }

  @Get(':id')
  items(@Param('id', param('id', intId)) id: number) {
    return this.sampling.items(id);
  }

  /** Records an on-site check: the rule codes found (empty: nothing wrong). */
  @Put(':id/households/:code')
  @Roles('admin', 'reviewer')
  @ApiZodBody(checkBody)
  check(@Param('id', param('id', intId)) id: number, @Param('code', param('code', businessCode)) code: string, @Body(new ZodPipe(checkBody)) body: z.infer<typeof checkBody>, @CurrentActor() actor: Actor) {
    return this.sampling.recordCheck(id, code, body, actor);
  }

  @Get(':id/discrepancies')
  async discrepancies(@Param('id', param('id', intId)) id: number, @Query(new ZodPipe(discrepancyQuery)) q: z.infer<typeof discrepancyQuery>, @Res() res: Response) {
    if (q.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('抽查差异.csv')}`);
      return this.sampling.discrepanciesCsv(id, res);
    }
    res.json(await this.sampling.discrepancies(id));
  }
}
