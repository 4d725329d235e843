import { maskIdNo, maskName } from './identity';

const ID_KEY = /身份证|idNo$|IdNo$/;
const NAME_KEY = /^(姓名|name|ownerName|spouseName|权利人|车主|配偶姓名)$/;

/** Masks ID numbers and names in a stored raw record (rejections shown for review). */
export function maskRaw(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (ID_KEY.test(k) && (typeof v === 'string' || typeof v === 'number')) out[k] = maskIdNo(String(v).trim());
    else if (NAME_KEY.test(k) && typeof v === 'string') out[k] = maskName(v);
    else out[k] = v;
  }
  return out;
}

/** Masks anything in free text that looks like an ID number (a cell value quoted in a reason). */
export function maskText(text: string): string {
  return text.replace(/(?<![\dA-Za-z])(\d{6})(\d{5,8})([\dXx]{4})(?![\dA-Za-z])/g, (_, a: string, b: string, c: string) => a + '*'.repeat(b.length) + c);
}
