import { Injectable } from '@nestjs/common';
import { Writable } from 'node:stream';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { Disclosure } from '../auth/disclosure';
import { today } from '../common/clock';
import { AppConfig } from '../config/config';
import { RULE_NAMES, RuleCode } from '../eligibility/rules/rule';
import { STATUS_LABEL, CaseStatus } from '../cases/case-machine';
import { ExportFilter, ExportsRepository, SummaryDimension } from './exports.repository';
import { CASE_LIST_FORM, OVERDUE_FORM, SUMMARY_FORM } from './forms';
import { FormColumn } from './printed-form';
import { ExportAborted, ExportFormat, TableWriter } from './table-writer';

export type { ExportFilter } from './exports.repository';
export { ExportAborted, type ExportFormat } from './table-writer';

/** The columns of the 应退未退整改情况表, in the order of policy.md section D. */
export const OVERDUE_COLUMNS = OVERDUE_FORM.map((c) => c.header);
export const CASE_LIST_COLUMNS = CASE_LIST_FORM.map((c) => c.header);
export const SUMMARY_COLUMNS = SUMMARY_FORM.map((c) => c.header);

const OUTCOME: Record<string, string> = { dismissed: '误报排除', exited: '已腾退', resolved: '问题已消除', overturned: '复核撤销', removed_from_waiting: '取消轮候资格', tenant_changed: '承租人变更' };

/** Where an export goes: a stream, and what to do right before its first byte (HTTP headers). */
export interface ExportTarget {
  out: Writable;
  /** Called once, after the audit row has committed and before any row is written. */
  begin?: () => void;
}

/** The exports the bureau files upward; streamed in batches, never held whole in memory. */
@Injectable()
export class ExportsService {
  constructor(
    private readonly repo: ExportsRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
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
    form: { title: string; columns: FormColumn[] },
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
      table = new TableWriter(out, format, { title: form.title, unit: this.config.bureauName, date: today() }, form.columns);
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

  /**
   * Any list as an audited export laid out like the other forms (another module's rows: the
   * simulation's changed households). The request entry commits before the first row is read.
   */
  async table(
    target: Writable | ExportTarget,
    format: ExportFormat,
    form: { title: string; columns: FormColumn[] },
    audit: { actor: Actor; action: string; detail: Record<string, unknown> },
    rows: () => AsyncIterable<(string | number | null)[]>,
  ): Promise<number> {
    return this.audited(target, format, form, audit, async (table) => {
      for await (const r of rows()) await table.row(r);
      return table.written;
    });
  }

  /** 应退未退整改情况表. */
  async overdue(out: Writable | ExportTarget, format: ExportFormat, filter: ExportFilter, actor: Actor, disclosure: Disclosure, on = today()): Promise<number> {
    const action = disclosure.reveal ? 'export.overdue.reveal' : 'export.overdue';
    return this.audited(out, format, { title: '公租房应退未退整改情况表', columns: OVERDUE_FORM }, { actor, action, detail: { filter, on, reveal: disclosure.reveal }, purpose: disclosure.purpose }, async (table) => {
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
    return this.audited(out, format, { title: '公租房问题整改清单', columns: CASE_LIST_FORM }, { actor, action, detail: { filter, reveal: disclosure.reveal }, purpose: disclosure.purpose }, async (table) => {
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
    return this.audited(out, format, { title: '公租房租后资格复核成果清单', columns: SUMMARY_FORM }, { actor, action: 'export.summary', detail: {} }, async (table) => {
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
