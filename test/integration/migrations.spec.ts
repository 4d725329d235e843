import { getDMMF } from '@prisma/internals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ensureDatabase, listMigrations, migrate } from '../../src/database/migrator';
import { dbUrl, PG_BASE } from '../support/env';
import { createTestDatabase } from '../support/test-db';

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('migrations', () => {
  const fresh: { drop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const d of fresh) await d.drop();
  });

  async function emptyDb(label: string): Promise<string> {
    const name = `phr_t_${label}_${process.pid}_${Date.now() % 100000}`;
    await ensureDatabase(dbUrl(name));
    fresh.push({
      async drop() {
        const c = new Client({ connectionString: `${PG_BASE}/postgres` });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    });
    return dbUrl(name);
  }

  it('creates the database, applies every migration once, and a second run changes nothing', async () => {
    const url = await emptyDb('twice');
    const first = await migrate(url);
    expect(first.applied).toEqual(listMigrations().map((m) => m.name));
    const second = await migrate(url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
    const rows = await query<{ n: string }>(url, `SELECT count(*) AS n FROM "_prisma_migrations"`);
    expect(Number(rows[0].n)).toBe(first.applied.length);
  });

  it('is safe when several processes migrate at once', async () => {
    const url = await emptyDb('concurrent');
    const results = await Promise.all([migrate(url), migrate(url), migrate(url), migrate(url)]);
    const appliedTotal = results.reduce((n, r) => n + r.applied.length, 0);
    expect(appliedTotal).toBe(listMigrations().length);
    const rows = await query<{ migration_name: string }>(url, `SELECT migration_name FROM "_prisma_migrations" ORDER BY 1`);
    expect(rows.map((r) => r.migration_name)).toEqual(listMigrations().map((m) => m.name));
  });

  it('records Prisma-compatible checksums (sha256 of migration.sql)', async () => {
    const db = await createTestDatabase('checksum');
    fresh.push(db);
    const rows = await query<{ migration_name: string; checksum: string }>(db.url, `SELECT migration_name, checksum FROM "_prisma_migrations"`);
    const expected = new Map(listMigrations().map((m) => [m.name, m.checksum]));
    for (const r of rows) expect(r.checksum).toBe(expected.get(r.migration_name));
  });

  it('the audit log refuses UPDATE and DELETE', async () => {
    const db = await createTestDatabase('auditappend');
    fresh.push(db);
    await query(db.url, `INSERT INTO audit_log (actor, role, action, entity_type) VALUES ('t', 'admin', 'x', 'y')`);
    await expect(query(db.url, `UPDATE audit_log SET action = 'z'`)).rejects.toThrow(/append-only/);
    await expect(query(db.url, `DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });
});

/** The migrated database and prisma/schema.prisma describe the same tables, columns and indexes. */
describe('schema.prisma agrees with the migrated database', () => {
  let url: string;
  let drop: () => Promise<void>;
  let models: Awaited<ReturnType<typeof getDMMF>>['datamodel'];

  beforeAll(async () => {
    const db = await createTestDatabase('drift');
    url = db.url;
    drop = db.drop;
    const schema = readFileSync(join(__dirname, '..', '..', 'prisma', 'schema.prisma'), 'utf8');
    models = (await getDMMF({ datamodel: schema })).datamodel;
  });
  afterAll(() => drop());

  const PG_TYPE: Record<string, string> = {
    String: 'text',
    Int: 'integer',
    BigInt: 'bigint',
    Boolean: 'boolean',
    DateTime: 'timestamp(3) without time zone',
    Json: 'jsonb',
    Decimal: 'numeric(65,30)',
    Float: 'double precision',
  };
  const NATIVE: Record<string, (args: string[]) => string> = {
    Date: () => 'date',
    Timestamptz: (a) => `timestamp(${a[0] ?? 6}) with time zone`,
    Decimal: (a) => `numeric(${a.join(',')})`,
    VarChar: (a) => `character varying(${a[0]})`,
    Uuid: () => 'uuid',
  };

  it('has exactly the tables of the models', async () => {
    const tables = await query<{ table_name: string }>(
      url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1`,
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual(models.models.map((m) => m.dbName ?? m.name).sort());
  });

  it('has the columns of every model with their types and nullability', async () => {
    const cols = await query<{ table_name: string; column_name: string; type: string; not_null: boolean }>(
      url,
      `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`,
    );
    const actual = new Map(cols.map((c) => [`${c.table_name}.${c.column_name}`, c]));
    const expected = new Set<string>();
    for (const m of models.models) {
      const table = m.dbName ?? m.name;
      for (const f of m.fields.filter((x) => x.kind === 'scalar' || x.kind === 'enum')) {
        const key = `${table}.${f.dbName ?? f.name}`;
        expected.add(key);
        const col = actual.get(key);
        expect({ key, exists: !!col }).toEqual({ key, exists: true });
        const native = f.nativeType as [string, string[]] | null;
        const type = (native ? NATIVE[native[0]](native[1]) : PG_TYPE[f.type]) + (f.isList ? '[]' : '');
        expect({ key, type: col!.type }).toEqual({ key, type });
        // Prisma creates scalar lists as nullable columns.
        expect({ key, notNull: col!.not_null }).toEqual({ key, notNull: f.isList ? false : f.isRequired });
      }
    }
    expect([...actual.keys()].filter((k) => !expected.has(k))).toEqual([]);
  });

  it('has the primary keys, unique constraints and indexes of the models', async () => {
    const idx = await query<{ table_name: string; columns: string[]; is_unique: boolean; is_primary: boolean }>(
      url,
      `SELECT t.relname AS table_name, i.indisunique AS is_unique, i.indisprimary AS is_primary,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
          -- SQL-only objects Prisma cannot express (partial indexes), listed in README "Migrations".
          AND i.indexrelid::regclass::text NOT IN ('case_one_open_per_household', 'source_record_marriage_person_idx',
            'source_record_person_id_idx', 'source_record_other_person_id_idx', 'source_record_unit_id_idx')
        GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary`,
    );
    const sig = (table: string, kind: string, cols: string[]) => `${table} ${kind} (${cols.join(',')})`;
    const actual = idx.map((i) => sig(i.table_name, i.is_primary ? 'id' : i.is_unique ? 'unique' : 'normal', i.columns)).sort();
    const expected: string[] = [];
    for (const ix of models.indexes) {
      const model = models.models.find((m) => m.name === ix.model)!;
      const table = model.dbName ?? model.name;
      const cols = ix.fields.map((f) => {
        const field = model.fields.find((x) => x.name === f.name)!;
        return field.dbName ?? field.name;
      });
      expected.push(sig(table, ix.type === 'id' ? 'id' : ix.type === 'unique' ? 'unique' : 'normal', cols));
    }
    expect(actual).toEqual(expected.sort());
  });

  it('has the SQL-only partial indexes, with their predicates', async () => {
    const defs = await query<{ indexname: string; indexdef: string }>(url, `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`);
    const def = (name: string) => defs.find((d) => d.indexname === name)?.indexdef.replace(/"/g, '');
    expect(def('case_one_open_per_household')).toMatch(/UNIQUE INDEX .* ON public\.case USING btree \(household_id\) WHERE \(closed_at IS NULL\)/);
    expect(def('source_record_marriage_person_idx')).toMatch(/\(person_id\) WHERE \(kind = 'marriage'::text\)/);
    for (const col of ['person_id', 'other_person_id', 'unit_id']) {
      expect(def(`source_record_${col}_idx`)).toMatch(new RegExp(`\\(${col}\\) WHERE \\(${col} IS NOT NULL\\)`));
    }
  });

  it('has the foreign keys of the relations', async () => {
    const fks = await query<{ table_name: string; columns: string[]; ref_table: string }>(
      url,
      `SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS ref_table,
              array(SELECT attname::text FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k) AS columns
         FROM pg_constraint c WHERE c.contype = 'f'`,
    );
    const actual = fks.map((f) => `${f.table_name}(${f.columns.join(',')}) -> ${f.ref_table}`.replace(/"/g, '')).sort();
    const expected: string[] = [];
    for (const m of models.models) {
      for (const f of m.fields.filter((x) => x.kind === 'object' && x.relationFromFields?.length)) {
        const target = models.models.find((x) => x.name === f.type)!;
        const cols = f.relationFromFields!.map((n) => m.fields.find((x) => x.name === n)!.dbName ?? n);
        expected.push(`${m.dbName ?? m.name}(${cols.join(',')}) -> ${target.dbName ?? target.name}`);
      }
    }
    expect(actual).toEqual(expected.sort());
  });
});
