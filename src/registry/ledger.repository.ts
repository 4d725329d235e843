import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { AdvisoryLock } from '../common/advisory-locks';
import { maskText } from '../common/masking';
import { storableJson, storableText } from '../common/value-limits';
import { CopyValue, copyRows } from '../database/copy';
import { LedgerDefinition, LedgerKind } from './ledger-files';

/** A ledger row that was not loaded: its line, why, and its cells as read. */
export interface Rejection {
  line: number;
  reason: string;
  raw: Record<string, unknown>;
}

/** What merging a staged file did to its target tables. */
export interface Applied {
  inserted: number;
  updated: number;
  deleted?: number;
  rejected: Rejection[];
}

/**
 * The registry import's SQL, in the caller's transaction (one per file): the import lock, the
 * temporary staging tables (`stage`: a file's parsed rows; `held`: the groups a replacing ledger
 * keeps whole), the merge of the staged rows into their tables, one set-based statement per
 * target table and ledger kind (rows that refer to unknown keys or conflict with stored facts are
 * taken out of the stage as rejections first), and the stored rejections.
 */
@Injectable()
export class LedgerRepository {
  /** Serialises imports, and creates the staging table for the ledger's columns (dropped at commit). */
  async openStage(c: PoolClient, def: LedgerDefinition): Promise<void> {
    await c.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.RegistryImport]);
    const stageCols = def.stage.map((s) => `"${s.name}" ${s.type}`).join(', ');
    await c.query(`CREATE TEMP TABLE stage (line int NOT NULL, raw jsonb NOT NULL, ${stageCols}) ON COMMIT DROP`);
  }

  /** COPYs the accepted rows (line, raw, then the stage columns in order) into the stage, and analyses it. */
  async fillStage(c: PoolClient, def: LedgerDefinition, rows: AsyncIterable<readonly CopyValue[]>): Promise<void> {
    await copyRows(c, 'stage', ['line', 'raw', ...def.stage.map((s) => s.name)], rows);
    await c.query('ANALYZE stage');
  }

  /**
   * For a ledger whose rows replace a set (members.csv: a household's member list), the groups
   * (with the line) that had a row rejected while parsing: they keep what is stored, whole.
   */
  async stageHeldGroups(c: PoolClient, groups: [string, number][]): Promise<void> {
    await c.query(`CREATE TEMP TABLE held (group_code text NOT NULL, line int NOT NULL) ON COMMIT DROP`);
    await copyRows(c, 'held', ['group_code', 'line'], groups);
  }

  /** Merges the staged rows of a ledger kind into its tables. */
  merge(c: PoolClient, kind: LedgerKind): Promise<Applied> {
    return APPLY[kind](c);
  }

  /** Stores a file's rejected rows (reasons masked, cells storable). */
  async storeRejections(c: PoolClient, batchId: number, fileName: string, rows: Rejection[]): Promise<void> {
    if (!rows.length) return;
    await copyRows(
      c,
      'import_rejection',
      ['batch_id', 'file_name', 'line', 'reason', 'raw'],
      rows.map((r) => [batchId, storableText(fileName), r.line, maskText(storableText(r.reason)), storableJson(r.raw)]),
    );
  }
}

/** Removes staged rows matching `where` and returns them as rejections with `reasonSql`. */
async function rejectWhere(c: PoolClient, where: string, reasonSql: string): Promise<Rejection[]> {
  const { rows } = await c.query<Rejection>(`DELETE FROM stage s WHERE ${where} RETURNING s.line, s.raw, ${reasonSql} AS reason`);
  return rows;
}

/**
 * INSERT ... SELECT ... ON CONFLICT DO UPDATE only where a value differs; returns how many rows
 * were inserted and how many updated (the rest of the accepted rows were unchanged).
 */
async function upsert(
  c: PoolClient,
  table: string,
  cols: string[],
  select: string,
  conflict: string[],
  update: string[],
): Promise<{ inserted: number; updated: number }> {
  const set = update.map((u) => `"${u}" = excluded."${u}"`).join(', ');
  const differs = `(${update.map((u) => `t."${u}"`).join(', ')}) IS DISTINCT FROM (${update.map((u) => `excluded."${u}"`).join(', ')})`;
  const hasUpdatedAt = ['project', 'unit', 'household', 'member'].includes(table);
  const action = update.length
    ? `DO UPDATE SET ${set}${hasUpdatedAt ? ', updated_at = now()' : ''} WHERE ${differs}`
    : 'DO NOTHING';
  const { rows } = await c.query<{ inserted: number; updated: number }>(
    `WITH up AS (
       INSERT INTO "${table}" AS t (${cols.map((x) => `"${x}"`).join(', ')}) ${select}
       ON CONFLICT (${conflict.map((x) => `"${x}"`).join(', ')}) ${action}
       RETURNING (xmax = 0) AS inserted)
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`,
  );
  return rows[0];
}

const unknownHousehold = (c: PoolClient) =>
  rejectWhere(c, `NOT EXISTS (SELECT 1 FROM household h WHERE h.household_code = s.household_code)`, `'未知家庭编号: ' || s.household_code`);

const APPLY: Record<LedgerKind, (c: PoolClient) => Promise<Applied>> = {
  async projects(c) {
    const cols = ['project_code', 'name', 'region_code', 'town', 'management', 'owner'];
    const r = await upsert(c, 'project', cols, `SELECT ${cols.join(', ')} FROM stage`, ['project_code'], cols.slice(1));
    return { ...r, rejected: [] };
  },

  async units(c) {
    const rejected = await rejectWhere(
      c,
      `NOT EXISTS (SELECT 1 FROM project p WHERE p.project_code = s.project_code)`,
      `'未知项目编号: ' || s.project_code`,
    );
    const cols = ['unit_code', 'project_id', 'building', 'room_no', 'address_code', 'address_text', 'address_norm', 'floor_area', 'rooms', 'monthly_rent'];
    const r = await upsert(
      c,
      'unit',
      cols,
      `SELECT s.unit_code, p.id, s.building, s.room_no, s.address_code, s.address_text, s.address_norm, s.floor_area, s.rooms, s.monthly_rent
         FROM stage s JOIN project p ON p.project_code = s.project_code`,
      ['unit_code'],
      cols.slice(1),
    );
    return { ...r, rejected };
  },

  async households(c) {
    const rejected = await rejectWhere(
      c,
      `s.unit_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unit u WHERE u.unit_code = s.unit_code)`,
      `'未知房源编号: ' || s.unit_code`,
    );
    // A recorded handover ends the occupation (registry.md): a row that still says 在保 in the unit
    // handed over (for a lease that began on or before the handover) conflicts with it. The
    // handover stands; the row is reported.
    rejected.push(
      ...(await rejectWhere(
        c,
        `s.status = 'active' AND EXISTS (
           SELECT 1 FROM household h JOIN handover ho ON ho.household_id = h.id JOIN unit u ON u.id = ho.unit_id
            WHERE h.household_code = s.household_code AND u.unit_code = s.unit_code
              AND (s.lease_start IS NULL OR ho.handed_over_on >= s.lease_start))`,
        `'与已登记的腾退交房冲突: ' || s.household_code || ' 已于 ' ||
           (SELECT max(ho.handed_over_on)::text FROM household h JOIN handover ho ON ho.household_id = h.id JOIN unit u ON u.id = ho.unit_id
             WHERE h.household_code = s.household_code AND u.unit_code = s.unit_code) ||
           ' 交还房源 ' || s.unit_code || '，台账仍为在保；以交房记录为准，请核对台账'`,
      )),
    );
    const cols = ['household_code', 'status', 'category', 'unit_id', 'lease_start', 'lease_end', 'queued_on'];
    const r = await upsert(
      c,
      'household',
      cols,
      `SELECT s.household_code, s.status, s.category, u.id, s.lease_start, s.lease_end, s.queued_on
         FROM stage s LEFT JOIN unit u ON u.unit_code = s.unit_code`,
      ['household_code'],
      cols.slice(1),
    );
    return { ...r, rejected };
  },

  /**
   * members.csv lists the members of the households it names: for those households it replaces
   * the member list (a member absent from the file is removed). A household with a rejected row,
   * or whose rows do not name exactly one 承租人, is rejected whole and keeps its current members.
   */
  async members(c) {
    const rejected = await unknownHousehold(c);
    rejected.push(
      ...(await rejectWhere(
        c,
        `s.household_code IN (SELECT group_code FROM held)`,
        `'同户有被拒收的成员行（第' || (SELECT string_agg(h.line::text, '、' ORDER BY h.line) FROM held h WHERE h.group_code = s.household_code)
           || '行），该户成员保持不变'`,
      )),
    );
    rejected.push(
      ...(await rejectWhere(
        c,
        `s.household_code IN (SELECT household_code FROM stage GROUP BY household_code
                               HAVING count(*) FILTER (WHERE relation = 'tenant') <> 1)`,
        `CASE WHEN (SELECT count(*) FROM stage x WHERE x.household_code = s.household_code AND x.relation = 'tenant') = 0
              THEN '家庭没有承租人（每户须恰有一名承租人）: ' || s.household_code
              ELSE '家庭有两名及以上承租人（每户须恰有一名承租人）: ' || s.household_code END`,
      )),
    );
    await c.query(
      `INSERT INTO person (id_no, name, birth_date, sex)
       SELECT DISTINCT ON (id_no) id_no, name, birth_date, sex FROM stage ORDER BY id_no, line DESC
       ON CONFLICT (id_no) DO UPDATE SET name = excluded.name WHERE person.name IS DISTINCT FROM excluded.name`,
    );
    const del = await c.query(
      `DELETE FROM member m USING household h
        WHERE m.household_id = h.id
          AND h.household_code IN (SELECT household_code FROM stage)
          AND NOT EXISTS (SELECT 1 FROM stage s JOIN person p ON p.id_no = s.id_no
                           WHERE s.household_code = h.household_code AND p.id = m.person_id)`,
    );
    const r = await upsert(
      c,
      'member',
      ['household_id', 'person_id', 'relation', 'name'],
      `SELECT h.id, p.id, s.relation, s.name FROM stage s
         JOIN household h ON h.household_code = s.household_code JOIN person p ON p.id_no = s.id_no`,
      ['household_id', 'person_id'],
      ['relation', 'name'],
    );
    return { ...r, deleted: del.rowCount ?? 0, rejected };
  },

  async declarations(c) {
    const rejected = await unknownHousehold(c);
    rejected.push(
      ...(await rejectWhere(c, `NOT EXISTS (SELECT 1 FROM person p WHERE p.id_no = s.id_no)`, `'申报人不在家庭成员台账中'`)),
    );
    const r = await upsert(
      c,
      'declaration',
      ['household_id', 'person_id', 'matter', 'declared_on', 'note'],
      `SELECT h.id, p.id, s.matter, s.declared_on, s.note FROM stage s
         JOIN household h ON h.household_code = s.household_code JOIN person p ON p.id_no = s.id_no`,
      ['household_id', 'person_id', 'matter', 'declared_on'],
      ['note'],
    );
    return { ...r, rejected };
  },

  async arrears(c) {
    const rejected = await unknownHousehold(c);
    const r = await upsert(
      c,
      'arrears',
      ['household_id', 'months_in_arrears', 'amount', 'as_of'],
      `SELECT h.id, s.months_in_arrears, s.amount, s.as_of FROM stage s JOIN household h ON h.household_code = s.household_code`,
      ['household_id', 'as_of'],
      ['months_in_arrears', 'amount'],
    );
    return { ...r, rejected };
  },

  async handovers(c) {
    const rejected = await unknownHousehold(c);
    rejected.push(
      ...(await rejectWhere(c, `NOT EXISTS (SELECT 1 FROM unit u WHERE u.unit_code = s.unit_code)`, `'未知房源编号: ' || s.unit_code`)),
    );
    const r = await upsert(
      c,
      'handover',
      ['household_id', 'unit_id', 'handed_over_on'],
      `SELECT h.id, u.id, s.handed_over_on FROM stage s
         JOIN household h ON h.household_code = s.household_code JOIN unit u ON u.unit_code = s.unit_code`,
      ['household_id', 'unit_id', 'handed_over_on'],
      [],
    );
    // A handover of the unit a 在保 household holds ends its occupation, in this transaction: the
    // household is 已退出 (it keeps its unit; its case closes as exited at the next cases pass).
    await c.query(
      `UPDATE household h SET status = 'exited', updated_at = now()
         FROM stage s JOIN unit u ON u.unit_code = s.unit_code
        WHERE h.household_code = s.household_code AND h.status = 'active' AND h.unit_id = u.id
          AND (h.lease_start IS NULL OR s.handed_over_on >= h.lease_start)`,
    );
    return { ...r, rejected };
  },
};
