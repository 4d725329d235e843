import { Body, Controller, Get, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CityWide, CurrentActor, Roles } from '../auth/decorators';
import { ApiAuthErrors, ApiErrorResponses, ApiOp, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod-validation.pipe';
import { DOCUMENT_KINDS } from './document-kinds';
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
}
