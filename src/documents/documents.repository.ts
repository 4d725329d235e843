import { Injectable } from '@nestjs/common';
import type { Scope } from '../auth/scope';
import { whereInScope } from '../auth/scope';
import { SqlFilter } from '../common/sql-filter';
import { DatabaseService } from '../database/database.service';
import type { BatchFilter } from './batches.repository';
import { DocumentKind, KIND_ACTION, REMINDER_MEASURE } from './document-kinds';

/** What a notice says about its case: the household, the tenant (full ID number), the dates. */
export interface NoticeCaseRow {
  id: string;
  household_code: string;
  nature: string | null;
  tenant_name: string | null;
  tenant_id_no: string | null;
  address_text: string | null;
  project_name: string | null;
  town: string | null;
  confirmed_at: string | null;
  contest_deadline: string | null;
  notice_at: string | null;
  deadline: string | null;
  market_rent_from: string | null;
  inspection_due: string | null;
}

export interface NoticeFindingRow {
  rule_code: string;
  name: string | null;
  explanation: string | null;
  policy_version: string | null;
  nature: string | null;
}

/** A case step that calls for a notice. */
export interface StepRow {
  id: string;
  case_id: string;
  action: string;
  measure: string | null;
  /** A measure's own date (催告). */
  taken_on: string | null;
  at: Date;
}

/** A case's step in a batch, with its document when it has one. */
export interface BatchItem {
  step: StepRow;
  household_code: string;
  doc: Pick<DocumentRow, 'number' | 'storage_key'> | null;
}

export interface DocumentRow {
  id: string;
  case_id: string;
  kind: DocumentKind;
  event_id: string;
  template_version: number;
  number: string;
  sha256: string;
  size: number;
  storage_key: string;
  created_at: Date;
}

const DOC_COLUMNS = `id::text AS id, case_id::text AS case_id, kind, event_id::text AS event_id, template_version, number, sha256, size, storage_key, created_at`;
const STEP_COLUMNS = `e.id::text AS id, e.case_id::text AS case_id, e.action, e.detail->>'measure' AS measure, e.detail->>'takenOn' AS taken_on, e.at`;
/** Timeline steps that call for a notice (reminders: measures of 催告). */
const NOTICE_STEP = `(e.action IN ('order_inspection', 'confirm', 'issue_notice') OR (e.action = 'record_measure' AND e.detail->>'measure' = '催告'))`;
const CASE_SCOPE_JOINS = `FROM "case" c JOIN household h ON h.id = c.household_id LEFT JOIN unit u ON u.id = h.unit_id LEFT JOIN project p ON p.id = u.project_id`;

/** Notices' SQL: the case and findings a notice is filled from, the steps, the documents. */
@Injectable()
export class DocumentsRepository {
  constructor(private readonly db: DatabaseService) {}

  async caseOf(id: string): Promise<NoticeCaseRow | null> {
    const { rows } = await this.db.pool.query<NoticeCaseRow>(
      `SELECT c.id::text AS id, h.household_code, c.nature, t.name AS tenant_name, t.id_no AS tenant_id_no, u.address_text, p.name AS project_name, p.town,
              c.confirmed_at::text AS confirmed_at, c.contest_deadline::text AS contest_deadline, c.notice_at::text AS notice_at, c.deadline::text AS deadline,
              c.market_rent_from::text AS market_rent_from, c.inspection_due::text AS inspection_due
         ${CASE_SCOPE_JOINS}
         LEFT JOIN LATERAL (SELECT coalesce(m.name, pe.name) AS name, pe.id_no FROM member m JOIN person pe ON pe.id = m.person_id
                             WHERE m.household_id = h.id AND m.relation = 'tenant' LIMIT 1) t ON true
        WHERE c.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The case's findings a notice lists: not resolved before it. */
  async findings(caseId: string): Promise<NoticeFindingRow[]> {
    const { rows } = await this.db.pool.query<NoticeFindingRow>(
      `SELECT rule_code, evidence->>'name' AS name, evidence->>'explanation' AS explanation, evidence->>'policyVersion' AS policy_version, evidence->>'nature' AS nature
         FROM case_finding WHERE case_id = $1 AND resolved_at IS NULL ORDER BY rule_code`,
      [caseId],
    );
    return rows;
  }

  async step(eventId: string): Promise<StepRow | null> {
    const { rows } = await this.db.pool.query<StepRow>(`SELECT ${STEP_COLUMNS} FROM case_event e WHERE e.id = $1 AND ${NOTICE_STEP}`, [eventId]);
    return rows[0] ?? null;
  }

  /** Steps of these cases that call for a notice and have none yet. */
  async stepsWithoutNotice(caseIds: string[]): Promise<StepRow[]> {
    if (!caseIds.length) return [];
    const { rows } = await this.db.pool.query<StepRow>(
      `SELECT ${STEP_COLUMNS} FROM case_event e
        WHERE e.case_id = ANY($1::bigint[]) AND ${NOTICE_STEP} AND NOT EXISTS (SELECT 1 FROM case_document d WHERE d.event_id = e.id)
        ORDER BY e.id`,
      [caseIds],
    );
    return rows;
  }

  async documentOfStep(eventId: string, kind: DocumentKind): Promise<DocumentRow | null> {
    const { rows } = await this.db.pool.query<DocumentRow>(`SELECT ${DOC_COLUMNS} FROM case_document WHERE event_id = $1 AND kind = $2`, [eventId, kind]);
    return rows[0] ?? null;
  }

  /** A new document id (the number of its 文号), taken before the bytes are written. */
  async nextId(): Promise<string> {
    const { rows } = await this.db.pool.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('case_document', 'id'))::text AS id`);
    return rows[0].id;
  }

  /** Inserts a document; null when the step already has one (a concurrent run of the job). */
  async insert(d: Omit<DocumentRow, 'created_at'> & { template_id: number | null }): Promise<DocumentRow | null> {
    const { rows } = await this.db.pool.query<DocumentRow>(
      `INSERT INTO case_document (id, case_id, kind, event_id, template_id, template_version, number, sha256, size, storage_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id, kind) DO NOTHING RETURNING ${DOC_COLUMNS}`,
      [d.id, d.case_id, d.kind, d.event_id, d.template_id, d.template_version, d.number, d.sha256, d.size, d.storage_key],
    );
    return rows[0] ?? null;
  }

  /** Whether the case is in the scope (404 otherwise). */
  async caseInScope(id: string, scope: Scope | undefined): Promise<boolean> {
    const f = whereInScope(new SqlFilter([id]), scope);
    const { rows } = await this.db.pool.query(`SELECT 1 ${CASE_SCOPE_JOINS} WHERE c.id = $1${f.and}`, f.params);
    return rows.length > 0;
  }

  async list(caseId: string): Promise<DocumentRow[]> {
    return (await this.db.pool.query<DocumentRow>(`SELECT ${DOC_COLUMNS} FROM case_document WHERE case_id = $1 ORDER BY id`, [caseId])).rows;
  }

  async get(caseId: string, docId: string): Promise<DocumentRow | null> {
    const { rows } = await this.db.pool.query<DocumentRow>(`SELECT ${DOC_COLUMNS} FROM case_document WHERE case_id = $1 AND id = $2`, [caseId, docId]);
    return rows[0] ?? null;
  }

  /**
   * The newest step of a kind of each case matching a batch's filter in its scope, after a case id
   * (keyset pages), with the step's document if it has one.
   */
  async batchPage(kind: DocumentKind, filter: BatchFilter, scope: Scope | undefined, after: string, limit: number): Promise<BatchItem[]> {
    const f = batchWhere(new SqlFilter([KIND_ACTION[kind], after, limit]), filter, scope);
    const { rows } = await this.db.pool.query<StepRow & { household_code: string; doc_number: string | null; doc_key: string | null }>(
      `SELECT s.*, h.household_code, d.number AS doc_number, d.storage_key AS doc_key
         ${CASE_SCOPE_JOINS}
         JOIN LATERAL (SELECT ${STEP_COLUMNS} FROM case_event e WHERE e.case_id = c.id AND ${stepOf(kind)} ORDER BY e.id DESC LIMIT 1) s ON true
         LEFT JOIN case_document d ON d.event_id = s.id::bigint
        WHERE c.id > $2::bigint${f.and}
        ORDER BY c.id LIMIT $3`,
      f.params,
    );
    return rows.map(({ household_code, doc_number, doc_key, ...step }) => ({ step, household_code, doc: doc_number && doc_key ? { number: doc_number, storage_key: doc_key } : null }));
  }

  async batchCount(kind: DocumentKind, filter: BatchFilter, scope: Scope | undefined): Promise<number> {
    const f = batchWhere(new SqlFilter([KIND_ACTION[kind]]), filter, scope);
    const { rows } = await this.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n ${CASE_SCOPE_JOINS} WHERE EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = c.id AND ${stepOf(kind)})${f.and}`,
      f.params,
    );
    return rows[0].n;
  }
}

/** A step (e) of a kind: its action ($1); a reminder's is a 催告 measure. */
const stepOf = (kind: DocumentKind) => `e.action = $1${kind === 'reminder' ? ` AND e.detail->>'measure' = '${REMINDER_MEASURE}'` : ''}`;

/** A batch's filter and scope on the cases (c) and their projects (p). */
function batchWhere(f: SqlFilter, filter: BatchFilter, scope: Scope | undefined): SqlFilter {
  whereInScope(f, scope);
  if (filter.status) f.add('c.status = ?', filter.status);
  if (filter.town) f.add('p.town = ?', filter.town);
  if (filter.project) f.add('p.project_code = ?', filter.project);
  return f;
}
