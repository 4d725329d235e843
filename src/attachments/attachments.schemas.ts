import { z } from 'zod';
import { purposeText } from '../auth/purpose';
import { bigId } from '../common/schemas';

export const ATTACHMENT_KINDS = ['inspection', 'contest', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const KIND_LABEL: Record<AttachmentKind, string> = { inspection: '核查取证', contest: '申辩材料', other: '其他材料' };

/** At most this many files of at most this size each in one upload. */
export const MAX_FILES = 10;
export const MAX_BYTES = 10 * 1024 * 1024;

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max, `最多${max}字`)
    .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s.replace(/[\n\t]/g, '')), '含有控制字符或不可见字符');

/** The form fields of an upload (multipart, besides `files`). */
export const uploadBody = z.strictObject({
  kind: z.enum(ATTACHMENT_KINDS),
  note: text(500).optional(),
  /** The timeline entry (case_event) the files document, such as the 核查 step they were taken at. */
  eventId: bigId.optional(),
});

export const withdrawBody = z.strictObject({ reason: text(500) });

/** ?purpose=…: recorded with the download's audit entry when given. */
export const downloadQuery = z.strictObject({ purpose: purposeText.optional() });
