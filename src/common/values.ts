/**
 * Cell values of department and ledger files (feeds.md 1b): dates in three forms, amounts with
 * thousands separators, empty = unknown (null, never zero). Pure functions.
 */

export type ValueResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;
const toHalfWidth = (s: string) =>
  !FULL_WIDTH.test(s) ? s : s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

/** The form departments send most: full ISO date-time with a zone, which Date parses as it is. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || y < 1000 || y > 9999) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** `2021-06-30`, `2021/6/30`, `20210630`, an ISO timestamp, or an XLSX date: → `YYYY-MM-DD`. */
export function parseDate(v: unknown): ValueResult<string | null> {
  if (isBlank(v)) return { ok: true, value: null };
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return { ok: false, reason: '日期无效' };
    return { ok: true, value: v.toISOString().slice(0, 10) };
  }
  const s = toHalfWidth(String(v)).trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(s);
  if (!m) return { ok: false, reason: `日期格式无法识别: ${s.slice(0, 20)}` };
  const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  return iso ? { ok: true, value: iso } : { ok: false, reason: `日期无效: ${s.slice(0, 20)}` };
}

/** ISO timestamp (with offset, or a plain date/time read as UTC) → Date. */
export function parseTimestamp(v: unknown): ValueResult<Date | null> {
  if (isBlank(v)) return { ok: true, value: null };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? { ok: false, reason: '时间无效' } : { ok: true, value: v };
  const s = toHalfWidth(String(v)).trim();
  if (ISO_WITH_ZONE.test(s)) {
    const t = new Date(s);
    if (!Number.isNaN(t.getTime())) return { ok: true, value: t };
  }
  const d = /^\d{8}$/.test(s) ? parseDate(s) : null;
  if (d && d.ok && d.value) return { ok: true, value: new Date(`${d.value}T00:00:00Z`) };
  const normalized = s.replace(/^(\d{4})\/(\d{1,2})\/(\d{1,2})/, (_, y, m, dd) => `${y}-${pad(+m)}-${pad(+dd)}`);
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(normalized);
  const t = new Date(hasZone || !/\d{2}:\d{2}/.test(normalized) ? normalized.replace(' ', 'T') : normalized.replace(' ', 'T') + 'Z');
  return Number.isNaN(t.getTime()) ? { ok: false, reason: `时间格式无法识别: ${s.slice(0, 30)}` } : { ok: true, value: t };
}

/** `1,200.50`, `１２００`, `¥1200` → 1200.5; empty → null. */
export function parseAmount(v: unknown): ValueResult<number | null> {
  if (isBlank(v)) return { ok: true, value: null };
  if (typeof v === 'number') return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, reason: '数值无效' };
  const s = toHalfWidth(String(v)).trim().replace(/[,，\s]/g, '').replace(/^[¥￥]/, '').replace(/元$/, '');
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(s)) return { ok: false, reason: `数值无法识别: ${String(v).slice(0, 20)}` };
  return { ok: true, value: Number(s) };
}

/** `2026-03`, `2026/3`, `202603` → `2026-03`. */
export function parsePeriod(v: unknown): ValueResult<string | null> {
  if (isBlank(v)) return { ok: true, value: null };
  if (v instanceof Date) return { ok: true, value: v.toISOString().slice(0, 7) };
  const s = toHalfWidth(String(v)).trim();
  const m = /^(\d{4})[-/.]?(\d{1,2})$/.exec(s) ?? /^(\d{4})年(\d{1,2})月$/.exec(s);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return { ok: false, reason: `所属期格式无法识别: ${s.slice(0, 20)}` };
  return { ok: true, value: `${m[1]}-${pad(Number(m[2]))}` };
}

export function cleanText(v: unknown): string | null {
  if (isBlank(v)) return null;
  return toHalfWidth(String(v)).trim();
}

/**
 * Normalised address text for matching (feeds.md section 4): half-width digits, no spaces,
 * 幢/栋/号楼 → 幢, 室/房/号 (unit suffix) → 室, Chinese punctuation dropped.
 */
export function normaliseAddress(v: unknown): string | null {
  const s = cleanText(v);
  if (!s) return null;
  return s
    .replace(/[\s\-－—_,，.。()（）]/g, '')
    .replace(/(\d+)(号楼|栋|幢|座)/g, '$1幢')
    .replace(/(\d+)(室|房|号房|号)$/g, '$1室')
    .replace(/(\d+幢)(\d+)$/g, '$1$2室');
}
