import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import Papa from 'papaparse';
import { pipeline, Readable } from 'node:stream';
import * as iconv from 'iconv-lite';
import { CsvCellGuard } from './csv-cell-guard';
import { DEFAULT_TABULAR_LIMITS, FileFormatError, FileUnavailable, isSystemError, ReadWatchdog, TabularLimits } from './tabular-limits';
import { RawRow, readXlsx } from './xlsx-reader';
import { characterIssue, codePoint } from './value-limits';

export { DEFAULT_TABULAR_LIMITS, FileFormatError, FileUnavailable, TabularLimits } from './tabular-limits';

/**
 * Reads a department or ledger file (CSV in UTF-8 with or without BOM or GBK, or XLSX's first
 * sheet) as a stream of rows keyed by the header row. Memory does not grow with the file: CSV
 * streams whatever its size (each cell bounded), XLSX within its limits (src/common/xlsx-reader.ts).
 * A record whose cells cannot be taken as they are (control characters, U+FFFD from a broken
 * encoding, over-long) comes with a `defect`: the caller rejects that record and keeps the rest.
 * A read that stops progressing fails with FileUnavailable after `stallMs`.
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
  /**
   * Why the record cannot be taken (Chinese, per cell), when it cannot: the caller rejects it with
   * this reason. Its `values` are then safe to store for review (control characters spelled out,
   * over-long cells cut).
   */
  defect?: string;
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

/** A header cell as text: cells are strings, numbers, booleans, dates, or empty (null, undefined). */
export function normaliseHeader(h: unknown): string {
  const text = typeof h === 'string' ? h : typeof h === 'number' || typeof h === 'boolean' || h instanceof Date ? String(h) : '';
  return text
    .replace(/^\uFEFF/, '')
    .replace(/[\s\u3000]/g, '')
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')');
}

export function isXlsx(path: string): boolean {
  return extname(path).toLowerCase() === '.xlsx';
}

/**
 * Rows of CSV text in batches, with backpressure: the text stream is paused while parsed rows wait
 * for the consumer (papaparse's own pause only halts parsing, its input would keep flowing).
 * Quote errors end the file (it cannot be read reliably).
 */
async function* csvChunks(text: Readable): AsyncGenerator<string[][]> {
  const ready: string[][][] = [];
  let done = false;
  // Set by the parser's callbacks, which TypeScript's narrowing does not see.
  let failure = null as Error | null;
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

/** The encoding, from the first 64 KB. */
async function sniffEncoding(path: string): Promise<Encoding> {
  const fh = await open(path, 'r');
  try {
    const sample = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(sample, 0, sample.length, null);
    return detectEncoding(sample.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/**
 * The file's text, decoded (a character split across chunks arrives whole) and with each cell
 * bounded. An error anywhere (I/O, the guard) ends the text stream with that error.
 */
function csvText(path: string, encoding: Encoding, limits: TabularLimits, watch: ReadWatchdog, signal: AbortSignal): Readable {
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  input.on('data', () => watch.touch());
  const decode = encoding === 'gbk' ? iconv.decodeStream('gbk') : iconv.decodeStream('utf8');
  const guard = new CsvCellGuard(limits.maxCellChars);
  pipeline(input, decode, guard, () => undefined);
  signal.addEventListener('abort', () => input.destroy(new FileUnavailable('文件读取已中止')), { once: true });
  return guard;
}

async function* readCsv(path: string, limits: TabularLimits, watch: ReadWatchdog, signal: AbortSignal): AsyncGenerator<RawRow[]> {
  const text = csvText(path, await sniffEncoding(path), limits, watch, signal);
  let line = 0; // physical lines read so far
  try {
    for await (const chunk of csvChunks(text)) {
      yield chunk.map((cells) => {
        const first = line + 1;
        line += 1 + extraLines(cells);
        return { line: first, cells };
      });
    }
  } finally {
    text.destroy();
  }
}

/** Rows of cells in batches (one per chunk read): the stall watch costs one timer per batch, not per row. */
function rawRows(path: string, limits: TabularLimits, watch: ReadWatchdog, signal: AbortSignal): AsyncGenerator<RawRow[]> {
  return isXlsx(path) ? readXlsx(path, limits, watch, signal) : readCsv(path, limits, watch, signal);
}

// ------------------------------------------------------------------------------- cell checks

// eslint-disable-next-line no-control-regex -- deliberate: spells out the control characters of a rejected cell
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;


/** Why a cell's text cannot be taken as it is, or null. */
export function cellDefect(text: string, maxChars: number): string | null {
  if (text.length > maxChars) return `文本过长（超过${maxChars}字）`;
  return characterIssue(text);
}

/** A defective cell as it can be stored and shown: control characters spelled out, cut to 200 characters. */
function storable(text: string): string {
  const cut = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return cut.replace(CONTROL_CHARACTERS, (c) => `<${codePoint(c)}>`);
}

function isBlankRow(cells: unknown[]): boolean {
  for (const c of cells) if (c !== null && c !== undefined && !(typeof c === 'string' && c.trim() === '')) return false;
  return true;
}

/**
 * A record keyed by the headers; with its defect (and storable values) if a cell is bad. `absent`
 * is the value of a missing cell: null in XLSX, undefined past the end of a short CSV row.
 */
function toRecord(raw: RawRow, headers: string[], maxChars: number, absent: null | undefined): TabularRow {
  const values: Record<string, unknown> = {};
  const defects: string[] = [];
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i];
    if (!h) continue;
    const v = raw.cells[i] ?? absent;
    values[h] = v;
    const defect = typeof v === 'string' ? cellDefect(v, maxChars) : null;
    if (defect) defects.push(`${h}: ${defect}`);
  }
  if (!defects.length) return { line: raw.line, values };
  for (const h of Object.keys(values)) if (typeof values[h] === 'string') values[h] = storable(values[h]);
  return { line: raw.line, values, defect: defects.join('；') };
}

// ----------------------------------------------------------------------------------- opening

export interface TabularFile {
  headers: string[];
  rows: AsyncGenerator<TabularRow>;
}

/** Reader failures as the callers handle them: the file's fault, or not now. */
function classify(err: unknown): Error {
  if (err instanceof FileFormatError || err instanceof FileUnavailable) return err;
  if (isSystemError(err)) return new FileUnavailable(`文件读取失败（${err.code ?? err.syscall}）: ${err.message.slice(0, 200)}`);
  return new FileFormatError(`文件无法读取: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
}

/**
 * Opens a file: its header row now (the first row that is not blank), its records as a stream.
 * Throws FileFormatError when the file cannot be read as a table (rejected whole), FileUnavailable
 * when it cannot be read now (I/O error, stalled read).
 */
export async function openTabular(path: string, limits: TabularLimits = DEFAULT_TABULAR_LIMITS): Promise<TabularFile> {
  const abort = new AbortController();
  const watch = new ReadWatchdog(limits.stallMs, () => abort.abort());
  const raw = rawRows(path, limits, watch, abort.signal);
  const close = () => {
    abort.abort();
    void raw.return(undefined).catch(() => undefined);
  };
  let batch: RawRow[] = [];
  let at = 0;
  const next = async (): Promise<RawRow | null> => {
    for (;;) {
      while (at < batch.length) {
        const row = batch[at++];
        if (!isBlankRow(row.cells)) return row;
      }
      const r = await watch.within(raw.next()).catch((err: unknown) => {
        close();
        throw classify(err);
      });
      if (r.done) return null;
      batch = r.value;
      at = 0;
    }
  };
  const first = await next();
  if (!first) {
    close();
    throw new FileFormatError('文件为空（缺少表头行）');
  }
  const headers = first.cells.map(normaliseHeader);
  const absent = isXlsx(path) ? null : undefined;
  async function* rows(): AsyncGenerator<TabularRow> {
    try {
      for (let r = await next(); r; r = await next()) yield toRecord(r, headers, limits.maxCellChars, absent);
    } finally {
      close();
    }
  }
  return { headers, rows: rows() };
}
