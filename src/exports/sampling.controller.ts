import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { downloadHeaders } from '../common/download-headers';
import { ApiAuthErrors, ApiErrorResponses, ApiOp, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { checkBody, drawBody, SamplingService } from './sampling.service';
import { intId, businessCode } from '../common/schemas';
import { discrepancies, sampleChecked, sampleDrawn, sampleItems, samplePage } from './sampling.responses';
import { pageShape } from '../common/pagination';

const listQuery = z.object(pageShape(20)).strict();
const discrepancyQuery = z.object({ format: z.enum(['json', 'csv']).default('json') }).strict();

@ApiTags('sampling')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/samples')
export class SamplingController {
  constructor(private readonly sampling: SamplingService) {}

  /** Draws a seeded sample stratified by project (rate or count). */
  @ApiOp('drawSample')
  @ApiZodResponse(201, sampleDrawn)
  @ApiErrorResponses('VALIDATION', 'UNPROCESSABLE')
  @Post()
  @Roles('admin', 'reviewer')
  @ApiZodBody(drawBody)
  draw(@Body(new ZodPipe(drawBody)) body: z.infer<typeof drawBody>, @CurrentActor() actor: Actor) {
    return this.sampling.draw(body, actor);
  }

  @ApiOp('listSamples', 'Samples newest first (those with a household in scope; sizes of the scope)')
  @ApiZodQuery(listQuery)
  @ApiZodResponse(200, samplePage)
  @ApiErrorResponses('VALIDATION')
  @Get()
  list(@Query(new ZodPipe(listQuery)) q: z.infer<typeof listQuery>, @CurrentActor() actor: Actor) {
    return this.sampling.list(actor, q);
  }

  @ApiOp('getSample', 'The households of a sample and their checks')
  @ApiZodResponse(200, sampleItems)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get(':id')
  items(@Param('id', param('id', intId)) id: number, @CurrentActor() actor: Actor) {
    return this.sampling.items(id, actor);
  }

  /** Records an on-site check: the rule codes found (empty: nothing wrong). */
  @ApiOp('recordSampleCheck')
  @ApiZodResponse(200, sampleChecked)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Put(':id/households/:code')
  @Roles('admin', 'reviewer')
  @ApiZodBody(checkBody)
  check(@Param('id', param('id', intId)) id: number, @Param('code', param('code', businessCode)) code: string, @Body(new ZodPipe(checkBody)) body: z.infer<typeof checkBody>, @CurrentActor() actor: Actor) {
    return this.sampling.recordCheck(id, code, body, actor);
  }

  @ApiOp('getSampleDiscrepancies', '漏报 and 误报 of a sample (JSON, or CSV with format=csv)')
  @ApiZodQuery(discrepancyQuery)
  @ApiZodResponse(200, discrepancies, '成功（format=csv: 抽查差异.csv）', ['text/csv'])
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get(':id/discrepancies')
  async discrepancies(@Param('id', param('id', intId)) id: number, @Query(new ZodPipe(discrepancyQuery)) q: z.infer<typeof discrepancyQuery>, @CurrentActor() actor: Actor, @Res() res: Response) {
    if (q.format === 'csv') {
      downloadHeaders(res, '抽查差异.csv', 'text/csv; charset=utf-8');
      return this.sampling.discrepanciesCsv(id, actor, res);
    }
    res.json(await this.sampling.discrepancies(id, actor));
  }
}
