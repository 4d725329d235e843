import { Body, Controller, Get, Param, Patch, Post, Put, Query, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiBody, ApiTags } from '@nestjs/swagger';
import { rename, rm } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { z } from 'zod';
import { pageShape } from '../common/pagination';
import type { Actor } from '../auth/actor';
import { CityWide, CurrentActor, Roles } from '../auth/decorators';
import { Disclosure, disclosureQuery } from '../auth/disclosure';
import { DomainError } from '../common/errors';
import { ApiAuthErrors, ApiErrorResponses, ApiOp, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { RegistryImportService } from './registry-import.service';
import { LedgerUpload } from './ledger-upload.interceptor';
import { householdPatch, householdQuery, membersBody, projectQuery, RegistryService, unitQuery } from './registry.service';
import { intId, businessCode } from '../common/schemas';
import { householdDetail, householdPage, importRejectionPage, importReport, projectPage, projectView, unitPage, unitView } from './registry.responses';

const householdListQuery = householdQuery.extend(disclosureQuery.shape);
const pageQuery = z.object(pageShape());

@ApiTags('registry')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api')
export class RegistryController {
  constructor(
    private readonly registry: RegistryService,
    private readonly importer: RegistryImportService,
  ) {}

  @ApiOp('listProjects')
  @ApiZodResponse(200, projectPage)
  @ApiErrorResponses('VALIDATION')
  @Get('projects')
  @ApiZodQuery(projectQuery)
  listProjects(@Query(new ZodPipe(projectQuery)) q: z.infer<typeof projectQuery>, @CurrentActor() actor: Actor) {
    return this.registry.listProjects(q, actor);
  }

  @ApiOp('getProject')
  @ApiZodResponse(200, projectView)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get('projects/:code')
  getProject(@Param('code', param('code', businessCode)) projectCode: string, @CurrentActor() actor: Actor) {
    return this.registry.getProject(projectCode, actor);
  }

  @ApiOp('listUnits')
  @ApiZodResponse(200, unitPage)
  @ApiErrorResponses('VALIDATION')
  @Get('units')
  @ApiZodQuery(unitQuery)
  listUnits(@Query(new ZodPipe(unitQuery)) q: z.infer<typeof unitQuery>, @CurrentActor() actor: Actor) {
    return this.registry.listUnits(q, actor);
  }

  @ApiOp('getUnit')
  @ApiZodResponse(200, unitView)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get('units/:code')
  getUnit(@Param('code', param('code', businessCode)) unitCode: string, @CurrentActor() actor: Actor) {
    return this.registry.getUnit(unitCode, actor);
  }

  @ApiOp('listHouseholds')
  @ApiZodResponse(200, householdPage)
  @ApiErrorResponses('VALIDATION')
  @Get('households')
  @ApiZodQuery(householdListQuery)
  listHouseholds(@Query(new ZodPipe(householdListQuery)) q: z.infer<typeof householdListQuery>, @CurrentActor() actor: Actor) {
    const { reveal, purpose, ...filter } = q;
    return this.registry.listHouseholds(filter, actor, Disclosure.from(actor, { reveal, purpose }));
  }

  @ApiOp('getHousehold')
  @ApiZodResponse(200, householdDetail)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get('households/:code')
  @ApiZodQuery(disclosureQuery)
  getHousehold(@Param('code', param('code', businessCode)) code: string, @Query(new ZodPipe(disclosureQuery)) q: z.infer<typeof disclosureQuery>, @CurrentActor() actor: Actor) {
    return this.registry.getHousehold(code, actor, Disclosure.from(actor, q));
  }

  @ApiOp('updateHousehold')
  @ApiZodResponse(200, householdDetail)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Patch('households/:code')
  @CityWide()
  @Roles('admin')
  @ApiZodBody(householdPatch)
  updateHousehold(@Param('code', param('code', businessCode)) code: string, @Body(new ZodPipe(householdPatch)) body: z.infer<typeof householdPatch>, @CurrentActor() actor: Actor) {
    return this.registry.updateHousehold(code, body, actor);
  }

  @ApiOp('replaceHouseholdMembers')
  @ApiZodResponse(200, householdDetail)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Put('households/:code/members')
  @CityWide()
  @Roles('admin')
  @ApiZodBody(membersBody)
  replaceMembers(@Param('code', param('code', businessCode)) code: string, @Body(new ZodPipe(membersBody)) body: z.infer<typeof membersBody>, @CurrentActor() actor: Actor) {
    return this.registry.replaceMembers(code, body, actor);
  }

  @ApiOp('importRegistry', 'Uploads ledger files (CSV or XLSX)')
  @ApiZodResponse(201, importReport)
  @ApiErrorResponses('VALIDATION')
  @Post('registry/import')
  @CityWide()
  @Roles('admin')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } } } })
  @UseInterceptors(LedgerUpload)
  async importRegistry(@UploadedFiles() files: { originalname: string; path: string }[] | undefined, @CurrentActor() actor: Actor) {
    const written = (files ?? []).map((f) => f.path);
    try {
      if (!files?.length) throw new DomainError('VALIDATION', '请上传台账文件', [{ field: 'files', reason: '至少一个 .csv 或 .xlsx 文件' }]);
      const saved = [];
      for (const f of files) {
        const name = basename(Buffer.from(f.originalname, 'latin1').toString('utf8'));
        // The reader tells XLSX from CSV by the extension; multer's own names have none.
        const path = `${f.path}${extname(name).toLowerCase().replace(/[^\w.]/g, '')}`;
        await rename(f.path, path);
        written.push(path);
        saved.push({ path, name });
      }
      return await this.importer.importFiles(saved, actor);
    } finally {
      await Promise.all(written.map((path) => rm(path, { force: true })));
    }
  }

  @ApiOp('listImportRejections')
  @ApiZodResponse(200, importRejectionPage)
  @ApiErrorResponses('VALIDATION')
  @Get('registry/imports/:id/rejections')
  @CityWide()
  @Roles('admin', 'reviewer', 'auditor')
  @ApiZodQuery(pageQuery)
  rejections(@Param('id', param('id', intId)) id: number, @Query(new ZodPipe(pageQuery)) q: z.infer<typeof pageQuery>) {
    return this.registry.rejections(id, q);
  }
}
