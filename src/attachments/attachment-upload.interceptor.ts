import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, Observable, switchMap } from 'rxjs';
import { DomainError } from '../common/errors';
import { MAX_BYTES, MAX_FILES } from './attachments.schemas';

/** Where multer writes uploaded attachments until they are checked and stored (memory stays bounded). */
export const UPLOAD_DIR = join(tmpdir(), 'phr-attachment-uploads');

const upload = multer({ dest: UPLOAD_DIR, limits: { fileSize: MAX_BYTES, files: MAX_FILES, fields: 5, fieldSize: 4096 } }).array('files', MAX_FILES);

const REASON: Record<string, string> = {
  LIMIT_FILE_SIZE: `单个文件不得超过 ${MAX_BYTES / 1024 / 1024} MB`,
  LIMIT_FILE_COUNT: `一次最多上传 ${MAX_FILES} 个文件`,
  LIMIT_UNEXPECTED_FILE: `文件须放在 files 字段，一次最多 ${MAX_FILES} 个`,
};

/**
 * An attachment upload (multipart: files, kind, note, eventId), written to disk as it arrives;
 * past a limit, 400 with the reason (multer removes what it had written).
 */
@Injectable()
export class AttachmentUpload implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const parsed = new Promise<void>((resolve, reject) =>
      upload(req, res, (err: unknown) => {
        if (!err) return resolve();
        const code = (err as { code?: string }).code ?? 'multipart';
        reject(new DomainError('VALIDATION', '附件无效', [{ field: 'files', reason: REASON[code] ?? `上传格式错误（${code}）：只接受 files、kind、note 和 eventId` }]));
      }),
    );
    return from(parsed).pipe(switchMap(() => next.handle()));
  }
}
