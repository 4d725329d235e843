import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import ExcelJS from 'exceljs';

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `${label}-`));
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Writes a CSV (header row first) in UTF-8, UTF-8 with BOM, or GBK. */
export function writeCsv(path: string, rows: unknown[][], encoding: 'utf8' | 'utf8-bom' | 'gbk' = 'utf8'): string {
  mkdirSync(join(path, '..'), { recursive: true });
  const text = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  const body = encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from((encoding === 'utf8-bom' ? '\uFEFF' : '') + text, 'utf8');
  writeFileSync(path, body);
  return path;
}

export async function writeXlsx(path: string, rows: unknown[][]): Promise<string> {
  mkdirSync(join(path, '..'), { recursive: true });
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(path);
  return path;
}
