import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { csvCell } from './csv-cell';
import { FormColumn, FormHeading, PrintedForm } from './printed-form';

export type ExportFormat = 'xlsx' | 'csv';

/** The client went away (or the stream broke) before the export was complete. */
export class ExportAborted extends Error {
  constructor() {
    super('export aborted: the output stream closed before the end');
  }
}

/**
 * Writes rows as a streamed XLSX laid out as the printed form (title, filing unit and date,
 * bordered header repeated on every page, A4 landscape) or as CSV (UTF-8 with BOM, for Excel;
 * the header line and the rows only). Rows are committed as they come: memory stays bounded.
 */
export class TableWriter {
  /** Data rows handed to the stream so far (the header not counted). */
  written = 0;
  private wb?: ExcelJS.stream.xlsx.WorkbookWriter;
  private sheet?: ExcelJS.Worksheet;
  private form?: PrintedForm;

  constructor(
    private readonly out: Writable,
    format: ExportFormat,
    heading: FormHeading,
    columns: FormColumn[],
  ) {
    if (format === 'xlsx') {
      this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      this.sheet = this.wb.addWorksheet(heading.title, PrintedForm.sheetOptions());
      this.form = new PrintedForm(this.sheet, columns);
      this.form.writeHeading(heading);
    } else {
      out.write('\uFEFF' + columns.map((c) => csvCell(c.header)).join(',') + '\r\n');
    }
  }

  async row(values: (string | number | null)[]): Promise<void> {
    if (this.out.destroyed) throw new ExportAborted();
    this.written++;
    if (this.form) this.form.writeRow(values);
    else if (!this.out.write(values.map(csvCell).join(',') + '\r\n')) await drained(this.out);
  }

  async close(): Promise<void> {
    if (this.out.destroyed) throw new ExportAborted();
    if (this.wb) {
      this.sheet!.commit();
      await this.wb.commit();
    } else {
      this.out.end();
      await once(this.out, 'finish');
    }
  }
}

/** Waits for room in the stream; a stream that closes instead (client gone) aborts the export. */
async function drained(out: Writable): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal }).then(() => Promise.reject(new ExportAborted()))]);
  } finally {
    ac.abort();
  }
}
