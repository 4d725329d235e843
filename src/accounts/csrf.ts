import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { DomainError } from '../common/errors';

/**
 * CSRF protection for cookie sessions: the double-submit convention of axios and Angular. Sign-in
 * (and /api/auth/me when missing) sets a readable XSRF-TOKEN cookie; a state-changing request
 * authenticated by the session cookie must echo it in X-XSRF-TOKEN, and an Origin header, when
 * present, must be the request's own host or the configured public origin.
 */
export const XSRF_COOKIE = 'XSRF-TOKEN';
export const XSRF_HEADER = 'x-xsrf-token';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export const newXsrfToken = (): string => randomBytes(32).toString('base64url');

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether the Origin header names this service: the request's Host, or the configured origin. */
function sameOrigin(origin: string, host: string | undefined, publicOrigin: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (publicOrigin && url.origin === publicOrigin) return true;
  return !!host && (url.protocol === 'http:' || url.protocol === 'https:') && url.host.toLowerCase() === host.toLowerCase();
}

/** Throws 403 CSRF unless a cookie-authenticated request is safe or carries the token (and a same origin). */
export function checkCsrf(req: Request, cookieToken: string | undefined, publicOrigin: string | undefined): void {
  if (SAFE.has(req.method.toUpperCase())) return;
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, req.headers.host, publicOrigin)) {
    throw new DomainError('CSRF', '跨站请求被拒绝：请求来源（Origin）与本服务不符');
  }
  const header = req.headers[XSRF_HEADER];
  const sent = Array.isArray(header) ? header[0] : header;
  if (!cookieToken || !sent || !sameToken(cookieToken, sent)) {
    throw new DomainError('CSRF', '缺少或不匹配的 X-XSRF-TOKEN 请求头（应等于 XSRF-TOKEN Cookie），请刷新页面后重试');
  }
}
