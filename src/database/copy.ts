import { PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type CopyValue = string | number | bigint | boolean | Date | null | undefined | object;

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** Encodes one value in PostgreSQL's COPY text format. */
export function copyText(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  let s: string;
  if (v instanceof Date) s = v.toISOString();
  else if (typeof v === 'object') s = JSON.stringify(v);
  else s = String(v);
  return NEEDS_ESCAPE.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

/** Streams rows into `table(columns)` with COPY FROM STDIN; returns the number of rows sent. */
export async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]> | AsyncIterable<readonly CopyValue[]>,
): Promise<number> {
  let count = 0;
  const sql = `COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`;
  const sink = client.query(copyFrom(sql));
  async function* encode() {
    let buf = '';
    for await (const row of rows as AsyncIterable<readonly CopyValue[]>) {
      buf += row.map(copyText).join('\t') + '\n';
      count++;
      if (buf.length > 1 << 16) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(encode()), sink);
  return count;
}

const UNESCAPE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Decodes one field of PostgreSQL's COPY text format (`\N` is null). */
export function copyField(f: string): string | null {
  if (f === '\\N') return null;
  return f.includes('\\') ? f.replace(/\\(.)/g, (_, c: string) => UNESCAPE[c] ?? c) : f;
}

/**
 * Runs `COPY (sql) TO STDOUT` and returns its rows as text fields. For large reads: decoding COPY
 * text costs a fraction of the protocol's per-row parsing. COPY takes no bind parameters, so the
 * caller inlines only values it has checked (e.g. with `intArrayLiteral`).
 */
export async function copyOutRows(client: PoolClient, sql: string): Promise<(string | null)[][]> {
  const chunks: Buffer[] = [];
  await pipeline(
    client.query(copyTo(`COPY (${sql}) TO STDOUT`)),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
  );
  const text = Buffer.concat(chunks).toString('utf8');
  const rows: (string | null)[][] = [];
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    const fields: (string | null)[] = text.slice(start, nl).split('\t');
    for (let i = 0; i < fields.length; i++) fields[i] = copyField(fields[i]!);
    rows.push(fields);
    start = nl + 1;
  }
  return rows;
}

/** An SQL literal of an integer array, for statements (COPY) that take no parameters. */
export function intArrayLiteral(ids: readonly number[]): string {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new Error(`not an integer id: ${String(id)}`);
  return `'{${ids.join(',')}}'::int[]`;
}
