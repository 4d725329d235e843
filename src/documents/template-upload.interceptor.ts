import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { from, Observable, switchMap } from 'rxjs';
import { DomainError } from '../common/errors';
import { TEMPLATE_MAX_BYTES } from './docx';

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: TEMPLATE_MAX_BYTES, files: 1, fields: 4 } }).single('file');

/** A template upload (multipart: kind + file) held in memory up to its limit; past it, 400 with the reason. */
@Injectable()
export class TemplateUpload implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const parsed = new Promise<void>((resolve, reject) =>
      upload(req, res, (err: unknown) => {
        if (!err) return resolve();
        const code = (err as { code?: string }).code;
        if (code === 'LIMIT_FILE_SIZE') return reject(new DomainError('VALIDATION', '模板无效', [{ field: 'file', reason: `文件超过${TEMPLATE_MAX_BYTES / 1024 / 1024} MB` }]));
        reject(new DomainError('VALIDATION', '请求参数无效', [{ field: 'file', reason: `上传格式错误（${code ?? 'multipart'}）：只接受一个 file 字段和 kind` }]));
      }),
    );
    return from(parsed).pipe(switchMap(() => next.handle()));
  }
}
