import type { Rng } from './rng';

/** The forms a cell takes in the files departments and the bureau send (feeds.md, registry.md). */

/** Digits as full-width characters (１２３). */
export const fullWidthDigits = (s: string | number): string => String(s).replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** A date as 2026-11-01, 2026/11/1 or 20261101. */
export function fmtDate(iso: string | null, rng: Rng): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  const r = rng.next();
  if (r < 0.5) return iso;
  if (r < 0.8) return `${y}/${Number(m)}/${Number(d)}`;
  return `${y}${m}${d}`;
}

/** An amount, sometimes with thousands separators. */
export function fmtAmount(v: number, rng: Rng): string {
  if (v >= 1000 && rng.chance(0.3)) return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return String(v);
}

/** ID numbers as departments send them: padded, full-width, lower-case x, legacy 15 digits. */
export function fmtId(id: string, rng: Rng): string {
  const r = rng.next();
  if (r < 0.03) return ` ${id} `;
  if (r < 0.05) return fullWidthDigits(id);
  if (r < 0.07) return id.toLowerCase();
  if (r < 0.09 && id.slice(6, 8) === '19') return id.slice(0, 6) + id.slice(8, 17);
  return id;
}

/** ID numbers in JSON pages: lower-case x or a leading space now and then. */
export function jsonId(id: string, rng: Rng): string {
  const r = rng.next();
  if (r < 0.03) return id.toLowerCase();
  if (r < 0.05) return ` ${id}`;
  return id;
}
