import { Body, Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiParam, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CityWide, CurrentActor, Roles } from '../auth/decorators';
import { ApiAuthErrors, ApiErrorResponses, ApiFileResponse, ApiOp, ApiZodResponse } from '../common/openapi';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { DOCX_TYPE } from './documents.service';
import { send } from './send-file';
import { DOCUMENT_KINDS, DocumentKind } from './document-kinds';
import { templateList, templateView } from './documents.responses';
import { templateUploadBody } from './documents.schemas';
import { TemplateUpload } from './template-upload.interceptor';
import { TemplatesService } from './templates.service';

@ApiTags('documents')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  /** A new version of a kind's template (DOCX, up to 5 MB): refused with every reason when its syntax or placeholders are wrong. */
  @ApiOp('uploadTemplate', 'Uploads a notice template (DOCX)')
  @ApiZodResponse(201, templateView)
  @ApiErrorResponses('VALIDATION')
  @Post()
  @CityWide()
  @Roles('admin')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['kind', 'file'], properties: { kind: { type: 'string', enum: [...DOCUMENT_KINDS] }, file: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(TemplateUpload)
  upload(@Body(new ZodPipe(templateUploadBody)) body: z.infer<typeof templateUploadBody>, @UploadedFile() file: Express.Multer.File | undefined, @CurrentActor() actor: Actor) {
    return this.templates.upload(body.kind, file, actor);
  }

  /** Uploaded versions, the built-in default of each kind (version 0), which is in use, and the placeholders. */
  @ApiOp('listTemplates')
  @ApiZodResponse(200, templateList)
  @Get()
  @CityWide()
  @Roles('admin')
  list() {
    return this.templates.list();
  }

  /** The built-in template of a kind (DOCX, valid as-is): where a bureau's own wording starts. */
  @ApiOp('downloadDefaultTemplate', 'The built-in template of a kind (DOCX)')
  @ApiFileResponse([DOCX_TYPE], '默认模板')
  @ApiErrorResponses('VALIDATION')
  @Get('defaults/:kind')
  @ApiParam({ name: 'kind', enum: [...DOCUMENT_KINDS] })
  @CityWide()
  @Roles('admin')
  async defaultTemplate(@Param('kind', param('kind', z.enum(DOCUMENT_KINDS))) kind: DocumentKind, @Res() res: Response) {
    await send(res, this.templates.defaultOf(kind), DOCX_TYPE);
  }
}
