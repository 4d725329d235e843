import { cleanIdText, maskIdNo, maskName } from './identity';

/** A column of a ledger or source definition as shown in a rejected row; `personal` says how it is masked. */
export interface ShownColumn {
  key: string;
  personal?: 'id' | 'name';
}

/**
 * A rejected row or record as shown for review: its known columns only (those of its ledger or
 * source definition; anything else a file or page carried is dropped), ID numbers (first 6 and
 * last 4 kept) and names masked, and ID-shaped numbers masked in every other cell.
 */
export function maskKnownColumns(raw: unknown, columns: readonly ShownColumn[]): unknown {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) return maskText(typeof raw === 'string' ? raw : JSON.stringify(raw));
  const values = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    if (Object.prototype.hasOwnProperty.call(values, c.key)) out[c.key] = maskCell(values[c.key], c.personal);
  }
  return out;
}

function maskCell(v: unknown, personal?: 'id' | 'name'): unknown {
  if (v === null || v === undefined || typeof v === 'boolean') return v ?? null;
  const text = typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
  if (personal === 'id') return maskIdNo(cleanIdText(text));
  if (personal === 'name') return maskName(text.trim());
  const masked = maskText(text);
  return typeof v === 'number' && masked === text ? v : masked;
}

const DIGIT = '[0-9\\uFF10-\\uFF19]';
const CHECK = '[0-9\\uFF10-\\uFF19XxＸｘ]';
/** 15 to 18 characters shaped like an ID number (half- or full-width, check character X), not inside a longer number. */
const ID_SHAPED = new RegExp(`(?<!${DIGIT})(${DIGIT}{6})(${DIGIT}{5,8})(${CHECK}{4})(?!${CHECK})`, 'g');

/** Masks anything in free text that looks like an ID number (a cell value quoted in a reason, a note). */
export function maskText(text: string): string {
  return text.replace(ID_SHAPED, (_, a: string, b: string, c: string) => a + '*'.repeat(b.length) + c);
}
