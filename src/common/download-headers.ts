import type { Response } from 'express';

/** A response as a download: its content type and its file name (UTF-8, RFC 5987), set once. */
export function downloadHeaders(res: Response, name: string, type: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
}
