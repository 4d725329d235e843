import { open } from 'node:fs/promises';

/** The types an attachment may be, told by their first bytes (never by the name or the Content-Type sent). */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export const EXTENSION: Record<AttachmentType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

const MAGIC: [AttachmentType, number[]][] = [
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['application/pdf', [...Buffer.from('%PDF-')]],
];

/** The type of a file's first bytes; null when it is none of the three. */
export function sniff(head: Buffer): AttachmentType | null {
  for (const [type, magic] of MAGIC) if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) return type;
  return null;
}

/** The type of a file on disk (its first 8 bytes). */
export async function sniffFile(path: string): Promise<AttachmentType | null> {
  const f = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await f.read(head, 0, 8, 0);
    return sniff(head.subarray(0, bytesRead));
  } finally {
    await f.close();
  }
}

/**
 * A file name as sent (multer reads it as latin1) made safe to keep and to send back: UTF-8, no
 * folders, no control or invisible characters, at most 120 characters.
 */
export function cleanName(sent: string): string {
  const utf8 = Buffer.from(sent, 'latin1').toString('utf8');
  const base = utf8.split(/[/\\]/).pop() ?? '';
  const clean = base.replace(/[\p{Cc}\p{Cf}\u2028\u2029"<>|:*?]/gu, '').trim().slice(-120);
  return clean || '附件';
}
