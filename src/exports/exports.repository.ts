import { Injectable } from '@nestjs/common';
import { SqlFilter } from '../common/sql-filter';
import { type Scope, whereInScope } from '../auth/scope';
import { DatabaseService } from '../database/database.service';

export interface ExportFilter {
  project?: string;
  town?: string;
  nature?: 'eligibility' | 'violation';
}

/** Rows a keyset query fetches at a time. */
const BATCH = 2000;

/** A row of the 应退未退整改情况表 (dates as text; `days` past the deadline on the day asked). */
export interface OverdueRow {
  id: string;
  project_name: string | null;
  address_text: string | null;
  tenant_name: string | null;
  tenant_id_no: string | null;
  members: number;
  nature: string | null;
  rules: string[] | null;
  confirmed_at: string | null;
  notice_at: string | null;
  deadline: string | null;
  days: number | null;
  declared: boolean;
  note: string | null;
  measures: string | null;
  progress: string | null;
}

/** A row of 问题整改清单: a case with its open findings' names and explanations joined. */
export interface CaseListRow {
  id: string;
  household_code: string;
  project_name: string | null;
  town: string | null;
  address_text: string | null;
  tenant_name: string | null;
  tenant_id_no: string | null;
  kind: string;
  status: string;
  nature: string | null;
  declared: boolean;
  confirmed_at: string | null;
  deadline: string | null;
  outcome: string | null;
  problems: string | null;
  explanations: string | null;
}

/** A row of 成果清单: a town, project or rule (k), and its counts. */
export interface SummaryRow {
  k: string;
  found: number;
  confirmed: number;
  dismissed: number;
  exited: number;
  overdue: number;
}

/** What 成果清单 counts by. */
export type SummaryDimension = 'town' | 'project' | 'rule';

const CASE_JOINS = `FROM "case" c JOIN household h ON h.id = c.household_id
        LEFT JOIN unit u ON u.id = h.unit_id LEFT JOIN project p ON p.id = u.project_id`;
const TENANT = `LEFT JOIN LATERAL (SELECT coalesce(m.name, pe.name) AS name, pe.id_no FROM member m JOIN person pe ON pe.id = m.person_id
                            WHERE m.household_id = h.id AND m.relation = 'tenant' LIMIT 1) t ON true`;

const OVERDUE_SQL = (and: string) => `
      SELECT c.id, p.name AS project_name, u.address_text, t.name AS tenant_name, t.id_no AS tenant_id_no,
             (SELECT count(*)::int FROM member m WHERE m.household_id = h.id) AS members, c.nature,
             (SELECT array_agg(rule_code ORDER BY rule_code) FROM case_finding cf WHERE cf.case_id = c.id AND cf.status = 'open') AS rules,
             c.confirmed_at::text AS confirmed_at, c.notice_at::text AS notice_at, c.deadline::text AS deadline, ($2::date - c.deadline) AS days,
             c.declared, c.note,
             (SELECT string_agg(DISTINCT cm.measure, '、') FROM case_measure cm WHERE cm.case_id = c.id) AS measures,
             (SELECT cm.taken_on::text || ' ' || cm.progress FROM case_measure cm WHERE cm.case_id = c.id ORDER BY cm.id DESC LIMIT 1) AS progress
        ${CASE_JOINS}
        ${TENANT}
       WHERE c.status = 'overdue' AND c.id > $1${and}
       ORDER BY c.id LIMIT ${BATCH}`;

const CASE_LIST_SQL = (and: string) => `
      SELECT c.id, h.household_code, p.name AS project_name, p.town, u.address_text, t.name AS tenant_name, t.id_no AS tenant_id_no,
             c.kind, c.status, c.nature, c.declared, c.confirmed_at::text AS confirmed_at, c.deadline::text AS deadline, c.outcome,
             (SELECT string_agg(cf.evidence->>'name', '、' ORDER BY cf.rule_code) FROM case_finding cf WHERE cf.case_id = c.id AND cf.status = 'open') AS problems,
             (SELECT string_agg(cf.evidence->>'explanation', '；' ORDER BY cf.rule_code) FROM case_finding cf WHERE cf.case_id = c.id AND cf.status = 'open') AS explanations
        ${CASE_JOINS}
        ${TENANT}
       WHERE c.id > $1${and} ORDER BY c.id LIMIT ${BATCH}`;

const SUMMARY_MEASURES = `count(*)::int AS found, count(c.confirmed_at)::int AS confirmed, count(*) FILTER (WHERE c.outcome = 'dismissed')::int AS dismissed,
                      count(*) FILTER (WHERE c.outcome = 'exited')::int AS exited, count(*) FILTER (WHERE c.status = 'overdue')::int AS overdue`;
const SUMMARY_SQL: Record<SummaryDimension, (where: string) => string> = {
  town: (where) => `SELECT coalesce(p.town, '（轮候）') AS k, ${SUMMARY_MEASURES} ${CASE_JOINS}${where} GROUP BY 1 ORDER BY 1`,
  project: (where) => `SELECT coalesce(p.name, '（轮候）') AS k, ${SUMMARY_MEASURES} ${CASE_JOINS}${where} GROUP BY 1 ORDER BY 1`,
  rule: (where) => `SELECT cf.rule_code AS k, ${SUMMARY_MEASURES} ${CASE_JOINS} JOIN case_finding cf ON cf.case_id = c.id${where} GROUP BY 1 ORDER BY 1`,
};

/**
 * The exports' reads: cases with their households, projects, tenants, findings and measures, in
 * id order and BATCH rows at a time (keyset, so an export of any size holds one batch in memory),
 * and the summary counts. Each batch is its own query on the pool: nothing is read before the
 * caller iterates, so the caller's audit entry commits before the first query.
 */
@Injectable()
export class ExportsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** The overdue cases (应退未退) matching the filter; `on` is the day the days overdue count to. */
  overdue(filter: ExportFilter, on: string, scope: Scope | undefined): AsyncGenerator<OverdueRow> {
    const f = exportFilter(filter, scope, on);
    return this.batches<OverdueRow>(OVERDUE_SQL(f.and), f.params);
  }

  /** Every case matching the filter, for 问题整改清单. */
  caseList(filter: ExportFilter, scope: Scope | undefined): AsyncGenerator<CaseListRow> {
    const f = exportFilter(filter, scope);
    return this.batches<CaseListRow>(CASE_LIST_SQL(f.and), f.params);
  }

  /** 成果清单's counts by town, project or rule. */
  async summary(by: SummaryDimension, scope: Scope | undefined): Promise<SummaryRow[]> {
    const f = whereInScope(new SqlFilter(), scope);
    return (await this.db.pool.query<SummaryRow>(SUMMARY_SQL[by](f.where), f.params)).rows;
  }

  /** Rows in id order, fetched BATCH at a time (keyset): $1 of the query is the last id seen. */
  private async *batches<R extends { id: string }>(sql: string, params: unknown[]): AsyncGenerator<R> {
    let last = '0';
    for (;;) {
      const { rows } = await this.db.pool.query<R>(sql, [last, ...params.slice(1)]);
      for (const r of rows) yield r;
      if (rows.length < BATCH) return;
      last = String(rows[rows.length - 1].id);
    }
  }
}

/** The export filter; `leading` parameters come first, $1 being the keyset position. */
function exportFilter(f: ExportFilter, scope: Scope | undefined, ...leading: unknown[]): SqlFilter {
  const sql = whereInScope(new SqlFilter(['0', ...leading]), scope);
  if (f.project) sql.add('p.project_code = ?', f.project);
  if (f.town) sql.add('p.town = ?', f.town);
  if (f.nature) sql.add('c.nature = ?', f.nature);
  return sql;
}
