/**
 * Bounds of plausible cell values, shared by the department feeds and the registry ledger: what
 * no record can truly hold (a negative area, a date before 1900, a timestamp from the future, a
 * 10 MB address) is rejected with its reason instead of being stored. These are not domain
 * guesses: a large income or price is real data and passes. The defaults hold until the process
 * boots with its configuration (ConfigModule calls `setValueLimits`); checks are pure functions.
 */

export interface ValueLimits {
  /** Earliest date (YYYY-MM-DD) a record may carry. */
  minDate: string;
  /** How many years after today a date may lie (lease ends, validity ends). */
  maxYearsAhead: number;
  /** How far a record's `updatedAt` may lie in the future (clock skew between systems), in ms. */
  maxClockSkewMs: number;
  /** Longest text cell, in characters. */
  maxTextLength: number;
}

export const DEFAULT_VALUE_LIMITS: Readonly<ValueLimits> = Object.freeze({
  minDate: '1900-01-01',
  maxYearsAhead: 100,
  maxClockSkewMs: 10 * 60_000,
  maxTextLength: 500,
});

let active: Readonly<ValueLimits> = DEFAULT_VALUE_LIMITS;

/** The limits in force in this process. */
export function valueLimits(): Readonly<ValueLimits> {
  return active;
}

/** Sets the limits in force (once, at boot, from the configuration). */
export function setValueLimits(limits: ValueLimits): void {
  active = Object.freeze({ ...limits });
}

/** The latest acceptable date: today plus `maxYearsAhead` years. */
export function maxDate(l: ValueLimits = active, now = new Date()): string {
  return `${now.getUTCFullYear() + l.maxYearsAhead}-12-31`;
}

/** A quantity (area, amount, count, price, usage): finite and not negative. */
export function quantityIssue(v: number): string | null {
  if (!Number.isFinite(v)) return '数值无效';
  return v < 0 ? `不能为负数: ${v}` : null;
}

/** A date (YYYY-MM-DD) or month (YYYY-MM) inside [minDate, today + maxYearsAhead years]. */
export function dateIssue(iso: string, l: ValueLimits = active, now = new Date()): string | null {
  const max = maxDate(l, now);
  const cmp = iso.length === 7 ? { min: l.minDate.slice(0, 7), max: max.slice(0, 7) } : { min: l.minDate, max };
  return iso < cmp.min || iso > cmp.max ? `日期超出合理范围（${cmp.min} 至 ${cmp.max}）: ${iso}` : null;
}

/** A record's update time: not before minDate, not later than now plus the allowed clock skew. */
export function timestampIssue(t: Date, l: ValueLimits = active, now = new Date()): string | null {
  if (t.toISOString().slice(0, 10) < l.minDate) return `时间早于 ${l.minDate}: ${t.toISOString()}`;
  if (t.getTime() > now.getTime() + l.maxClockSkewMs) {
    return `晚于当前时间（允许的时钟偏差为${Math.round(l.maxClockSkewMs / 60_000)}分钟）: ${t.toISOString()}`;
  }
  return null;
}

/**
 * NUL and other C0 and C1 control characters (tab and line breaks aside), U+FFFD, lone surrogates:
 * the characters a file's cell may not hold either (cellDefect in tabular.ts), so a page and a file
 * are held to the same rule.
 */
// eslint-disable-next-line no-control-regex -- deliberate: input validation rejects control characters
const BAD_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const codePoint = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a text may not be taken for its characters, or null: a control character, named by its code
 * point; U+FFFD or a lone surrogate, what a mis-decoded file or a broken client leaves. The one
 * character check of a file's cell (tabular.ts) and of a field's value.
 */
export function characterIssue(s: string): string | null {
  const bad = BAD_CHAR.exec(s);
  if (!bad) return null;
  const c = bad[0];
  return c !== '\uFFFD' && c.length === 1 && !/[\uD800-\uDFFF]/.test(c) ? `含有控制字符（${codePoint(c)}）` : '含有无法识别的字符（文件编码错误或数据损坏）';
}

/** A text cell: not longer than maxTextLength, and without characters a mis-decoded file leaves. */
export function textIssue(s: string, l: ValueLimits = active): string | null {
  if (s.length > l.maxTextLength) return `文本过长（${s.length}字，上限${l.maxTextLength}字）`;
  return characterIssue(s);
}

const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text PostgreSQL accepts whatever it held: NUL and lone surrogates become U+FFFD. */
export function storableText(s: string): string {
  return s.replace(UNSTORABLE, '\uFFFD');
}

/** Longest cell kept with a rejected row. */
export const RAW_CELL_MAX_CHARS = 2000;

/**
 * JSON of a raw row or record (kept to show a rejection) that PostgreSQL's jsonb accepts whatever
 * it holds; strings longer than `maxChars` are cut, saying how long they were.
 */
export function storableJson(v: unknown, maxChars = RAW_CELL_MAX_CHARS): string {
  const clip = (x: string) => (x.length > maxChars ? `${x.slice(0, maxChars)}…（共${x.length}字，已截断）` : x);
  return JSON.stringify(v ?? null, (_k, x: unknown) => (typeof x === 'string' ? storableText(clip(x)) : x));
}
