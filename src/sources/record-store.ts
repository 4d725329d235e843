import { PoolClient } from 'pg';
import { copyRows } from '../database/copy';
import { storableJson, storableText } from '../common/value-limits';
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
    // One version per record id: the latest (a delete wins a tie, so a withdrawal is never undone
    // by a same-time copy). Most deliveries have no repeats: checked first, cheaper than a sort.
    // Statistics first: a page of a few thousand records is merged by index probes, a whole file by hash joins.
    await c.query(`ANALYZE rec_stage`);
    const repeats = await c.query(`SELECT 1 FROM rec_stage GROUP BY record_id HAVING count(*) > 1 LIMIT 1`);
    if (repeats.rowCount) {
      await c.query(`DELETE FROM rec_stage a USING rec_stage b
                      WHERE a.record_id = b.record_id AND (b.updated_at, b.op = 'delete', b.ctid) > (a.updated_at, a.op = 'delete', a.ctid)`);
    }
    if (seenRunId !== null) {
      await c.query(`INSERT INTO sync_seen (run_id, record_id) SELECT $1, record_id FROM rec_stage ON CONFLICT DO NOTHING`, [seenRunId]);
    }
    // Persons named by the records (the registry stays authoritative for names).
    await c.query(`
      INSERT INTO person (id_no, name, birth_date, sex)
      SELECT g.id_no, g.name, to_date(substr(g.id_no, 7, 8), 'YYYYMMDD'), CASE WHEN substr(g.id_no, 17, 1)::int % 2 = 1 THEN 'M' ELSE 'F' END
        FROM (SELECT id_no, min(name) AS name
                FROM (SELECT id_no, name FROM rec_stage WHERE id_no IS NOT NULL
                      UNION ALL SELECT other_id_no, other_name FROM rec_stage WHERE other_id_no IS NOT NULL) x
               GROUP BY id_no) g
       WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id_no = g.id_no)
       ORDER BY g.id_no -- one lock order for syncs of several sources naming the same new persons
      ON CONFLICT (id_no) DO NOTHING`);
    // The stored versions of the staged records, found by one primary-key probe each (a LATERAL
    // with LIMIT 1 cannot become a scan of the whole source, whatever the statistics say), with
    // their tuple ids for the update. Those about to be replaced change their persons and units too.
    await c.query(
      `CREATE TEMP TABLE rec_prev ON COMMIT DROP AS
       SELECT s.record_id, e.tid, e.deleted AS was_deleted, e.person_id, e.other_person_id, e.unit_id, s.updated_at > e.updated_at AS replaced
         FROM rec_stage s CROSS JOIN LATERAL (
           SELECT r.ctid AS tid, r.updated_at, r.deleted, r.person_id, r.other_person_id, r.unit_id
             FROM source_record r WHERE r.source = $1 AND r.record_id = s.record_id LIMIT 1) e`,
      [source],
    );
    await c.query(`ANALYZE rec_prev`);
    // One writer per source (the sync's advisory lock): existing records are updated where the
    // staged version is newer, new ones are plainly inserted (cheaper than INSERT ... ON CONFLICT).
    // A delete keeps the record's last content as a tombstone.
    const keep = (col: string, value: string) => `${col} = CASE WHEN s.op = 'delete' THEN t.${col} ELSE ${value} END`;
    const { rows } = await c.query<MergeCounts>(
      `WITH s AS MATERIALIZED (
         SELECT s.record_id, coalesce(s.kind, '') AS kind, s.op, p.id AS person_id, p2.id AS other_person_id, s.address_code, s.address_norm,
                ${unitId} AS unit_id, s.record_date, s.period, s.updated_at, s.data
           FROM rec_stage s
           LEFT JOIN person p ON p.id_no = s.id_no
           LEFT JOIN person p2 ON p2.id_no = s.other_id_no
           ${unitMatch}
       ),
       upd AS (
         UPDATE source_record t SET
           ${keep('kind', 's.kind')}, ${keep('person_id', 's.person_id')}, ${keep('other_person_id', 's.other_person_id')},
           ${keep('address_code', 's.address_code')}, ${keep('address_norm', 's.address_norm')}, ${keep('unit_id', 's.unit_id')},
           ${keep('record_date', 's.record_date')}, ${keep('period', 's.period')}, ${keep('data', 's.data')},
           updated_at = s.updated_at, deleted = s.op = 'delete', run_id = $2, received_at = now()
           FROM s JOIN rec_prev p ON p.record_id = s.record_id AND p.replaced
          WHERE t.ctid = p.tid
         RETURNING t.record_id, t.deleted AS del, t.person_id, t.other_person_id, t.unit_id
       ),
       ins AS (
         INSERT INTO source_record (source, record_id, kind, person_id, other_person_id, address_code, address_norm,
                                    unit_id, record_date, period, updated_at, deleted, data, run_id)
         SELECT $1, s.record_id, s.kind, s.person_id, s.other_person_id, s.address_code, s.address_norm,
                s.unit_id, s.record_date, s.period, s.updated_at, s.op = 'delete', s.data, $2
           FROM s WHERE NOT EXISTS (SELECT 1 FROM rec_prev p WHERE p.record_id = s.record_id)
         RETURNING deleted AS del, person_id, other_person_id, unit_id
       ),
       changed AS (
         SELECT person_id, unit_id FROM upd
         UNION ALL SELECT person_id, unit_id FROM ins
         UNION ALL SELECT other_person_id, NULL FROM upd WHERE other_person_id IS NOT NULL
         UNION ALL SELECT other_person_id, NULL FROM ins WHERE other_person_id IS NOT NULL
         UNION ALL SELECT person_id, unit_id FROM rec_prev WHERE replaced
         UNION ALL SELECT other_person_id, NULL FROM rec_prev WHERE replaced AND other_person_id IS NOT NULL
       ),
       logged AS (
         -- Which persons and units changed, once each (not once per record).
         INSERT INTO change_log (run_id, person_id, unit_id)
         SELECT DISTINCT $2::bigint, person_id, unit_id FROM changed WHERE person_id IS NOT NULL OR unit_id IS NOT NULL
       )
       SELECT (SELECT count(*) FILTER (WHERE NOT del) FROM ins)::int AS inserted,
              (SELECT count(*) FILTER (WHERE NOT del) FROM upd)::int AS updated,
              ((SELECT count(*) FILTER (WHERE del) FROM ins)
               + (SELECT count(*) FROM upd JOIN rec_prev p USING (record_id) WHERE upd.del AND NOT p.was_deleted))::int AS deleted`,
      [source, runId],
    );
    await c.query(`DROP TABLE rec_prev; TRUNCATE rec_stage`);
    return rows[0];
  }

  async reject(runId: bigint | number, source: string, rejections: StoredRejection[]): Promise<void> {
    if (!rejections.length) return;
    await copyRows(
      this.c,
      'source_rejection',
      ['run_id', 'source', 'record_id', 'location', 'reason', 'raw'],
      rejections.map((r) => [runId, source, r.recordId, storableText(r.location), storableText(r.reason), storableJson(r.raw)]),
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
         SELECT $2::bigint, person_id, unit_id FROM w WHERE person_id IS NOT NULL OR unit_id IS NOT NULL
         UNION SELECT $2::bigint, other_person_id, NULL FROM w WHERE other_person_id IS NOT NULL)
       SELECT count(*)::int AS n FROM w`,
      [source, runId, seenRunId],
    );
    await this.c.query(`DELETE FROM sync_seen WHERE run_id = $1`, [seenRunId]);
    return rows[0].n;
  }
}
