/**
 * A CSV cell, quoted when needed, and neutralised against formula injection (OWASP): a value that
 * a spreadsheet would read as a formula (leading =, +, -, @, tab or CR) is prefixed with a single
 * quote. Numbers are written as they are (a negative amount is data, not a formula).
 */
export function csvCell(v: string | number | null): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
