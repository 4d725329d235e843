import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/decorators';
import { Disclosure, disclosureQuery } from '../auth/disclosure';
import { ApiAuthErrors, ApiErrorResponses, ApiFileResponse, ApiOp, ApiZodQuery } from '../common/openapi';
import { ZodPipe } from '../common/zod-validation.pipe';
import { AppConfig } from '../config/config';
import { ExportSlots } from './export-slots';
import { download, EXPORT_CONTENT } from './download';
import { ExportsService } from './exports.service';

const exportFilter = z
  .object({
    format: z.enum(['xlsx', 'csv']).default('xlsx'),
    project: z.string().max(64).optional(),
    town: z.string().max(64).optional(),
    nature: z.enum(['eligibility', 'violation']).optional(),
  })
  .extend(disclosureQuery.shape)
  .strict();
const summaryQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') }).strict();

const CONTENT = EXPORT_CONTENT;

@ApiTags('exports')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/exports')
export class ExportsController {
  private readonly slots: ExportSlots;

  constructor(
    private readonly exports: ExportsService,
    config: AppConfig,
  ) {
    this.slots = new ExportSlots(config.exportConcurrency);
  }

  /** 应退未退整改情况表 (section D columns), streamed. */
  @ApiOp('exportOverdue', '应退未退整改情况表 (XLSX or CSV)')
  @ApiFileResponse(Object.values(CONTENT), '应退未退整改情况表')
  @ApiErrorResponses('VALIDATION')
  @Get('overdue')
  @ApiZodQuery(exportFilter)
  async overdue(@Query(new ZodPipe(exportFilter)) q: z.infer<typeof exportFilter>, @CurrentActor() actor: Actor, @Res() res: Response) {
    const { format, reveal, purpose, ...filter } = q;
    const disclosure = Disclosure.from(actor, { reveal, purpose });
    await this.slots.run(() => this.exports.overdue(download(res, '应退未退整改情况表', format), format, filter, actor, disclosure));
  }

  /** 问题整改清单. */
  @ApiOp('exportCases', '问题整改清单 (XLSX or CSV)')
  @ApiFileResponse(Object.values(CONTENT), '问题整改清单')
  @ApiErrorResponses('VALIDATION')
  @Get('cases')
  @ApiZodQuery(exportFilter)
  async cases(@Query(new ZodPipe(exportFilter)) q: z.infer<typeof exportFilter>, @CurrentActor() actor: Actor, @Res() res: Response) {
    const { format, reveal, purpose, ...filter } = q;
    const disclosure = Disclosure.from(actor, { reveal, purpose });
    await this.slots.run(() => this.exports.caseList(download(res, '问题整改清单', format), format, filter, actor, disclosure));
  }

  /** 成果清单. */
  @ApiOp('exportSummary', '成果清单 (XLSX or CSV)')
  @ApiFileResponse(Object.values(CONTENT), '成果清单')
  @ApiErrorResponses('VALIDATION')
  @Get('summary')
  @ApiZodQuery(summaryQuery)
  async summary(@Query(new ZodPipe(summaryQuery)) q: z.infer<typeof summaryQuery>, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.slots.run(() => this.exports.summary(download(res, '成果清单', q.format), q.format, actor));
  }
}
