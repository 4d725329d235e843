import { Body, Controller, Get, Param, Post, Query, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { ApiAuthErrors, ApiErrorResponses, ApiFileResponse, ApiOp, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { bigId } from '../common/schemas';
import { send } from '../documents/send-file';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { AttachmentUpload } from './attachment-upload.interceptor';
import { attachmentList, attachmentView } from './attachments.responses';
import { ATTACHMENT_KINDS, downloadQuery, MAX_BYTES, MAX_FILES, withdrawBody } from './attachments.schemas';
import { AttachmentsService, UploadedFile } from './attachments.service';
import { ATTACHMENT_TYPES } from './sniff';

@ApiTags('attachments')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/cases/:id/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  /** Inspection evidence, contest materials or other papers: JPEG, PNG or PDF by their content. */
  @ApiOp('uploadCaseAttachments', `Uploads attachments (JPEG, PNG, PDF; ${MAX_FILES} files of ${MAX_BYTES / 1024 / 1024} MB at most)`)
  @ApiZodResponse(201, attachmentList)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Post()
  @Roles('admin', 'reviewer', 'inspector')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['files', 'kind'],
      properties: {
        files: { type: 'array', items: { type: 'string', format: 'binary' }, maxItems: MAX_FILES },
        kind: { type: 'string', enum: [...ATTACHMENT_KINDS] },
        note: { type: 'string', maxLength: 500 },
        eventId: { type: 'string', pattern: '^[1-9]\\d{0,17}$' },
      },
    },
  })
  @UseInterceptors(AttachmentUpload)
  upload(@Param('id', param('id', bigId)) id: string, @Body() fields: unknown, @UploadedFiles() files: UploadedFile[] | undefined, @CurrentActor() actor: Actor) {
    return this.attachments.upload(id, fields, files ?? [], actor);
  }

  /** The case's attachments (metadata, withdrawn ones marked): no bytes, no file names. */
  @ApiOp('listCaseAttachments')
  @ApiZodResponse(200, attachmentList)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get()
  list(@Param('id', param('id', bigId)) id: string, @CurrentActor() actor: Actor) {
    return this.attachments.list(id, actor);
  }

  /** An attachment's bytes (a personal document): audited before any byte leaves. */
  @ApiOp('downloadCaseAttachment', 'An attachment as it was uploaded')
  @ApiFileResponse([...ATTACHMENT_TYPES], '附件')
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get(':attachmentId')
  @Roles('admin', 'reviewer', 'inspector', 'auditor')
  @ApiZodQuery(downloadQuery)
  async download(
    @Param('id', param('id', bigId)) id: string,
    @Param('attachmentId', param('attachmentId', bigId)) attachmentId: string,
    @Query(new ZodPipe(downloadQuery)) q: z.infer<typeof downloadQuery>,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ) {
    const file = await this.attachments.download(id, attachmentId, actor, q.purpose);
    await send(res, file, file.type);
  }

  /** Withdraws an attachment with the reason: it stays stored and listed, marked withdrawn. */
  @ApiOp('withdrawCaseAttachment')
  @ApiZodResponse(201, attachmentView)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'CONFLICT')
  @Post(':attachmentId/withdraw')
  @Roles('admin', 'reviewer')
  @ApiZodBody(withdrawBody)
  withdraw(
    @Param('id', param('id', bigId)) id: string,
    @Param('attachmentId', param('attachmentId', bigId)) attachmentId: string,
    @Body(new ZodPipe(withdrawBody)) body: z.infer<typeof withdrawBody>,
    @CurrentActor() actor: Actor,
  ) {
    return this.attachments.withdraw(id, attachmentId, body.reason, actor);
  }
}
