import { join } from 'node:path';
import { LEDGER_FILES, LEDGER_ORDER, LedgerKind } from '../registry/ledger-files';
import { Cell, csvWriter, CsvEncoding, RowWriter } from './writers';

/** How the bureau saves each ledger file (registry.md allows UTF-8, UTF-8 with BOM and GBK). */
const ENCODING: Record<LedgerKind, CsvEncoding> = {
  projects: 'utf8-bom',
  units: 'utf8',
  households: 'utf8-bom',
  members: 'gbk',
  declarations: 'utf8',
  arrears: 'utf8',
  handovers: 'utf8',
};

/**
 * The ledger files (`registry/<kind>.csv`) with the registry's own columns: a row is given by the
 * column's field name (registry/ledger-files.ts) and written under its Chinese header.
 */
export class LedgerWriter {
  private readonly files = new Map<LedgerKind, { writer: RowWriter; fields: string[] }>();

  constructor(outDir: string) {
    for (const kind of LEDGER_ORDER) {
      const columns = LEDGER_FILES[kind].columns;
      const writer = csvWriter(join(outDir, 'registry', `${kind}.csv`), columns.map((c) => c.header), ENCODING[kind]);
      this.files.set(kind, { writer, fields: columns.map((c) => c.field) });
    }
  }

  /** One row; its fields must be exactly the ledger's columns. */
  write(kind: LedgerKind, row: Record<string, Cell>): Promise<void> {
    const { writer, fields } = this.files.get(kind)!;
    const given = Object.keys(row);
    if (given.length !== fields.length || given.some((f) => !fields.includes(f))) {
      throw new Error(`${kind} row has fields ${given.join(',')}, the ledger's columns are ${fields.join(',')}`);
    }
    return writer.write(fields.map((f) => row[f]));
  }

  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.writer.close()));
  }
}
