import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ZodError } from 'zod';
import { DomainError, TooManyRequests } from './errors';
import { maskText } from './masking';
import { zodIssues } from './zod-validation.pipe';

/** The one exception filter: domain codes → statuses; bad input is never a 500; no PII in logs. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toResponse(exception);
    // A database message can quote values: ID-like numbers are masked before logging.
    if (status >= 500) this.log.error(`${(exception as Error)?.name ?? 'Error'}: ${maskText(String((exception as Error)?.message ?? '')).slice(0, 300)}`);
    // A streamed download that fails part-way cannot change its status any more: the connection is
    // cut, so the client sees a broken transfer rather than a complete-looking file.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (exception instanceof TooManyRequests) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    // A message or detail can quote what the client sent (a code, a cell): ID-like numbers are masked.
    res.status(status).json(JSON.parse(maskText(JSON.stringify(body))));
  }

  private toResponse(e: unknown): { status: number; body: Record<string, unknown> } {
    if (e instanceof DomainError) {
      return { status: e.status, body: { statusCode: e.status, code: e.code, message: e.message, details: e.details } };
    }
    if (e instanceof ZodError) {
      return { status: 400, body: { statusCode: 400, code: 'VALIDATION', message: '请求参数无效', details: zodIssues(e) } };
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const r = e.getResponse();
      const message = typeof r === 'string' ? r : ((r as { message?: unknown }).message ?? e.message);
      const code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 429 ? 'TOO_MANY_REQUESTS' : status < 500 ? 'VALIDATION' : 'INTERNAL';
      return { status, body: { statusCode: status, code, message } };
    }
    const pg = e as { code?: string };
    if (pg && typeof pg.code === 'string') {
      if (pg.code === 'P2002' || pg.code === '23505') return { status: 409, body: { statusCode: 409, code: 'CONFLICT', message: '记录已存在' } };
      if (pg.code === 'P2025') return { status: 404, body: { statusCode: 404, code: 'NOT_FOUND', message: '记录不存在' } };
    }
    return { status: 500, body: { statusCode: 500, code: 'INTERNAL', message: '服务器内部错误' } };
  }
}
