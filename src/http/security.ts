import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * HTTP hardening applied to every response: helmet's headers (nosniff, a CSP with
 * frame-ancestors 'none', no X-Powered-By), HSTS only over TLS (a plain-HTTP deployment behind
 * a proxy must not pin itself), `Cache-Control: no-store` on the API (its responses carry
 * personal data), and a URL carrying a NUL or control character refused before any route sees it.
 */
export function applySecurity(app: INestApplication): void {
  const server = app.getHttpAdapter().getInstance() as { disable?(name: string): void };
  server.disable?.('x-powered-by');
  app.use(
    helmet({
      hsts: false,
      // The console: scripts only from the service itself; Ant Design's CSS-in-JS writes inline styles.
      // No upgrade-insecure-requests: like HSTS, TLS is the deployment's proxy's business, and on a
      // plain-HTTP intranet address it would send the console's own scripts to https and break it.
      contentSecurityPolicy: {
        directives: { 'frame-ancestors': ["'none'"], 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'upgrade-insecure-requests': null },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(strictTransport, noStore, rejectControlCharacters);
}

function strictTransport(req: Request, res: Response, next: NextFunction): void {
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  next();
}

function noStore(req: Request, res: Response, next: NextFunction): void {
  if (req.path.startsWith('/api') || req.path === '/metrics') {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
  }
  next();
}

/** Percent-encoded C0 controls and DEL (%00-%1F, %7F) anywhere in the URL. */
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;

function rejectControlCharacters(req: Request, res: Response, next: NextFunction): void {
  // eslint-disable-next-line no-control-regex -- deliberate: a URL carrying a raw control character is refused
  if (ENCODED_CONTROL.test(req.originalUrl) || /[\u0000-\u001f\u007f]/.test(req.originalUrl)) {
    res.status(400).json({ statusCode: 400, code: 'VALIDATION', message: '请求地址含有控制字符', details: [{ field: '(url)', reason: '不允许 %00-%1F 或 %7F' }] });
    return;
  }
  next();
}
