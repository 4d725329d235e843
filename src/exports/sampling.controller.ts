import { Body, Controller, Get, Param, ParseIntPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { ApiZodBody } from '../common/openapi';
import { ZodPipe } from '../common/zod-validation.pipe';
import { checkBody, drawBody, SamplingService } from './sampling.service';

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
  items(@Param('id', ParseIntPipe) id: number) {
    return this.sampling.items(id);
  }

  /** Records an on-site check: the rule codes found (empty: nothing wrong). */
  @Put(':id/households/:code')
  @Roles('admin', 'reviewer')
  @ApiZodBody(checkBody)
  check(@Param('id', ParseIntPipe) id: number, @Param('code') code: string, @Body(new ZodPipe(checkBody)) body: z.infer<typeof checkBody>, @CurrentActor() actor: Actor) {
    return this.sampling.recordCheck(id, code, body, actor);
  }

  @Get(':id/discrepancies')
  async discrepancies(@Param('id', ParseIntPipe) id: number, @Query('format') format: string | undefined, @Res() res: Response) {
    if (format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('抽查差异.csv')}`);
      return this.sampling.discrepanciesCsv(id, res);
    }
    res.json(await this.sampling.discrepancies(id));
  }
}
