import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/decorators';
import { Disclosure, disclosureQuery } from '../auth/disclosure';
import { ApiZodQuery } from '../common/openapi';
import { ZodPipe } from '../common/zod-validation.pipe';
import { ExportFormat, ExportsService } from './exports.service';

const exportQuery = z
  .object({
    format: z.enum(['xlsx', 'csv']).default('xlsx'),
    project: z.string().optional(),
    town: z.string().optional(),
    nature: z.enum(['eligibility', 'violation']).optional(),
  })
  .extend(disclosureQuery.shape);

const CONTENT: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

function download(res: Response, name: string, format: ExportFormat) {
  res.setHeader('Content-Type', CONTENT[format]);
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}`);
}

@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  /** 应退未退整改情况表 (section D columns), streamed. */
  @Get('overdue')
  @ApiZodQuery(exportQuery)
  async overdue(@Query(new ZodPipe(exportQuery)) q: z.infer<typeof exportQuery>, @CurrentActor() actor: Actor, @Res() res: Response) {
    const { format, reveal, purpose, ...filter } = q;
    const disclosure = Disclosure.from(actor, { reveal, purpose });
    download(res, '应退未退整改情况表', format);
    await this.exports.overdue(res, format, filter, actor, disclosure);
  }

  /** 问题整改清单. */
  @Get('cases')
  @ApiZodQuery(exportQuery)
  async cases(@Query(new ZodPipe(exportQuery)) q: z.infer<typeof exportQuery>, @CurrentActor() actor: Actor, @Res() res: Response) {
    const { format, reveal, purpose, ...filter } = q;
    const disclosure = Disclosure.from(actor, { reveal, purpose });
    download(res, '问题整改清单', format);
    await this.exports.caseList(res, format, filter, actor, disclosure);
  }

  /** 成果清单. */
  @Get('summary')
  async summary(@Query('format') format: string | undefined, @CurrentActor() actor: Actor, @Res() res: Response) {
    const f: ExportFormat = format === 'csv' ? 'csv' : 'xlsx';
    download(res, '成果清单', f);
    await this.exports.summary(res, f, actor);
  }
}
