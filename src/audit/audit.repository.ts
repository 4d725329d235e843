import { Injectable } from '@nestjs/common';
import { currentTimeZone } from '../common/clock';
import { pageClause } from '../common/pagination';
import { SqlFilter } from '../common/sql-filter';
import { DatabaseService } from '../database/database.service';

/** The audit log's filters: days are calendar days (YYYY-MM-DD) in the bureau's time zone, both ends included. */
export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actor?: string;
  action?: string;
  /** A household code: entries about the household (its id) or naming it in their detail. */
  household?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

/** A row of audit_log (id as text). */
export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  role: string;
  action: string;
  entityType: string;
  entityId: string | null;
  purpose: string | null;
  detail: Record<string, unknown>;
}

/** Reads of the append-only audit_log. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: DatabaseService) {}

  async list(q: AuditFilter): Promise<{ total: number; rows: AuditRow[] }> {
    const f = new SqlFilter();
    if (q.entityType) f.add('a.entity_type = ?', q.entityType);
    if (q.entityId) f.add('a.entity_id = ?', q.entityId);
    if (q.actor) f.add('a.actor = ?', q.actor);
    if (q.action) f.add('a.action = ?', q.action);
    if (q.household)
      f.add(
        `((a.entity_type = 'household' AND a.entity_id = (SELECT h.id::text FROM household h WHERE h.household_code = ?)) OR a.detail->>'householdCode' = ?)`,
        q.household,
        q.household,
      );
    if (q.from) f.add(`a.at >= (?::date)::timestamp AT TIME ZONE ?`, q.from, currentTimeZone());
    if (q.to) f.add(`a.at < (?::date + 1)::timestamp AT TIME ZONE ?`, q.to, currentTimeZone());
    const page = pageClause(f.params, q);
    const [total, rows] = await Promise.all([
      this.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log a${f.where}`, f.params),
      this.db.pool.query<AuditRow>(
        `SELECT a.id::text AS id, a.at, a.actor, a.role, a.action, a.entity_type AS "entityType", a.entity_id AS "entityId", a.purpose, a.detail
           FROM audit_log a${f.where} ORDER BY a.id DESC ${page.sql}`,
        page.params,
      ),
    ]);
    return { total: total.rows[0].n, rows: rows.rows };
  }
}
