import { AdvisoryLock } from '../common/advisory-locks';
import { Injectable, Logger } from '@nestjs/common';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PoolClient } from 'pg';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { copyRows } from '../database/copy';
import { maskText } from '../common/masking';
import { DatabaseService } from '../database/database.service';
import { detached, FileFormatError, openTabular } from '../common/tabular';
import { storableJson, storableText, textIssue } from '../common/value-limits';
import { cleanText } from '../common/values';
import { AppConfig } from '../config/config';
import { LEDGER_FILES, LEDGER_ORDER, LedgerDefinition, LedgerKind, ledgerKindOf, missingColumns } from './ledger-files';

export interface Rejection {
  line: number;
  reason: string;
  raw: Record<string, unknown>;
}

export interface FileReport {
  file: string;
  kind: LedgerKind | null;
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  rejected: number;
  rejections: { line: number; reason: string }[];
  /** Set when the whole file could not be read (then nothing of it was loaded). */
  error?: string;
}

export interface ImportReport {
  batchId: number;
  files: FileReport[];
}

interface Applied {
  inserted: number;
  updated: number;
  deleted?: number;
  rejected: Rejection[];
}


/**
 * Loads the bureau's ledger files (registry.md) in sets: each file is streamed, validated row by
 * row in memory, COPYed into a temporary staging table and merged with one statement per target
 * table, in one transaction per file. Rejected rows are stored with file, line and reason.
 */
@Injectable()
export class RegistryImportService {
  private readonly log = new Logger('registry-import');

  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Imports every ledger file found in `dir` (others are listed as skipped). */
  async importDirectory(dir: string, actor: Actor): Promise<ImportReport> {
    const names = (await readdir(dir)).filter((n) => /\.(csv|xlsx)$/i.test(n)).sort();
    return this.importFiles(names.map((n) => ({ path: join(dir, n), name: n })), actor);
  }

  /**
   * One batch: each file all-or-nothing in its own transaction. The batch is always closed
   * (finishedAt, summary) and audited, whatever happened to its files.
   */
  async importFiles(files: { path: string; name: string }[], actor: Actor): Promise<ImportReport> {
    const batch = await this.db.prisma.importBatch.create({ data: { kind: 'registry', actor: actor.name } });
    const ordered = [...files].sort((a, b) => rank(a.name) - rank(b.name));
    const reports: FileReport[] = [];
    try {
      for (const f of ordered) reports.push(await this.importOne(batch.id, f));
    } finally {
      await this.closeBatch(batch.id, reports, actor);
    }
    return { batchId: batch.id, files: reports };
  }

  private async closeBatch(batchId: number, reports: FileReport[], actor: Actor): Promise<void> {
    const summary = reports.map(withoutRejections);
    await this.db.prisma.importBatch.update({ where: { id: batchId }, data: { finishedAt: new Date(), summary } });
    await this.audit.record(actor, 'registry.import', 'import_batch', String(batchId), { files: summary });
  }

  /** One file's report; an unexpected failure is that file's error (nothing of it loaded), never the batch's. */
  private async importOne(batchId: number, f: { path: string; name: string }): Promise<FileReport> {
    const kind = ledgerKindOf(f.name);
    if (!kind) return emptyReport(f.name, null, `不是台账文件（应为 ${LEDGER_ORDER.join('/')}.csv 或 .xlsx）`);
    const name = basename(f.name);
    try {
      return await this.importFile(batchId, f.path, name, LEDGER_FILES[kind]);
    } catch (err) {
      const reason = fileErrorReason(err);
      if (!(err instanceof FileFormatError)) this.log.error(`${name}: ${maskText((err as Error)?.stack ?? String(err))}`);
      return emptyReport(name, kind, reason);
    }
  }

  private async importFile(batchId: number, path: string, name: string, def: LedgerDefinition): Promise<FileReport> {
    const started = Date.now();
    const file = await openTabular(path, this.config.tabularLimits);
    const missing = missingColumns(def, file.headers);
    if (missing.length) return emptyReport(name, def.kind, `缺少必需的列: ${missing.join('、')}`);

    const rejected: Rejection[] = [];
    let received = 0;
    const applied = await this.db.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.RegistryImport]);
      const stageCols = def.stage.map((s) => `"${s.name}" ${s.type}`).join(', ');
      await c.query(`CREATE TEMP TABLE stage (line int NOT NULL, raw jsonb NOT NULL, ${stageCols}) ON COMMIT DROP`);
      const seen = new Map<string, number>();
      const rows = file.rows;
      async function* valid() {
        for await (const { line, values, defect } of rows) {
          received++;
          if (defect) {
            // A cell the reader could not take (control character, U+FFFD, over-long): this row only.
            rejected.push({ line, reason: defect, raw: keptRaw(values) });
            continue;
          }
          const r = def.parse(values);
          if (!r.ok) {
            rejected.push({ line, reason: r.reasons.join('；'), raw: keptRaw(values) });
            continue;
          }
          const first = seen.get(r.key);
          if (first !== undefined) {
            rejected.push({ line, reason: `文件内重复记录（与第${first}行的键相同）`, raw: keptRaw(values) });
            continue;
          }
          seen.set(detached(r.key), line);
          yield [line, storableJson(values), ...def.stage.map((s) => r.row[s.name])];
        }
      }
      await copyRows(c, 'stage', ['line', 'raw', ...def.stage.map((s) => s.name)], valid());
      await c.query('ANALYZE stage');
      await stageHeldGroups(c, def, rejected);
      const out = await APPLY[def.kind](c);
      const all = [...rejected, ...out.rejected].sort((a, b) => a.line - b.line);
      await storeRejections(c, batchId, name, all);
      return { ...out, rejected: all };
    });
    const accepted = received - applied.rejected.length;
    const report: FileReport = {
      file: name,
      kind: def.kind,
      received,
      inserted: applied.inserted,
      updated: applied.updated,
      unchanged: Math.max(0, accepted - applied.inserted - applied.updated),
      deleted: applied.deleted ?? 0,
      rejected: applied.rejected.length,
      rejections: applied.rejected.map(({ line, reason }) => ({ line, reason: maskText(reason) })),
    };
    this.log.log(`${name}: ${received} rows, +${report.inserted} ~${report.updated} -${report.deleted} ✗${report.rejected} in ${Date.now() - started} ms`);
    return report;
  }
}

function rank(name: string): number {
  const k = ledgerKindOf(name);
  return k ? LEDGER_ORDER.indexOf(k) : LEDGER_ORDER.length;
}

function emptyReport(file: string, kind: LedgerKind | null, error: string): FileReport {
  return { file, kind, received: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0, rejections: [], error };
}

/** Why a whole file was not loaded, for the bureau (an unexpected error's text is masked and cut). */
function fileErrorReason(err: unknown): string {
  if (err instanceof FileFormatError) return err.reason;
  const message = maskText(storableText((err as Error)?.message ?? String(err))).slice(0, 200);
  if (/csv|parse|Invalid|Quote/i.test(message)) return `文件格式错误: ${message}`;
  return `导入失败（内部错误，整个文件未导入）: ${message}`;
}

/** A file's report for the batch summary: its rejected rows are kept in their own table. */
function withoutRejections(report: FileReport): Omit<FileReport, 'rejections'> {
  const rest: Partial<FileReport> = { ...report };
  delete rest.rejections;
  return rest as Omit<FileReport, 'rejections'>;
}

/** A rejected row as kept: detached from the file's text, storable, long cells cut. */
const keptRaw = (values: Record<string, unknown>): Record<string, unknown> => JSON.parse(storableJson(values)) as Record<string, unknown>;

/**
 * For a ledger whose rows replace a set (members.csv: a household's member list), the groups with
 * a row rejected while parsing: they keep what is stored, whole (a rejected member must not look absent).
 */
async function stageHeldGroups(c: PoolClient, def: LedgerDefinition, rejected: Rejection[]): Promise<void> {
  if (!def.replacesBy) return;
  await c.query(`CREATE TEMP TABLE held (group_code text NOT NULL, line int NOT NULL) ON COMMIT DROP`);
  const rows: [string, number][] = [];
  for (const r of rejected) {
    const code = cleanText(r.raw[def.replacesBy]);
    if (code !== null && !textIssue(code)) rows.push([code, r.line]);
  }
  await copyRows(c, 'held', ['group_code', 'line'], rows);
}

async function storeRejections(c: PoolClient, batchId: number, fileName: string, rows: Rejection[]): Promise<void> {
  if (!rows.length) return;
  await copyRows(
    c,
    'import_rejection',
    ['batch_id', 'file_name', 'line', 'reason', 'raw'],
    rows.map((r) => [batchId, storableText(fileName), r.line, maskText(storableText(r.reason)), storableJson(r.raw)]),
  );
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
