import { z } from 'zod';
import { idText, timestamp } from '../common/responses';
import { ATTACHMENT_KINDS } from './attachments.schemas';
import { ATTACHMENT_TYPES } from './sniff';

/** An attachment as lists show it: metadata only (the file name and bytes come with the audited download). */
export const attachmentView = z.strictObject({
  id: idText,
  kind: z.enum(ATTACHMENT_KINDS),
  kindLabel: z.string(),
  contentType: z.enum(ATTACHMENT_TYPES),
  size: z.number().int(),
  sha256: z.string(),
  eventId: idText.nullable(),
  note: z.string().nullable(),
  uploadedBy: z.string(),
  uploadedAt: timestamp,
  withdrawn: z.boolean(),
  withdrawnAt: timestamp.nullable(),
  withdrawnBy: z.string().nullable(),
  withdrawReason: z.string().nullable(),
});

export const attachmentList = z.strictObject({ items: z.array(attachmentView) });
