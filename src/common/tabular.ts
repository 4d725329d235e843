import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import Papa from 'papaparse';
import { Readable } from 'node:stream';
import * as iconv from 'iconv-lite';
import ExcelJS from 'exceljs';

/**
 * Reads a department or ledger file (CSV in UTF-8 with or without BOM or GBK, or XLSX's first
 * sheet) as a stream of rows keyed by the header row. Memory does not grow with the file.
 */

/**
 * A copy of parsed cell values that does not keep the file's text in memory. A cell is cut from a
 * chunk of about 1 MB of text, and V8 keeps the whole chunk alive while the cell lives. Anything
 * held until the end of a file (rejected rows, keys for duplicate checks) is detached first.
 */
export function detached<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export interface TabularRow {
  /** 1-based line (CSV) or row number (XLSX) of the record in the file; the header is line 1. */
  line: number;
  values: Record<string, unknown>;
}

export class FileFormatError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export type Encoding = 'utf8' | 'gbk';

/** UTF-8 when the sample has a BOM or decodes as strict UTF-8 (a cut multi-byte tail is allowed). */
export function detectEncoding(sample: Buffer): Encoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  let end = sample.length;
  // Trim an incomplete trailing UTF-8 sequence (the sample may cut one).
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = sample[end - back];
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (back < need) end -= back;
    }
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return 'utf8';
  } catch {
    return 'gbk';
  }
}

export function normaliseHeader(h: unknown): string {
  return String(h ?? '')
    .replace(/^\uFEFF/, '')
    .replace(/[\s\u3000]/g, '')
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')');
}

export function isXlsx(path: string): boolean {
  return extname(path).toLowerCase() === '.xlsx';
}

type Item = { headers: string[] } | TabularRow;

/**
 * Rows of CSV text in batches, with backpressure: the text stream is paused while parsed rows wait
 * for the consumer (papaparse's own pause only halts parsing, its input would keep flowing).
 * Quote errors end the file (it cannot be read reliably).
 */
async function* csvChunks(text: Readable): AsyncGenerator<string[][]> {
  const ready: string[][][] = [];
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  Papa.parse<string[]>(text as unknown as File, {
    delimiter: ',',
    skipEmptyLines: false,
    chunk(results, parser) {
      const quoteError = results.errors.find((e) => e.type === 'Quotes');
      if (quoteError) {
        failure = new FileFormatError(`文件格式错误: CSV 引号不匹配（${quoteError.message}）`);
        parser.abort();
        text.destroy();
      } else {
        ready.push(results.data);
        text.pause();
      }
      signal();
    },
    complete: () => {
      done = true;
      signal();
    },
    error: (err: Error) => {
      failure = err;
      done = true;
      signal();
    },
  });
  for (;;) {
    if (failure) throw failure;
    const next = ready.shift();
    if (next) {
      yield next;
      if (!ready.length && !done) text.resume();
      continue;
    }
    if (done) return;
    await new Promise<void>((r) => (wake = r));
  }
}

/** Physical lines a parsed row spans beyond its first (line breaks inside quoted cells). */
function extraLines(cells: string[]): number {
  let n = 0;
  for (const c of cells) if (c.includes('\n')) n += c.split('\n').length - 1;
  return n;
}

async function* readCsv(path: string): AsyncGenerator<Item> {
  const fh = await open(path, 'r');
  const sample = Buffer.alloc(64 * 1024);
  const { bytesRead } = await fh.read(sample, 0, sample.length, 0);
  await fh.close();
  const encoding = detectEncoding(sample.subarray(0, bytesRead));
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const decoded = encoding === 'gbk' ? input.pipe(iconv.decodeStream('gbk')) : input.setEncoding('utf8');
  let headers: string[] | null = null;
  let line = 0; // physical lines read so far
  for await (const chunk of csvChunks(decoded as Readable)) {
    for (const cells of chunk) {
      const first = line + 1;
      line += 1 + extraLines(cells);
      if (cells.every((c) => c.trim() === '')) continue;
      if (!headers) {
        headers = cells.map(normaliseHeader);
        yield { headers };
        continue;
      }
      const values: Record<string, unknown> = {};
      for (let i = 0; i < headers.length; i++) if (headers[i]) values[headers[i]] = cells[i];
      yield { line: first, values };
    }
  }
}

function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return (v as { text: unknown }).text;
    if ('result' in v) return (v as { result: unknown }).result;
    if ('error' in v) return null;
  }
  return v;
}

async function* readXlsx(path: string): AsyncGenerator<Item> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
  });
  let headers: string[] | null = null;
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const cells = (row.values as ExcelJS.CellValue[]).slice(1);
      if (!headers) {
        headers = cells.map((c) => normaliseHeader(cellValue(c)));
        yield { headers };
        continue;
      }
      const values: Record<string, unknown> = {};
      let any = false;
      headers.forEach((h, i) => {
        if (!h) return;
        const v = cellValue(cells[i]);
        if (v !== null && v !== '') any = true;
        values[h] = v;
      });
      if (any) yield { line: row.number, values };
    }
    break; // first sheet only
  }
}

export interface TabularFile {
  headers: string[];
  rows: AsyncGenerator<TabularRow>;
}

/** Opens a file: its header row now, its records as a stream. */
export async function openTabular(path: string): Promise<TabularFile> {
  let it: AsyncGenerator<Item>;
  let first: IteratorResult<Item>;
  try {
    it = isXlsx(path) ? readXlsx(path) : readCsv(path);
    first = await it.next();
  } catch (err) {
    throw new FileFormatError(`文件无法读取: ${(err as Error).message.slice(0, 200)}`);
  }
  if (first.done || !('headers' in first.value)) throw new FileFormatError('文件为空（缺少表头行）');
  const headers = first.value.headers;
  async function* rows(): AsyncGenerator<TabularRow> {
    for await (const item of it) if (!('headers' in item)) yield item;
  }
  return { headers, rows: rows() };
}
