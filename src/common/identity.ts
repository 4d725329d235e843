/**
 * Resident ID numbers (居民身份证号码, GB 11643-1999): normalisation, check character (ISO 7064
 * MOD 11-2), birth date, sex and masking. Pure functions; no I/O.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdRejection =
  | 'ID_EMPTY'
  | 'ID_FORMAT'
  | 'ID_CHECKSUM'
  | 'ID_BIRTH_DATE';

export const ID_REJECTION_TEXT: Record<IdRejection, string> = {
  ID_EMPTY: '身份证号为空',
  ID_FORMAT: '身份证号格式错误（应为18位或15位）',
  ID_CHECKSUM: '身份证号校验位错误',
  ID_BIRTH_DATE: '身份证号出生日期无效',
};

export interface ParsedId {
  idNo: string;
  birthDate: string; // YYYY-MM-DD
  sex: 'M' | 'F';
}

export type IdResult = { ok: true; value: ParsedId } | { ok: false; code: IdRejection; reason: string };

/** Full-width digits/letters to half-width, strip all white space (incl. U+3000), upper-case x. */
export function cleanIdText(raw: string): string {
  return raw
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\u00A0\uFEFF]/g, '')
    .toUpperCase();
}

export function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days && y >= 1880;
}

/** Normalises and validates; a wrong check character is a rejection, never silently fixed. */
export function parseIdNo(raw: string | null | undefined): IdResult {
  const fail = (code: IdRejection): IdResult => ({ ok: false, code, reason: ID_REJECTION_TEXT[code] });
  if (raw == null) return fail('ID_EMPTY');
  let s = cleanIdText(String(raw));
  if (!s) return fail('ID_EMPTY');
  if (/^\d{15}$/.test(s)) {
    const body = s.slice(0, 6) + '19' + s.slice(6);
    s = body + checkChar(body);
  } else if (!/^\d{17}[\dX]$/.test(s)) {
    return fail('ID_FORMAT');
  }
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  if (!validDate(y, m, d)) return fail('ID_BIRTH_DATE');
  if (checkChar(s.slice(0, 17)) !== s[17]) return fail('ID_CHECKSUM');
  return {
    ok: true,
    value: {
      idNo: s,
      birthDate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`,
      sex: Number(s[16]) % 2 === 1 ? 'M' : 'F',
    },
  };
}

/** Normalised ID number, or null when it is not a valid one. */
export function normaliseIdNo(raw: string | null | undefined): string | null {
  const r = parseIdNo(raw);
  return r.ok ? r.value.idNo : null;
}

/** Keeps the first 6 and the last 4 characters: 350581********123X. */
export function maskIdNo(idNo: string | null | undefined): string | null {
  if (idNo == null) return null;
  if (idNo.length <= 10) return '*'.repeat(idNo.length);
  return idNo.slice(0, 6) + '*'.repeat(idNo.length - 10) + idNo.slice(-4);
}

/** Masks a name to its first character (张**), for logs and rejected-record listings. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return name ?? null;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** Age in whole years at `asOf` (YYYY-MM-DD), from a birth date (YYYY-MM-DD). */
export function ageAt(birthDate: string, asOf: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ay, am, ad] = asOf.split('-').map(Number);
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}

/** Builds a valid ID number from region (6 digits), birth date (YYYYMMDD) and sequence (3 digits). */
export function makeIdNo(region: string, birth: string, seq: number): string {
  const body = `${region}${birth}${String(seq % 1000).padStart(3, '0')}`;
  return body + checkChar(body);
}
