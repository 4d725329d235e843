import { posix } from 'node:path';
import { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { FileFormatError, isSystemError, ReadWatchdog, TabularLimits } from './tabular-limits';
import { XmlError, XmlHandler, XmlStream } from './xml-stream';

/**
 * Reads the first sheet of an XLSX file as batches of rows of cell values, streaming: the zip's central
 * directory is read first (a truncated file has none and fails at once), the parts' declared
 * sizes are checked against the limit, and inflated bytes are counted as they come (a zip may lie
 * about its sizes). Text is decoded with a streaming UTF-8 decoder, so a character split across
 * chunks arrives whole. Cells are cut past the cell limit as they are read; shared strings are kept
 * as UTF-8 bytes. Memory: the shared strings plus one chunk and one row.
 */

export interface RawRow {
  /** 1-based row number in the sheet. */
  line: number;
  /** Values by 0-based column: string, number, boolean, Date or null. */
  cells: unknown[];
}

const MAX_ENTRIES = 10_000;
const MAX_COLUMNS = 16_384; // Excel's last column, XFD
const MB = 1024 * 1024;

interface Reading {
  zip: yauzl.ZipFile;
  limits: TabularLimits;
  watch: ReadWatchdog;
  signal: AbortSignal;
  /** Inflated bytes so far, over every part read. */
  inflated: number;
}

export async function* readXlsx(path: string, limits: TabularLimits, watch: ReadWatchdog, signal: AbortSignal): AsyncGenerator<RawRow[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (err) {
    throw asFormatError(err);
  }
  const onAbort = () => zip.close();
  signal.addEventListener('abort', onAbort);
  try {
    const entries = await listEntries(zip);
    const r: Reading = { zip, limits, watch, signal, inflated: 0 };
    const book = await readWorkbook(r, entries);
    const dateStyles = book.styles ? await readDateStyles(r, entries.get(book.styles)!) : [];
    const strings = book.sharedStrings ? await readSharedStrings(r, entries.get(book.sharedStrings)!) : new StringTable();
    const sheet = new SheetReader({ limits, strings, dateStyles, date1904: book.date1904 });
    yield* parseStreaming(r, entries.get(book.sheet)!, sheet, () => sheet.take());
  } catch (err) {
    throw asFormatError(err);
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (zip.isOpen) zip.close();
  }
}

/** Zip and XML faults are the file's: rejected whole with the reason. I/O failures pass through. */
function asFormatError(err: unknown): unknown {
  if (err instanceof FileFormatError || isSystemError(err)) return err;
  if (err instanceof XmlError) return new FileFormatError(`XLSX 文件格式错误: ${err.message}`);
  return new FileFormatError(`XLSX 文件无法解压（文件损坏或不完整）: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
}

// ------------------------------------------------------------------------------------------ zip

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => (err ? reject(err) : resolve(zip))),
  );
}

function listEntries(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  if (zip.entryCount > MAX_ENTRIES) return Promise.reject(new FileFormatError(`XLSX 文件包含 ${zip.entryCount} 个部件，超过上限 ${MAX_ENTRIES}`));
  const entries = new Map<string, yauzl.Entry>();
  return new Promise((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      entries.set(e.fileName, e);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function tooLarge(limits: TabularLimits, bytes: number): FileFormatError {
  return new FileFormatError(`XLSX 解压后大小${bytes >= 0 ? ` ${Math.ceil(bytes / MB)} MB` : ''}超过上限 ${Math.floor(limits.xlsxMaxUncompressedBytes / MB)} MB`);
}

function openEntry(r: Reading, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => r.zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
}

/** A part's text, decoded as a UTF-8 stream, counting its inflated bytes against the limit. */
async function* entryText(r: Reading, entry: yauzl.Entry): AsyncGenerator<string> {
  // The size the zip declares is checked before a byte is inflated; the bytes are counted as well.
  if (r.inflated + entry.uncompressedSize > r.limits.xlsxMaxUncompressedBytes) throw tooLarge(r.limits, r.inflated + entry.uncompressedSize);
  const stream = await openEntry(r, entry);
  const onAbort = () => stream.destroy(new Error('aborted'));
  r.signal.addEventListener('abort', onAbort);
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      r.watch.touch();
      r.inflated += chunk.length;
      if (r.inflated > r.limits.xlsxMaxUncompressedBytes) throw tooLarge(r.limits, -1);
      yield decoder.decode(chunk, { stream: true });
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  } finally {
    r.signal.removeEventListener('abort', onAbort);
    stream.destroy();
  }
}

/** Parses a part, yielding what `take` gathers after each chunk (a batch of a sheet's rows). */
async function* parseStreaming<T>(r: Reading, entry: yauzl.Entry, handler: XmlHandler, take: () => T[]): AsyncGenerator<T[]> {
  const xml = new XmlStream(handler);
  for await (const text of entryText(r, entry)) {
    xml.write(text);
    const batch = take();
    if (batch.length) yield batch;
  }
  xml.end();
  const last = take();
  if (last.length) yield last;
}

async function parsePart(r: Reading, entry: yauzl.Entry, handler: XmlHandler): Promise<void> {
  const batches = parseStreaming(r, entry, handler, () => []);
  while (!(await batches.next()).done) {
    /* nothing gathered */
  }
}

// ------------------------------------------------------------------------------------- workbook

interface Workbook {
  sheet: string;
  sharedStrings?: string;
  styles?: string;
  date1904: boolean;
}

/** Relationship targets by id and by type (the last segment of the type URI). */
async function readRelationships(r: Reading, entries: Map<string, yauzl.Entry>, relsPath: string, base: string) {
  const byId = new Map<string, string>();
  const byType = new Map<string, string>();
  const entry = entries.get(relsPath);
  if (!entry) return { byId, byType };
  await parsePart(r, entry, {
    open(name, a) {
      if (name !== 'Relationship' || !a.Target || a.TargetMode === 'External') return;
      const target = a.Target.startsWith('/') ? a.Target.slice(1) : posix.normalize(posix.join(base, a.Target));
      if (a.Id) byId.set(a.Id, target);
      const type = a.Type?.slice(a.Type.lastIndexOf('/') + 1);
      if (type && !byType.has(type)) byType.set(type, target);
    },
    close() {},
    text() {},
  });
  return { byId, byType };
}

async function readWorkbook(r: Reading, entries: Map<string, yauzl.Entry>): Promise<Workbook> {
  const root = await readRelationships(r, entries, '_rels/.rels', '');
  const bookPath = root.byType.get('officeDocument') ?? 'xl/workbook.xml';
  const bookEntry = entries.get(bookPath);
  if (!bookEntry) throw new FileFormatError('XLSX 文件格式错误: 缺少工作簿（xl/workbook.xml）');
  let firstSheetId: string | undefined;
  let date1904 = false;
  await parsePart(r, bookEntry, {
    open(name, a) {
      if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      if (name === 'sheet' && firstSheetId === undefined) firstSheetId = a.id ?? '';
    },
    close() {},
    text() {},
  });
  const dir = posix.dirname(bookPath);
  const rels = await readRelationships(r, entries, posix.join(dir, '_rels', `${posix.basename(bookPath)}.rels`), dir);
  const sheet = firstSheetId ? rels.byId.get(firstSheetId) : undefined;
  if (!sheet || !entries.has(sheet)) throw new FileFormatError('XLSX 文件格式错误: 找不到第一个工作表');
  const part = (type: string) => {
    const p = rels.byType.get(type);
    return p && entries.has(p) ? p : undefined;
  };
  return { sheet, sharedStrings: part('sharedStrings'), styles: part('styles'), date1904 };
}

// --------------------------------------------------------------------------------------- styles

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a number format shows a date or time (quoted text, colours and escapes aside). */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (BUILTIN_DATE_FORMATS.has(id)) return true;
  if (!code) return false;
  const bare = code.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
  return /[ymdhse]/i.test(bare.replace(/General/gi, ''));
}

/** Per cell style (index into cellXfs): whether its number format is a date. */
async function readDateStyles(r: Reading, entry: yauzl.Entry): Promise<boolean[]> {
  const formats = new Map<number, string>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  await parsePart(r, entry, {
    open(name, a) {
      if (name === 'numFmt') formats.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        styles.push(isDateFormat(id, formats.get(id)));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
  return styles;
}

// ------------------------------------------------------------------------------- shared strings

/** Strings kept as UTF-8 bytes in large buffers: about the file's text size, no object per string. */
export class StringTable {
  private readonly chunks: Buffer[] = [];
  private used = 0;
  private index = new Float64Array(1024); // per string: chunk * 2^32 + start, then end
  count = 0;

  add(s: string): void {
    const bytes = Buffer.byteLength(s);
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || this.used + bytes > chunk.length) {
      chunk = Buffer.allocUnsafe(Math.max(4 * MB, bytes));
      this.chunks.push(chunk);
      this.used = 0;
    }
    chunk.write(s, this.used);
    if (2 * this.count + 2 > this.index.length) this.grow();
    this.index[2 * this.count] = (this.chunks.length - 1) * 2 ** 32 + this.used;
    this.index[2 * this.count + 1] = this.used + bytes;
    this.used += bytes;
    this.count++;
  }

  get(i: number): string | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) return undefined;
    const at = this.index[2 * i];
    const chunk = this.chunks[Math.floor(at / 2 ** 32)];
    return chunk.toString('utf8', at % 2 ** 32, this.index[2 * i + 1]);
  }

  private grow(): void {
    const next = new Float64Array(this.index.length * 2);
    next.set(this.index);
    this.index = next;
  }
}

/**
 * Text of one cell as it streams: at most `7 * (max + 1)` characters are kept (an `_xHHHH_`
 * escape is 7 characters for 1), so a cell cut here is certainly longer than `max` once decoded.
 */
class CellText {
  private parts: string[] = [];
  private kept = 0;
  private truncated = false;

  constructor(private readonly max: number) {}

  append(piece: string): void {
    const room = 7 * (this.max + 1) - this.kept;
    if (piece.length > room) this.truncated = true;
    const part = piece.length > room ? piece.slice(0, room) : piece;
    if (part) {
      this.parts.push(part);
      this.kept += part.length;
    }
  }

  /** The decoded text, cut to `max + 1` characters when longer (the record is then rejected). */
  value(): string {
    const s = decodeEscapes(this.parts.join(''));
    return this.truncated || s.length > this.max ? s.slice(0, this.max + 1) : s;
  }

  reset(): void {
    this.parts = [];
    this.kept = 0;
    this.truncated = false;
  }
}

/** OOXML's `_xHHHH_` escapes (control characters and the like in shared and inline strings). */
function decodeEscapes(s: string): string {
  return s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : s;
}

async function readSharedStrings(r: Reading, entry: yauzl.Entry): Promise<StringTable> {
  const table = new StringTable();
  const text = new CellText(r.limits.maxCellChars);
  let inSi = false;
  let phonetic = 0; // inside <rPh> (phonetic guide): not part of the string
  let inT = false;
  await parsePart(r, entry, {
    open(name) {
      if (name === 'si') {
        inSi = true;
        text.reset();
      } else if (name === 'rPh') phonetic++;
      else if (name === 't' && inSi && !phonetic) inT = true;
    },
    close(name) {
      if (name === 't') inT = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        inSi = false;
        table.add(text.value());
      }
    },
    text(piece) {
      if (inT) text.append(piece);
    },
  });
  return table;
}

// ---------------------------------------------------------------------------------------- sheet

interface SheetContext {
  limits: TabularLimits;
  strings: StringTable;
  dateStyles: boolean[];
  date1904: boolean;
}

/** Column index (0-based) of a cell reference such as `AB12`; -1 when there is none. */
function columnOf(ref: string | undefined): number {
  if (!ref) return -1;
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    n = n * 26 + (c - 0x60);
  }
  return i === 0 ? -1 : n - 1;
}

/** A date-formatted serial as a Date; a serial no Date can hold stays the number (the field's parser rejects it). */
function excelDate(serial: number, date1904: boolean): Date | number {
  const d = new Date(Math.round((serial - (date1904 ? 24107 : 25569)) * 86_400_000));
  return Number.isNaN(d.getTime()) ? serial : d;
}

/** An ISO date cell (`t="d"`) as a Date; text that is no date stays text (the field's parser gives the reason). */
function isoDateCell(text: string): Date | string | null {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d;
}

/** Sheet XML → rows: `<row r>` of `<c r t s>` cells with `<v>` values or `<is>` inline strings. */
class SheetReader implements XmlHandler {
  private ready: RawRow[] = [];
  private rows = 0;
  private rowNumber = 0;
  private cells: unknown[] = [];
  private column = -1;
  private type = '';
  private dateStyle = false;
  private capture: 'v' | 't' | null = null;
  private phonetic = 0;
  private readonly cellText: CellText;

  constructor(private readonly ctx: SheetContext) {
    this.cellText = new CellText(ctx.limits.maxCellChars);
  }

  take(): RawRow[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  open(name: string, a: Record<string, string>): void {
    if (name === 'c') this.openCell(a);
    else if (name === 'v') this.capture = 'v';
    else if (name === 't' && !this.phonetic) this.capture = 't';
    else if (name === 'rPh') this.phonetic++;
    else if (name === 'row') this.openRow(a);
    else if (name === 'dimension') this.checkDimension(a.ref);
  }

  close(name: string): void {
    if (name === 'v' || name === 't') this.capture = null;
    else if (name === 'rPh') this.phonetic--;
    else if (name === 'c') this.closeCell();
    else if (name === 'row') this.ready.push({ line: this.rowNumber, cells: this.cells });
  }

  text(piece: string): void {
    if (this.capture) this.cellText.append(piece);
  }

  /** The sheet's declared extent (`A1:O1000`), checked before any row is read. */
  private checkDimension(ref: string | undefined): void {
    const last = Number(/(\d+)$/.exec(ref ?? '')?.[1] ?? 0);
    if (last > this.ctx.limits.xlsxMaxRows) throw this.tooManyRows(last);
  }

  private tooManyRows(n: number): FileFormatError {
    return new FileFormatError(`XLSX 工作表有 ${n} 行，超过上限 ${this.ctx.limits.xlsxMaxRows} 行`);
  }

  private openRow(a: Record<string, string>): void {
    if (++this.rows > this.ctx.limits.xlsxMaxRows) throw this.tooManyRows(this.rows);
    this.rowNumber = a.r ? Number(a.r) : this.rowNumber + 1;
    this.cells = [];
    this.column = -1;
  }

  private openCell(a: Record<string, string>): void {
    const col = columnOf(a.r);
    this.column = col >= 0 ? col : this.column + 1;
    if (this.column >= MAX_COLUMNS) throw new FileFormatError(`XLSX 文件格式错误: 第 ${this.rowNumber} 行的列超出范围`);
    this.type = a.t ?? 'n';
    this.dateStyle = !!this.ctx.dateStyles[Number(a.s ?? 0)];
    this.cellText.reset();
  }

  private closeCell(): void {
    this.cells[this.column] = this.cellValue(this.cellText.value());
  }

  private cellValue(text: string): unknown {
    switch (this.type) {
      case 's': {
        const s = this.ctx.strings.get(Number(text));
        if (s === undefined) throw new FileFormatError(`XLSX 文件格式错误: 第 ${this.rowNumber} 行引用了不存在的共享字符串`);
        return s;
      }
      case 'inlineStr':
      case 'str':
        return text;
      case 'b':
        return text === '1' || text === 'true';
      case 'e':
        return null;
      case 'd':
        return isoDateCell(text);
      default:
        return this.numberValue(text);
    }
  }

  private numberValue(text: string): unknown {
    if (text === '') return null;
    const n = Number(text);
    if (!Number.isFinite(n)) return text;
    return this.dateStyle ? excelDate(n, this.ctx.date1904) : n;
  }
}
