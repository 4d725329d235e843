import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import * as zlib from 'node:zlib';
import ExcelJS from 'exceljs';

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `${label}-`));
}

/** A cell as text: strings, numbers, booleans and dates as String gives them; other objects as JSON. */
const cellText = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof Date) return String(v);
  return JSON.stringify(v);
};

const csvCell = (v: unknown) => {
  const s = cellText(v);
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

export interface ZipEntry {
  name: string;
  /** Content, deflated on writing; or `deflated`, already compressed (large generated parts). */
  data?: string | Buffer;
  deflated?: Deflated;
  /** The uncompressed size written in the headers, when a test needs a zip that lies about it. */
  declaredSize?: number;
}

export interface Deflated {
  bytes: Buffer;
  crc: number;
  size: number;
}

/** Raw deflate of `head`, then `unit` `times` times, then `tail`, streamed (never whole in memory). */
export async function deflateRepeated(head: string, unit: string, times: number, tail: string): Promise<Deflated> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((r) => deflate.on('end', r));
  let crc = 0;
  let size = 0;
  const write = async (b: Buffer) => {
    crc = zlib.crc32(b, crc);
    size += b.length;
    if (!deflate.write(b)) await new Promise((r) => deflate.once('drain', r));
  };
  await write(Buffer.from(head));
  const block = Buffer.from(unit.repeat(Math.max(1, Math.floor((1 << 20) / Buffer.byteLength(unit)))));
  const perBlock = block.length / Buffer.byteLength(unit);
  let left = times;
  for (; left >= perBlock; left -= perBlock) await write(block);
  if (left > 0) await write(Buffer.from(unit.repeat(left)));
  await write(Buffer.from(tail));
  deflate.end();
  await done;
  return { bytes: Buffer.concat(out), crc: crc >>> 0, size };
}

/** Writes a zip (deflated entries, no zip64): enough to build XLSX files byte by byte. */
export function writeZip(path: string, entries: ZipEntry[]): string {
  mkdirSync(join(path, '..'), { recursive: true });
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = e.data === undefined ? null : Buffer.from(e.data);
    const d = e.deflated ?? { bytes: zlib.deflateRawSync(raw!), crc: zlib.crc32(raw!) >>> 0, size: raw!.length };
    const name = Buffer.from(e.name);
    const size = e.declaredSize ?? d.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(d.crc, 14);
    local.writeUInt32LE(d.bytes.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt16LE(0x21, 14);
    dir.writeUInt32LE(d.crc, 16);
    dir.writeUInt32LE(d.bytes.length, 20);
    dir.writeUInt32LE(size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, d.bytes);
    central.push(dir, name);
    offset += local.length + name.length + d.bytes.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...parts, dirBytes, end]));
  return path;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The parts of a one-sheet XLSX around `sheet` (a whole worksheet part), for writeZip. */
export function xlsxParts(sheet: string | Deflated, opts: { sharedStrings?: string[]; styles?: string } = {}): ZipEntry[] {
  const ns = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const entries: ZipEntry[] = [
    { name: '_rels/.rels', data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${ns}"><sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${ns}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${ns}/sharedStrings" Target="sharedStrings.xml"/>` +
        `<Relationship Id="rId3" Type="${ns}/styles" Target="styles.xml"/></Relationships>`,
    },
    typeof sheet === 'string' ? { name: 'xl/worksheets/sheet1.xml', data: sheet } : { name: 'xl/worksheets/sheet1.xml', deflated: sheet },
  ];
  if (opts.sharedStrings) {
    const si = opts.sharedStrings.map((s) => `<si><t xml:space="preserve">${xmlEscape(s)}</t></si>`).join('');
    entries.push({ name: 'xl/sharedStrings.xml', data: `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${si}</sst>` });
  }
  if (opts.styles) entries.push({ name: 'xl/styles.xml', data: opts.styles });
  return entries;
}

/** A worksheet part from rows of cells given as XML (`<c ...>...</c>`). */
export function sheetXml(rows: string[][], dimension?: string): string {
  const body = rows.map((cells, i) => `<row r="${i + 1}">${cells.join('')}</row>`).join('');
  return `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${dimension ? `<dimension ref="${dimension}"/>` : ''}<sheetData>${body}</sheetData></worksheet>`;
}

/** An inline-string cell. */
export const inlineCell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${xmlEscape(text)}</t></is></c>`;
