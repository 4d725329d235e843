import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import * as iconv from 'iconv-lite';
import ExcelJS from 'exceljs';

/** Streaming writers for the generator's files; each respects back-pressure. */
export type Cell = string | number | null | undefined;

export interface RowWriter {
  write(values: readonly Cell[]): Promise<void>;
  close(): Promise<void>;
}

export type CsvEncoding = 'utf8' | 'utf8-bom' | 'gbk';

function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvLine = (values: readonly Cell[]): string => values.map(csvCell).join(',') + '\r\n';

class TextFile {
  private readonly out: WriteStream;
  private buf = '';

  constructor(
    path: string,
    private readonly encoding: CsvEncoding,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.out = createWriteStream(path);
    if (encoding === 'utf8-bom') this.out.write(Buffer.from([0xef, 0xbb, 0xbf]));
  }

  async write(text: string): Promise<void> {
    this.buf += text;
    if (this.buf.length > 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buf) return;
    const chunk = this.encoding === 'gbk' ? iconv.encode(this.buf, 'gbk') : Buffer.from(this.buf, 'utf8');
    this.buf = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}

export function csvWriter(path: string, headers: readonly string[], encoding: CsvEncoding = 'utf8'): RowWriter {
  const file = new TextFile(path, encoding);
  let started = false;
  return {
    async write(values) {
      if (!started) {
        started = true;
        await file.write(csvLine(headers));
      }
      await file.write(csvLine(values));
    },
    async close() {
      if (!started) await file.write(csvLine(headers));
      await file.close();
    },
  };
}

export function xlsxWriter(path: string, headers: readonly string[]): RowWriter {
  mkdirSync(dirname(path), { recursive: true });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const sheet = wb.addWorksheet('Sheet1');
  sheet.addRow([...headers]).commit();
  return {
    write(values) {
      sheet.addRow(values.map((v) => (v === undefined ? null : v))).commit(); // streamed by ExcelJS: nothing to wait for
      return Promise.resolve();
    },
    async close() {
      sheet.commit();
      await wb.commit();
    },
  };
}

/** JSON pages as the HTTP transport delivers them: { source, records, nextCursor, hasMore }. */
export class JsonPagesWriter {
  private page: unknown[] = [];
  private n = 0;
  private readonly file: TextFile;

  /** All pages of a source go to one JSON-lines file, one page per line (streamable). */
  constructor(
    path: string,
    private readonly source: string,
    private readonly pageSize: number,
    private readonly snapshotAt: string,
  ) {
    this.file = new TextFile(path, 'utf8');
  }

  async write(record: unknown): Promise<void> {
    this.page.push(record);
    if (this.page.length >= this.pageSize) await this.flush(true);
  }

  private async flush(more: boolean): Promise<void> {
    this.n++;
    const body = { source: this.source, records: this.page, nextCursor: `c_${String(this.n).padStart(6, '0')}`, hasMore: more, snapshotAt: this.snapshotAt };
    this.page = [];
    await this.file.write(JSON.stringify(body) + '\n');
  }

  async close(): Promise<void> {
    await this.flush(false);
    await this.file.close();
  }
}

export class JsonLinesWriter {
  private readonly file: TextFile;
  constructor(path: string) {
    this.file = new TextFile(path, 'utf8');
  }
  write(v: unknown): Promise<void> {
    return this.file.write(JSON.stringify(v) + '\n');
  }
  close(): Promise<void> {
    return this.file.close();
  }
}
