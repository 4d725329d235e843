import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { Disclosure } from '../auth/disclosure';
import { today } from '../common/clock';
import { RULE_NAMES, RuleCode } from '../eligibility/rules/rule';
import { STATUS_LABEL, CaseStatus } from '../cases/case-machine';
import { csvCell } from './csv-cell';
import { ExportFilter, ExportsRepository, SummaryDimension } from './exports.repository';

export type { ExportFilter } from './exports.repository';

export type ExportFormat = 'xlsx' | 'csv';

/** The columns of the 应退未退整改情况表, in the order of policy.md section D. */
export const OVERDUE_COLUMNS = ['序号', '项目名称', '房屋坐落', '承租人', '身份证号', '家庭人数', '退出性质', '退出原因', '认定日期', '通知日期', '应退日期', '逾期天数', '是否主动申报', '整改措施', '整改进展', '备注'];
export const CASE_LIST_COLUMNS = ['序号', '案件编号', '家庭编号', '项目名称', '所属镇街', '房屋坐落', '承租人', '身份证号', '案件类型', '问题', '问题说明', '状态', '退出性质', '是否主动申报', '认定日期', '应退日期', '结案结果'];
export const SUMMARY_COLUMNS = ['统计维度', '名称', '发现问题', '已认定', '误报排除', '已腾退', '应退未退'];

const OUTCOME: Record<string, string> = { dismissed: '误报排除', exited: '已腾退', resolved: '问题已消除', overturned: '复核撤销', removed_from_waiting: '取消轮候资格', tenant_changed: '承租人变更' };

/** The client went away (or the stream broke) before the export was complete. */
export class ExportAborted extends Error {
  constructor() {
    super('export aborted: the output stream closed before the end');
  }
}

/** Where an export goes: a stream, and what to do right before its first byte (HTTP headers). */
export interface ExportTarget {
  out: Writable;
  /** Called once, after the audit row has committed and before any row is written. */
  begin?: () => void;
}

/** Writes rows as a streamed XLSX (first sheet) or CSV (UTF-8 with BOM, for Excel). */
class TableWriter {
  /** Data rows handed to the stream so far (the header not counted). */
  written = 0;
  private wb?: ExcelJS.stream.xlsx.WorkbookWriter;
  private sheet?: ExcelJS.Worksheet;

  constructor(
    private readonly out: Writable,
    private readonly format: ExportFormat,
    sheetName: string,
    headers: string[],
  ) {
    if (format === 'xlsx') {
      this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
      this.sheet = this.wb.addWorksheet(sheetName);
      this.sheet.addRow(headers).commit();
    } else {
      out.write('\uFEFF' + headers.map(csvCell).join(',') + '\r\n');
    }
  }

  async row(values: (string | number | null)[]): Promise<void> {
    if (this.out.destroyed) throw new ExportAborted();
    this.written++;
    if (this.sheet) this.sheet.addRow(values).commit();
    else if (!this.out.write(values.map(csvCell).join(',') + '\r\n')) await drained(this.out);
  }

  async close(): Promise<void> {
    if (this.out.destroyed) throw new ExportAborted();
    if (this.wb) {
      this.sheet!.commit();
      await this.wb.commit();
    } else {
      this.out.end();
      await once(this.out, 'finish');
    }
  }
}

/** Waits for room in the stream; a stream that closes instead (client gone) aborts the export. */
async function drained(out: Writable): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal }).then(() => Promise.reject(new ExportAborted()))]);
  } finally {
    ac.abort();
  }
}

/** The exports the bureau files upward; streamed in batches, never held whole in memory. */
@Injectable()
export class ExportsService {
  constructor(
    private readonly repo: ExportsRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Runs an export under the audit trail: the request (filter, reveal, purpose) is recorded and
   * committed before the first byte leaves; when the stream ends, a second entry pointing to the
   * first records the outcome (complete, aborted by the client, or failed) and the rows sent.
   * The audit log stays append-only: nothing is updated.
   */
  private async audited(
    target: Writable | ExportTarget,
    format: ExportFormat,
    sheet: string,
    headers: string[],
    audit: { actor: Actor; action: string; detail: Record<string, unknown>; purpose?: string | null },
    write: (table: TableWriter) => Promise<number>,
  ): Promise<number> {
    const { out, begin } = target instanceof Writable ? { out: target, begin: undefined } : target;
    const requestId = await this.audit.record(audit.actor, audit.action, 'export', null, { format, ...audit.detail }, audit.purpose);
    begin?.();
    let table: TableWriter | undefined;
    let outcome: 'complete' | 'aborted' | 'failed' = 'complete';
    let failed = false;
    let failure: unknown = null;
    try {
      table = new TableWriter(out, format, sheet, headers);
      await write(table);
      await table.close();
    } catch (err) {
      outcome = err instanceof ExportAborted || out.destroyed ? 'aborted' : 'failed';
      failed = true;
      failure = err;
    }
    const rows = table?.written ?? 0;
    await this.audit.record(audit.actor, `${audit.action}.end`, 'export', String(requestId), { request: String(requestId), outcome, rows }, audit.purpose);
    if (failed) {
      out.destroy();
      throw failure;
    }
    return rows;
  }

  /** 应退未退整改情况表. */
  async overdue(out: Writable | ExportTarget, format: ExportFormat, filter: ExportFilter, actor: Actor, disclosure: Disclosure, on = today()): Promise<number> {
    const action = disclosure.reveal ? 'export.overdue.reveal' : 'export.overdue';
    return this.audited(out, format, '应退未退整改情况表', OVERDUE_COLUMNS, { actor, action, detail: { filter, on, reveal: disclosure.reveal }, purpose: disclosure.purpose }, async (table) => {
      let n = 0;
      for await (const r of this.repo.overdue(filter, on, actor.scope)) {
        n++;
        await table.row([
          n,
          r.project_name,
          r.address_text,
          r.tenant_name,
          disclosure.idNo(r.tenant_id_no),
          r.members,
          r.nature === 'eligibility' ? '资格不符退出' : '违规退出',
          (r.rules ?? []).map((c) => RULE_NAMES[c as RuleCode] ?? c).join('、'),
          r.confirmed_at,
          r.notice_at,
          r.deadline,
          r.days,
          r.declared ? '是' : '否',
          r.measures ?? '',
          r.progress ?? '',
          r.note ?? '',
        ]);
      }
      return n;
    });
  }

  /** 问题整改清单: every case with its findings and status. */
  async caseList(out: Writable | ExportTarget, format: ExportFormat, filter: ExportFilter, actor: Actor, disclosure: Disclosure): Promise<number> {
    const action = disclosure.reveal ? 'export.cases.reveal' : 'export.cases';
    return this.audited(out, format, '问题整改清单', CASE_LIST_COLUMNS, { actor, action, detail: { filter, reveal: disclosure.reveal }, purpose: disclosure.purpose }, async (table) => {
      let n = 0;
      const kind: Record<string, string> = { exit: '退出', waiting_removal: '取消轮候', tenant_change: '承租人变更' };
      for await (const r of this.repo.caseList(filter, actor.scope)) {
        n++;
        await table.row([
          n, String(r.id), r.household_code, r.project_name, r.town, r.address_text, r.tenant_name,
          disclosure.idNo(r.tenant_id_no), kind[r.kind], r.problems ?? '', r.explanations ?? '',
          STATUS_LABEL[r.status as CaseStatus], r.nature === 'eligibility' ? '资格不符退出' : r.nature === 'violation' ? '违规退出' : '',
          r.declared ? '是' : '否', r.confirmed_at ?? '', r.deadline ?? '', OUTCOME[r.outcome ?? ''] ?? '',
        ]);
      }
      return n;
    });
  }

  /** 成果清单: counts by town, project and rule: found, confirmed, dismissed, exited, overdue. */
  async summary(out: Writable | ExportTarget, format: ExportFormat, actor: Actor): Promise<number> {
    const groups: [string, SummaryDimension][] = [
      ['镇街', 'town'],
      ['项目', 'project'],
      ['问题', 'rule'],
    ];
    return this.audited(out, format, '成果清单', SUMMARY_COLUMNS, { actor, action: 'export.summary', detail: {} }, async (table) => {
      let n = 0;
      for (const [dim, by] of groups) {
        for (const r of await this.repo.summary(by, actor.scope)) {
          n++;
          await table.row([dim, dim === '问题' ? (RULE_NAMES[r.k as RuleCode] ?? r.k) : r.k, r.found, r.confirmed, r.dismissed, r.exited, r.overdue]);
        }
      }
      return n;
    });
  }
}
