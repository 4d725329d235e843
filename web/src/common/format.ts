import dayjs from 'dayjs';

/** A date (or timestamp) as YYYY-MM-DD; '—' for none. */
export function day(v: string | Date | null | undefined): string {
  return v ? dayjs(v).format('YYYY-MM-DD') : '—';
}

/** A timestamp as YYYY-MM-DD HH:mm. */
export function dayTime(v: string | Date | null | undefined): string {
  return v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—';
}

const integer = new Intl.NumberFormat('zh-CN');
const money = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A count with thousands separators. */
export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : integer.format(n);
}

/** An amount in yuan with thousands separators and two decimals. */
export function amount(n: number | string | null | undefined): string {
  if (n === null || n === undefined || n === '') return '—';
  const v = typeof n === 'number' ? n : Number(n);
  return Number.isFinite(v) ? money.format(v) : String(n);
}
