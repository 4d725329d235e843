/** Domain errors carry a stable code; the global filter maps them to HTTP statuses. */
export type ErrorCode =
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'CSRF'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'LOCKED'
  | 'INVALID_TRANSITION'
  | 'UNPROCESSABLE'
  | 'SOURCE_NOT_CONFIGURED'
  | 'UNAVAILABLE'
  | 'TOO_MANY_REQUESTS';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  CSRF: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LOCKED: 423,
  INVALID_TRANSITION: 409,
  UNPROCESSABLE: 422,
  SOURCE_NOT_CONFIGURED: 409,
  UNAVAILABLE: 503,
  TOO_MANY_REQUESTS: 429,
};
/** The status of each code (the OpenAPI document declares the error bodies from it). */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = STATUS;

export interface FieldIssue {
  field: string;
  reason: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown> | FieldIssue[],
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

/** 429: the caller should come back after `retryAfterSeconds` (sent as `Retry-After`). */
export class TooManyRequests extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('TOO_MANY_REQUESTS', message);
  }
}

/** The work can never succeed as asked (an unknown source, a department refusing our credentials): not retried. */
export class NeverRetry extends Error {}

/** Not an error: the work cannot start yet (e.g. another run is in progress); try again after `delayMs`. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

export const notFound = (what: string, key: string | number) => new DomainError('NOT_FOUND', `${what}不存在: ${key}`);
