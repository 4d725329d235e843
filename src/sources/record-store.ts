import { PoolClient } from 'pg';
import { copyRows } from '../database/copy';
import type { NormalisedRecord } from './record-normaliser';

export interface MergeCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

export interface StoredRejection {
  recordId: string | null;
  location: string;
  reason: string;
  raw: unknown;
}

const STAGE_COLUMNS = [
  'record_id', 'kind', 'op', 'updated_at', 'id_no', 'name', 'other_id_no', 'other_name',
  'address_code', 'address_norm', 'record_date', 'period', 'data',
] as const;

function stageRow(r: NormalisedRecord): unknown[] {
  return [r.recordId, r.kind, r.op, r.updatedAt, r.idNo, r.name, r.otherIdNo, r.otherName, r.addressCode, r.addressNorm, r.recordDate, r.period, JSON.stringify(r.data)];
}

/**
 * Set-based writes of department records, inside the caller's transaction: COPY into a staging
 * table, then one merge in which the later `updatedAt` stands whatever the arrival order, plus the
 * change log (persons and units whose data changed) and, during a full resync, the seen set.
 */
export class RecordStore {
  constructor(private readonly c: PoolClient) {}

  async stage(records: Iterable<NormalisedRecord> | AsyncIterable<NormalisedRecord>): Promise<number> {
    await this.c.query(
      `CREATE TEMP TABLE IF NOT EXISTS rec_stage (
         record_id text NOT NULL, kind text, op text NOT NULL, updated_at timestamptz NOT NULL,
         id_no text, name text, other_id_no text, other_name text, address_code text, address_norm text,
         record_date date, period text, data jsonb NOT NULL) ON COMMIT DROP`,
    );
    async function* rows() {
      for await (const r of records as AsyncIterable<NormalisedRecord>) yield stageRow(r) as never;
    }
    return copyRows(this.c, 'rec_stage', STAGE_COLUMNS, rows());
  }

  /** Merges the staged records of `source` as sync run `runId`. */
  async merge(source: string, runId: bigint | number, seenRunId: bigint | number | null, hasAddresses = true): Promise<MergeCounts> {
    const c = this.c;
    // Units by standard address code; where the code is missing, by normalised address text.
    const unitMatch = hasAddresses
      ? `LEFT JOIN (SELECT address_code, min(id) AS id FROM unit WHERE address_code IS NOT NULL GROUP BY 1) u1 ON u1.address_code = s.address_code
         LEFT JOIN (SELECT address_norm, min(id) AS id FROM unit WHERE address_norm IS NOT NULL GROUP BY 1) u2 ON u2.address_norm = s.address_norm AND s.address_code IS NULL`
      : '';
    const unitId = hasAddresses ? 'coalesce(u1.id, u2.id)' : 'NULL::int';
    // One version per record id: the latest (a delete wins a tie, so a withdrawal is never undone by a same-time copy).
    await c.query(`CREATE TEMP TABLE rec_latest ON COMMIT DROP AS
      SELECT DISTINCT ON (record_id) * FROM rec_stage ORDER BY record_id, updated_at DESC, (op = 'delete') DESC`);
    if (seenRunId !== null) {
      await c.query(`INSERT INTO sync_seen (run_id, record_id) SELECT $1, record_id FROM rec_latest ON CONFLICT DO NOTHING`, [seenRunId]);
    }
    // Persons named by the records (the registry stays authoritative for names).
    await c.query(`
      INSERT INTO person (id_no, name, birth_date, sex)
      SELECT DISTINCT ON (id_no) id_no, name, to_date(substr(id_no, 7, 8), 'YYYYMMDD'),
             CASE WHEN substr(id_no, 17, 1)::int % 2 = 1 THEN 'M' ELSE 'F' END
        FROM (SELECT id_no, name FROM rec_latest WHERE id_no IS NOT NULL
              UNION ALL SELECT other_id_no, other_name FROM rec_latest WHERE other_id_no IS NOT NULL) x
       ORDER BY id_no
      ON CONFLICT (id_no) DO NOTHING`);
    // Versions about to be replaced: their persons and units change too, and whether they were deleted.
    await c.query(
      `CREATE TEMP TABLE rec_prev ON COMMIT DROP AS
       SELECT r.record_id, r.deleted AS was_deleted, r.person_id, r.other_person_id, r.unit_id
         FROM source_record r JOIN rec_latest s ON r.source = $1 AND r.record_id = s.record_id
        WHERE s.updated_at > r.updated_at`,
      [source],
    );
    const { rows } = await c.query<MergeCounts>(
      `WITH m AS (
         INSERT INTO source_record AS t (source, record_id, kind, person_id, other_person_id, address_code, address_norm,
                                         unit_id, record_date, period, updated_at, deleted, data, run_id)
         SELECT $1, s.record_id, coalesce(s.kind, ''), p.id, p2.id, s.address_code, s.address_norm,
                ${unitId}, s.record_date, s.period, s.updated_at, s.op = 'delete', s.data, $2
           FROM rec_latest s
           LEFT JOIN person p ON p.id_no = s.id_no
           LEFT JOIN person p2 ON p2.id_no = s.other_id_no
           ${unitMatch}
         ON CONFLICT (source, record_id) DO UPDATE SET
           kind = CASE WHEN excluded.deleted THEN t.kind ELSE excluded.kind END,
           person_id = CASE WHEN excluded.deleted THEN t.person_id ELSE excluded.person_id END,
           other_person_id = CASE WHEN excluded.deleted THEN t.other_person_id ELSE excluded.other_person_id END,
           address_code = CASE WHEN excluded.deleted THEN t.address_code ELSE excluded.address_code END,
           address_norm = CASE WHEN excluded.deleted THEN t.address_norm ELSE excluded.address_norm END,
           unit_id = CASE WHEN excluded.deleted THEN t.unit_id ELSE excluded.unit_id END,
           record_date = CASE WHEN excluded.deleted THEN t.record_date ELSE excluded.record_date END,
           period = CASE WHEN excluded.deleted THEN t.period ELSE excluded.period END,
           data = CASE WHEN excluded.deleted THEN t.data ELSE excluded.data END,
           updated_at = excluded.updated_at,
           deleted = excluded.deleted,
           run_id = excluded.run_id,
           received_at = now()
         WHERE excluded.updated_at > t.updated_at
         RETURNING t.record_id, (xmax = 0) AS ins, t.deleted AS del, t.person_id, t.other_person_id, t.unit_id
       ),
       changed AS (
         SELECT person_id, unit_id FROM m
         UNION ALL SELECT other_person_id, NULL FROM m WHERE other_person_id IS NOT NULL
         UNION ALL SELECT person_id, unit_id FROM rec_prev
         UNION ALL SELECT other_person_id, NULL FROM rec_prev WHERE other_person_id IS NOT NULL
       ),
       logged AS (
         INSERT INTO change_log (run_id, person_id, unit_id)
         SELECT $2, person_id, unit_id FROM changed WHERE person_id IS NOT NULL OR unit_id IS NOT NULL
       )
       SELECT count(*) FILTER (WHERE m.ins AND NOT m.del)::int AS inserted,
              count(*) FILTER (WHERE NOT m.ins AND NOT m.del)::int AS updated,
              count(*) FILTER (WHERE m.del AND (m.ins OR NOT coalesce(p.was_deleted, false)))::int AS deleted
         FROM m LEFT JOIN rec_prev p ON p.record_id = m.record_id`,
      [source, runId],
    );
    await c.query(`DROP TABLE rec_latest; DROP TABLE rec_prev; TRUNCATE rec_stage`);
    return rows[0];
  }

  async reject(runId: bigint | number, source: string, rejections: StoredRejection[]): Promise<void> {
    if (!rejections.length) return;
    await copyRows(
      this.c,
      'source_rejection',
      ['run_id', 'source', 'record_id', 'location', 'reason', 'raw'],
      rejections.map((r) => [runId, source, r.recordId, r.location, r.reason, JSON.stringify(r.raw ?? null)]),
    );
  }

  /** End of a full resync: what the department no longer has is withdrawn (tombstoned). */
  async withdrawUnseen(source: string, runId: bigint | number, seenRunId: bigint | number): Promise<number> {
    const { rows } = await this.c.query<{ n: number }>(
      `WITH w AS (
         UPDATE source_record r SET deleted = true, run_id = $2, received_at = now()
          WHERE r.source = $1 AND NOT r.deleted
            AND NOT EXISTS (SELECT 1 FROM sync_seen s WHERE s.run_id = $3 AND s.record_id = r.record_id)
         RETURNING r.person_id, r.other_person_id, r.unit_id),
       logged AS (
         INSERT INTO change_log (run_id, person_id, unit_id)
         SELECT $2, person_id, unit_id FROM w WHERE person_id IS NOT NULL OR unit_id IS NOT NULL
         UNION ALL SELECT $2, other_person_id, NULL FROM w WHERE other_person_id IS NOT NULL)
       SELECT count(*)::int AS n FROM w`,
      [source, runId, seenRunId],
    );
    await this.c.query(`DELETE FROM sync_seen WHERE run_id = $1`, [seenRunId]);
    return rows[0].n;
  }
}
