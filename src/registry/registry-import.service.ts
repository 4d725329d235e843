import { Injectable, Logger } from '@nestjs/common';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { maskText } from '../common/masking';
import { DatabaseService } from '../database/database.service';
import { detached, FileFormatError, openTabular } from '../common/tabular';
import { storableJson, storableText, textIssue } from '../common/value-limits';
import { cleanText } from '../common/values';
import { AppConfig } from '../config/config';
import { LEDGER_FILES, LEDGER_ORDER, LedgerDefinition, LedgerKind, ledgerKindOf, missingColumns } from './ledger-files';
import { LedgerRepository, Rejection } from './ledger.repository';

export type { Rejection } from './ledger.repository';

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

/** The rows read so far of the file being imported (called every few thousand rows, not per row). */
export type ImportProgress = (p: { file: string; fileNo: number; files: number; rows: number }) => void;

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
    private readonly ledger: LedgerRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Imports every ledger file found in `dir` (others are listed as skipped). */
  async importDirectory(dir: string, actor: Actor, onProgress?: ImportProgress): Promise<ImportReport> {
    const names = (await readdir(dir)).filter((n) => /\.(csv|xlsx)$/i.test(n)).sort();
    return this.importFiles(names.map((n) => ({ path: join(dir, n), name: n })), actor, onProgress);
  }

  /**
   * One batch: each file all-or-nothing in its own transaction. The batch is always closed
   * (finishedAt, summary) and audited, whatever happened to its files.
   */
  async importFiles(files: { path: string; name: string }[], actor: Actor, onProgress?: ImportProgress): Promise<ImportReport> {
    const batch = await this.db.prisma.importBatch.create({ data: { kind: 'registry', actor: actor.name } });
    const ordered = [...files].sort((a, b) => rank(a.name) - rank(b.name));
    const reports: FileReport[] = [];
    try {
      for (const [i, f] of ordered.entries()) {
        const tell = onProgress && ((rows: number) => onProgress({ file: basename(f.name), fileNo: i + 1, files: ordered.length, rows }));
        tell?.(0);
        reports.push(await this.importOne(batch.id, f, actor, tell));
        tell?.(reports[reports.length - 1].received);
      }
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
  private async importOne(batchId: number, f: { path: string; name: string }, actor: Actor, tell?: (rows: number) => void): Promise<FileReport> {
    const kind = ledgerKindOf(f.name);
    if (!kind) return emptyReport(f.name, null, `不是台账文件（应为 ${LEDGER_ORDER.join('/')}.csv 或 .xlsx）`);
    const name = basename(f.name);
    try {
      return await this.importFile(batchId, f.path, name, LEDGER_FILES[kind], actor, tell);
    } catch (err) {
      const reason = fileErrorReason(err);
      if (!(err instanceof FileFormatError)) this.log.error(`${name}: ${maskText((err as Error)?.stack ?? String(err))}`);
      return emptyReport(name, kind, reason);
    }
  }

  /**
   * One file in one transaction: its staged rows merged, its rejections stored, and its audit entry
   * (`registry.import.file`, the file's figures), so the change and its entry commit together. The
   * batch's own entry (`registry.import`) follows once every file is done.
   */
  private async importFile(batchId: number, path: string, name: string, def: LedgerDefinition, actor: Actor, tell?: (rows: number) => void): Promise<FileReport> {
    const started = Date.now();
    const file = await openTabular(path, this.config.tabularLimits);
    const missing = missingColumns(def, file.headers);
    if (missing.length) return emptyReport(name, def.kind, `缺少必需的列: ${missing.join('、')}`);

    const rejected: Rejection[] = [];
    let received = 0;
    const applied = await this.db.tx(async (c) => {
      await this.ledger.openStage(c, def);
      const seen = new Map<string, number>();
      const rows = file.rows;
      async function* valid() {
        for await (const { line, values, defect } of rows) {
          if (++received % 5000 === 0) tell?.(received);
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
      await this.ledger.fillStage(c, def, valid());
      if (def.replacesBy) await this.ledger.stageHeldGroups(c, heldGroups(def.replacesBy, rejected));
      const out = await this.ledger.merge(c, def.kind);
      const all = [...rejected, ...out.rejected].sort((a, b) => a.line - b.line);
      await this.ledger.storeRejections(c, batchId, name, all);
      await this.audit.recordIn(c, actor, 'registry.import.file', 'import_batch', String(batchId), {
        file: name,
        kind: def.kind,
        received,
        inserted: out.inserted,
        updated: out.updated,
        deleted: out.deleted ?? 0,
        rejected: all.length,
      });
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
 * a row rejected while parsing, by the `replacesBy` cell: they keep what is stored, whole (a
 * rejected member must not look absent).
 */
function heldGroups(replacesBy: string, rejected: Rejection[]): [string, number][] {
  const rows: [string, number][] = [];
  for (const r of rejected) {
    const code = cleanText(r.raw[replacesBy]);
    if (code !== null && !textIssue(code)) rows.push([code, r.line]);
  }
  return rows;
}
