import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** The service's error body (src/common/http-exception.filter.ts). */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: { field: string; reason: string }[];
}

/** A refused or failed request: the service's Chinese message, or one for a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; reason: string }[] = [],
  ) {
    super(message);
  }
}

function cookie(name: string): string | null {
  const hit = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : null;
}

/** Double-submit CSRF: every state-changing request echoes the XSRF-TOKEN cookie. */
const xsrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = cookie('XSRF-TOKEN');
      if (token) request.headers.set('X-XSRF-TOKEN', token);
    }
    return request;
  },
};

/** The typed client: paths and bodies come from the service's own OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'include' });
api.use(xsrf);

function toError(status: number, error: unknown): ApiError {
  const body = error as Partial<ErrorBody> | undefined;
  if (body && typeof body.message === 'string') return new ApiError(status, body.code ?? 'ERROR', body.message, body.details ?? []);
  return new ApiError(status, 'ERROR', `请求失败（HTTP ${status}）`);
}

/**
 * Awaits an openapi-fetch call and returns its data (typed from the OpenAPI document), or throws an
 * ApiError with the service's message (a network failure becomes status 0 with a Chinese message).
 */
export async function ok<R extends { data?: unknown; error?: unknown; response: Response }>(call: Promise<R>): Promise<NonNullable<R['data']>> {
  let r: R;
  try {
    r = await call;
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (!r.response.ok) throw toError(r.response.status, r.error);
  return r.data as NonNullable<R['data']>;
}
