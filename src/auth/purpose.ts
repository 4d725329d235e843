import { z } from 'zod';

/** Control (Cc) and format (Cf: zero-width spaces, joiners, BOM, bidi marks) characters. */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
/** Letters of any script (CJK ideographs included) and digits do not count: a purpose is words. */
const LETTER = /\p{L}/gu;

/**
 * The stated purpose of a reveal of ID numbers: meaningful text that the audit log can keep.
 * Trimmed; no control or zero-width characters (a NUL would make the audit insert fail after the
 * data had left); at least two letters or CJK characters ("演示", "核查").
 */
export const purposeText = z
  .string()
  .trim()
  .max(200, '用途说明过长（最多200字）')
  .superRefine((s, ctx) => {
    if (INVISIBLE.test(s)) ctx.addIssue({ code: 'custom', message: '用途说明含有控制字符或不可见字符' });
    else if ((s.match(LETTER) ?? []).length < 2) ctx.addIssue({ code: 'custom', message: '说明用途（至少2个汉字或字母）' });
  });
