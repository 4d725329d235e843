const one = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });

/** A file size in words: 812 字节, 12.3 KB, 4.5 MB. */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} 字节`;
  if (n < 1024 * 1024) return `${one.format(n / 1024)} KB`;
  return `${one.format(n / 1024 / 1024)} MB`;
}
