import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { ApiAuthErrors, ApiErrorResponses, ApiFileResponse, ApiOp, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { bigId } from '../common/schemas';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { BatchesService } from './batches.service';
import { batchView, caseDocumentList } from './documents.responses';
import { batchBody, batchFileQuery, downloadQuery, requirePurpose } from './documents.schemas';
import { DOCX_TYPE, DocumentsService } from './documents.service';
import { send } from './send-file';

@ApiTags('documents')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api')
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly batches: BatchesService,
  ) {}

  /** The notices generated for a case (number, kind, template version, hash): no bytes. */
  @ApiOp('listCaseDocuments')
  @ApiZodResponse(200, caseDocumentList)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get('cases/:id/documents')
  list(@Param('id', param('id', bigId)) id: string, @CurrentActor() actor: Actor) {
    return this.documents.list(id, actor);
  }

  /** A notice (it carries the full ID number): reviewer or admin, with a purpose, audited before any byte leaves. */
  @ApiOp('downloadCaseDocument', 'A notice as DOCX (or PDF)')
  @ApiFileResponse([DOCX_TYPE, 'application/pdf'], '文书')
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'UNPROCESSABLE')
  @Get('cases/:id/documents/:docId')
  @Roles('admin', 'reviewer')
  @ApiZodQuery(downloadQuery)
  async download(
    @Param('id', param('id', bigId)) id: string,
    @Param('docId', param('docId', bigId)) docId: string,
    @Query(new ZodPipe(downloadQuery)) q: z.infer<typeof downloadQuery>,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ) {
    const file = await this.documents.download(id, docId, actor, requirePurpose(q.purpose), q.format);
    await send(res, file, file.type);
  }

  /** One ZIP of a kind's notices of the matching cases in the caller's scope, made by a queued job. */
  @ApiOp('startDocumentBatch')
  @ApiZodResponse(202, batchView)
  @ApiErrorResponses('VALIDATION')
  @Post('documents/batch')
  @Roles('admin', 'reviewer')
  @ApiZodBody(batchBody)
  start(@Body(new ZodPipe(batchBody)) body: z.infer<typeof batchBody>, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    res.status(202);
    return this.batches.request(body, actor);
  }

  /** A batch's progress (done of total) and, once completed, its file link: its requester only. */
  @ApiOp('getDocumentBatch')
  @ApiZodResponse(200, batchView)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get('documents/batches/:id')
  @Roles('admin', 'reviewer')
  status(@Param('id', param('id', bigId)) id: string, @CurrentActor() actor: Actor) {
    return this.batches.status(id, actor);
  }

  /** The batch's ZIP: with a purpose, audited before any byte leaves. */
  @ApiOp('downloadDocumentBatch', 'A batch of notices as one ZIP')
  @ApiFileResponse(['application/zip'], '批量文书')
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'CONFLICT')
  @Get('documents/batches/:id/file')
  @Roles('admin', 'reviewer')
  @ApiZodQuery(batchFileQuery)
  async batchFile(@Param('id', param('id', bigId)) id: string, @Query(new ZodPipe(batchFileQuery)) q: z.infer<typeof batchFileQuery>, @CurrentActor() actor: Actor, @Res() res: Response) {
    await send(res, await this.batches.file(id, actor, requirePurpose(q.purpose)), 'application/zip');
  }
}
