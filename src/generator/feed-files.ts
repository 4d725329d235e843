import { join } from 'node:path';
import { COMMON_HEADERS } from '../sources/source-definition';
import { sourceByName, SOURCES } from '../sources/sources.catalog';
import { fmtAmount, fmtDate, fmtId, jsonId } from './cell-forms';
import type { FeedRecord } from './draft';
import type { Rng } from './rng';
import { csvWriter, CsvEncoding, JsonPagesWriter, RowWriter, xlsxWriter } from './writers';

/** How each source sends its file (feeds.md): CSV in UTF-8, UTF-8 with BOM or GBK, or XLSX. */
const FILE_FORMAT: Record<string, CsvEncoding | 'xlsx'> = {
  'civil-affairs': 'gbk',
  property: 'utf8-bom',
  vehicle: 'gbk',
  'social-security': 'utf8',
  'housing-fund': 'utf8-bom',
  'market-supervision': 'xlsx',
  'public-security': 'gbk',
  utilities: 'utf8',
};

export interface FeedFileOptions {
  outDir: string;
  seed: number;
  asOf: string;
  /** Also write JSON pages. */
  json: boolean;
  pageSize: number;
}

/**
 * Every source's records as its file (`feeds/<source>/<source>-s<seed>.<ext>`, the headers of
 * its definition) and as JSON pages (`pages/<source>.jsonl`), counted per source.
 */
export class FeedFiles {
  /** Records written per source, and malformed ones. */
  readonly written: Record<string, number> = {};
  readonly malformed: Record<string, number> = {};
  private readonly files = new Map<string, RowWriter>();
  private readonly pages = new Map<string, JsonPagesWriter>();

  constructor(o: FeedFileOptions) {
    for (const s of SOURCES) {
      const fmt = FILE_FORMAT[s.name];
      const base = join(o.outDir, 'feeds', s.name, `${s.name}-s${o.seed}`);
      this.files.set(s.name, fmt === 'xlsx' ? xlsxWriter(`${base}.xlsx`, s.headers) : csvWriter(`${base}.csv`, s.headers, fmt));
      if (o.json) this.pages.set(s.name, new JsonPagesWriter(join(o.outDir, 'pages', `${s.name}.jsonl`), s.name, o.pageSize, `${o.asOf}T02:00:00+08:00`));
      this.written[s.name] = 0;
      this.malformed[s.name] = 0;
    }
  }

  async write(r: FeedRecord, rng: Rng, countAs: 'ok' | 'malformed' = 'ok'): Promise<void> {
    const src = sourceByName(r.source)!;
    const kind = src.compiled.get(r.kind)!;
    // JSON page: contract field names, numbers as numbers.
    const json: Record<string, unknown> = { recordId: r.recordId, updatedAt: r.updatedAt };
    if (r.op) json.op = r.op;
    else if (rng.chance(0.3)) json.op = 'upsert';
    if (src.headers.includes(COMMON_HEADERS.kind)) json.kind = r.kind;
    for (const [f, v] of Object.entries(r.fields)) {
      const spec = kind.fields[f];
      json[f] = spec?.type === 'id' && typeof v === 'string' ? jsonId(v, rng) : v;
    }
    await this.pages.get(r.source)?.write(json);
    // CSV/XLSX row: Chinese headers, every allowed cell form.
    const row = src.headers.map((h) => {
      if (h === COMMON_HEADERS.recordId) return r.recordId;
      if (h === COMMON_HEADERS.op) return r.op ?? (rng.chance(0.2) ? 'upsert' : '');
      if (h === COMMON_HEADERS.updatedAt) return r.updatedAt;
      if (h === COMMON_HEADERS.kind) return kind.label;
      const field = kind.byHeader.get(h);
      if (!field) return '';
      const v = r.fields[field];
      const spec = kind.fields[field];
      if (v === null || v === undefined) return '';
      if (spec.type === 'date' && typeof v === 'string') return fmtDate(v, rng);
      if (spec.type === 'amount' && typeof v === 'number') return fmtAmount(v, rng);
      // A malformed record keeps its ID as is (its 15-digit form would recompute a valid check character).
      if (spec.type === 'id' && typeof v === 'string') return countAs === 'ok' ? fmtId(v, rng) : v;
      return v;
    });
    await this.files.get(r.source)!.write(row);
    if (countAs === 'ok') this.written[r.source]++;
    else this.malformed[r.source]++;
  }

  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((w) => w.close()));
    await Promise.all([...this.pages.values()].map((p) => p.close()));
  }
}
