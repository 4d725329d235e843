import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { downloadHeaders } from '../common/download-headers';

/** A file as a download: its type and name (UTF-8), then its bytes. */
export async function send(res: Response, file: { body: Readable | Buffer; name: string }, type: string): Promise<void> {
  downloadHeaders(res, file.name, type);
  if (Buffer.isBuffer(file.body)) res.end(file.body);
  else await pipeline(file.body, res);
}
