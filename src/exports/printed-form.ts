import type ExcelJS from 'exceljs';

/**
 * What a column holds, which decides its printed width and alignment. Widths cannot be measured
 * from the data (rows are streamed, unbounded), so each kind has a width that fits its values:
 * a full date, an 18-character ID number, a name; long text wraps instead of being cut off.
 */
export type ColumnKind = 'index' | 'number' | 'flag' | 'label' | 'name' | 'code' | 'date' | 'idNo' | 'project' | 'address' | 'text';

/** A column of a printed form: its header and what it holds. */
export interface FormColumn {
  header: string;
  kind: ColumnKind;
}

/** The lines above the table: the form's title, the filing unit and the filing date. */
export interface FormHeading {
  title: string;
  unit: string;
  /** YYYY-MM-DD. */
  date: string;
}

/** Width (in character units) a kind needs for its values; `wrap` kinds break long text into lines. */
// (9 is ExcelJS's default width, which it leaves out of the file: no kind uses it.)
const KIND: Record<ColumnKind, { width: number; wrap: boolean; align: 'center' | 'left' }> = {
  index: { width: 5, wrap: false, align: 'center' },
  number: { width: 6, wrap: false, align: 'center' },
  flag: { width: 6, wrap: false, align: 'center' },
  label: { width: 13, wrap: true, align: 'center' },
  name: { width: 10, wrap: true, align: 'center' },
  code: { width: 15, wrap: false, align: 'center' },
  date: { width: 12, wrap: false, align: 'center' },
  idNo: { width: 21, wrap: false, align: 'center' },
  project: { width: 12, wrap: true, align: 'left' },
  address: { width: 20, wrap: true, align: 'left' },
  text: { width: 12, wrap: true, align: 'left' },
};

/** A header wraps after this many units (2 Chinese characters), so a long header does not widen a narrow column. */
const HEADER_LINE = 4;

/** The font of every cell; charset 134 (GB2312) lets an office suite without it fall back to a Chinese font. */
export const FORM_FONT = 'Noto Sans CJK SC';
const FONT_SIZE = 10;
/** Height (points) of one line of FONT_SIZE text, and the padding of a row. */
const LINE_HEIGHT = 14;
const ROW_PADDING = 4;

/** Display width of text in character units: a CJK (full-width) character counts 2. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return w;
}

/**
 * Lines a wrapped value takes in a column of `width` units. Row heights are set from this, because
 * office suites do not all grow a streamed row to its wrapped text (LibreOffice keeps the default
 * height, and the second line is cut off); the estimate errs on the side of a line too many.
 */
export function linesIn(text: string, width: number): number {
  const room = Math.max(1, width - 1);
  return text.split(/\r?\n/).reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(line) / room)), 0);
}

/** The printed width of a column: its kind's width, or its header's (up to HEADER_LINE per line), plus padding. */
export function columnWidth(c: FormColumn): number {
  return Math.max(KIND[c.kind].width, Math.min(displayWidth(c.header), HEADER_LINE) + 2);
}

const thin: ExcelJS.Border = { style: 'thin', color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FORM_FONT, charset: 134, size: FONT_SIZE, ...extra });

/** Rows above the header: title and the 填报单位 / 填报日期 line. The header is the row after them. */
export const HEADING_ROWS = 2;

/**
 * Lays a streamed worksheet out as the printed form: the title merged across the table, the
 * filing unit and date, a bordered header that stays frozen on screen and repeats on every
 * printed page, columns as wide as their kind needs, A4 landscape fitted to one page wide.
 * Styles are built once per column and shared by every row, so each row costs no new objects.
 */
export class PrintedForm {
  private readonly cellStyles: Partial<ExcelJS.Style>[];
  private readonly widths: number[];

  constructor(
    private readonly sheet: ExcelJS.Worksheet,
    private readonly columns: FormColumn[],
  ) {
    this.widths = columns.map(columnWidth);
    this.cellStyles = columns.map((c) => ({
      font: font(),
      border: BORDER,
      alignment: { vertical: 'middle', horizontal: KIND[c.kind].align, wrapText: KIND[c.kind].wrap },
    }));
  }

  /** Worksheet options of the form (pass to addWorksheet): frozen header, print titles, page set-up. */
  static sheetOptions(): Partial<ExcelJS.AddWorksheetOptions> {
    const header = HEADING_ROWS + 1;
    return {
      views: [{ state: 'frozen', xSplit: 0, ySplit: header, topLeftCell: `A${header + 1}`, activeCell: `A${header + 1}` }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        horizontalCentered: true,
        printTitlesRow: `${header}:${header}`,
        margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      },
      headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', evenFooter: '&C第 &P 页，共 &N 页' },
    };
  }

  /** Writes the column widths, the title, the unit and date line and the header row. */
  writeHeading(heading: FormHeading): void {
    const n = this.columns.length;
    this.sheet.columns = this.widths.map((width) => ({ width }));
    const last = columnLetter(n);

    const title = this.sheet.getRow(1);
    title.getCell(1).value = heading.title;
    title.getCell(1).style = { font: font({ size: 18, bold: true }), alignment: { horizontal: 'center', vertical: 'middle' } };
    title.height = 36;
    this.sheet.mergeCells(`A1:${last}1`);
    title.commit();

    const line = this.sheet.getRow(2);
    const half = Math.max(1, Math.floor(n / 2));
    line.getCell(1).value = `填报单位：${heading.unit}`;
    line.getCell(1).style = { font: font({ size: 11 }), alignment: { horizontal: 'left', vertical: 'middle' } };
    line.getCell(half + 1).value = `填报日期：${heading.date}`;
    line.getCell(half + 1).style = { font: font({ size: 11 }), alignment: { horizontal: 'right', vertical: 'middle' } };
    line.height = 22;
    this.sheet.mergeCells(`A2:${columnLetter(half)}2`);
    this.sheet.mergeCells(`${columnLetter(half + 1)}2:${last}2`);
    line.commit();

    const header = this.sheet.getRow(HEADING_ROWS + 1);
    const headerStyle: Partial<ExcelJS.Style> = {
      font: font({ bold: true }),
      border: BORDER,
      alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
      fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } },
    };
    this.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.style = headerStyle;
    });
    header.height = Math.max(...this.columns.map((c, i) => linesIn(c.header, this.widths[i]))) * LINE_HEIGHT + ROW_PADDING * 2;
    header.commit();
  }

  /** Writes a data row with borders and its columns' alignment. */
  writeRow(values: (string | number | null)[]): void {
    const row = this.sheet.addRow(values);
    let lines = 1;
    for (let i = 0; i < this.columns.length; i++) {
      row.getCell(i + 1).style = this.cellStyles[i];
      const v = values[i];
      if (KIND[this.columns[i].kind].wrap && v !== null && v !== '') lines = Math.max(lines, linesIn(String(v), this.widths[i]));
    }
    row.height = lines * LINE_HEIGHT + ROW_PADDING;
    row.commit();
  }
}

/** A, B, ... Z, AA, ... for a 1-based column number. */
function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}
