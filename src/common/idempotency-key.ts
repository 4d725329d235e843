import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainError } from './errors';

const KEY = /^[\w.-]{1,60}$/;

/**
 * The `Idempotency-Key` header as a job's request key: the same key enqueues one job. Without the
 * header, `perMinute` makes repeats within a minute one job (a sync pressed twice), `perRequest`
 * makes every request its own. A key with other characters than letters, digits, `_ . -`, or
 * longer than 60, is a 400 (not silently rewritten into another key).
 */
export const IdempotencyKey = createParamDecorator((fallback: 'perMinute' | 'perRequest', ctx: ExecutionContext): string => {
  const header: unknown = ctx.switchToHttp().getRequest<{ headers?: Record<string, unknown> }>().headers?.['idempotency-key'];
  if (header === undefined || header === '') return fallback === 'perMinute' ? `api-${Math.floor(Date.now() / 60_000)}` : `api-${Date.now()}`;
  if (typeof header !== 'string' || !KEY.test(header)) {
    throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'Idempotency-Key', reason: '只能含字母、数字、_ . -，最多60个字符' }]);
  }
  return header;
});
