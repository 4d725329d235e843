import { CallHandler, ExecutionContext, Injectable, mixin, NestInterceptor, Type } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { DomainError } from './errors';

/** What multer says when it refuses an upload: its code (LIMIT_FILE_SIZE…) and the field. */
export interface MulterRefusal {
  code?: string;
  field?: string;
}

/**
 * An interceptor that runs a multer handler before the route (files on disk or in memory, as the
 * handler was built); a refused upload is the DomainError `refusal` makes of multer's error (a 400
 * with the reason, never Nest's English 413).
 */
export function multipartUpload(handler: (req: Request, res: Response, done: (err?: unknown) => void) => void, refusal: (err: MulterRefusal) => DomainError): Type<NestInterceptor> {
  @Injectable()
  class MultipartUpload implements NestInterceptor {
    intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
      const req = ctx.switchToHttp().getRequest<Request>();
      const res = ctx.switchToHttp().getResponse<Response>();
      const parsed = new Promise<void>((resolve, reject) => handler(req, res, (err?: unknown) => (err ? reject(refusal(err)) : resolve())));
      return from(parsed).pipe(switchMap(() => next.handle()));
    }
  }
  return mixin(MultipartUpload);
}
