import { z } from 'zod';
import { purposeText } from '../auth/purpose';
import { DomainError } from '../common/errors';
import { DOCUMENT_KINDS } from './document-kinds';

const purpose = purposeText.optional();

/** The stated purpose a download needs (a notice carries the full ID number). */
export function requirePurpose(purpose: string | undefined): string {
  if (!purpose) throw new DomainError('VALIDATION', '下载文书须说明用途', [{ field: 'purpose', reason: '必填（文书含完整身份证号）' }]);
  return purpose;
}

/** ?purpose=…&format=docx|pdf: a notice's download (it carries the full ID number). */
export const downloadQuery = z.object({ purpose, format: z.enum(['docx', 'pdf']).default('docx') }).strict();
export const batchFileQuery = z.object({ purpose }).strict();

export const templateUploadBody = z.object({ kind: z.enum(DOCUMENT_KINDS) }).strict();

export const batchBody = z
  .object({
    kind: z.enum(DOCUMENT_KINDS),
    filter: z
      .object({
        status: z.enum(['open', 'inspection', 'inspected', 'notified', 'contested', 'notice_issued', 'overdue', 'closed']).optional(),
        town: z.string().trim().min(1).max(64).optional(),
        project: z.string().trim().min(1).max(64).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
