import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { HOUSEHOLD_PROJECT, SqlFilter } from '../common/sql-filter';
import { DatabaseService } from '../database/database.service';

/** A user a case may be assigned to. */
export interface AssigneeRow {
  id: number;
  username: string;
  display_name: string;
  role: string;
}

/** The roles that work cases, and so may be assigned one. */
export const ASSIGNABLE_ROLES = ['admin', 'reviewer', 'inspector'];

/**
 * Who may be assigned a case: an active user of a case-working role whose own scope holds the
 * case's household (a town's inspector gets only their town's cases), in one query.
 */
const CANDIDATES = `
  SELECT usr.id, usr.username, usr.display_name, usr.role
    FROM "case" c JOIN household h ON h.id = c.household_id ${HOUSEHOLD_PROJECT}
    JOIN app_user usr ON usr.active AND usr.role = ANY($2::text[])
     AND ((cardinality(coalesce(usr.scope_towns, '{}')) = 0 AND cardinality(coalesce(usr.scope_projects, '{}')) = 0)
          OR p.town = ANY(usr.scope_towns) OR p.project_code = ANY(usr.scope_projects))
   WHERE c.id = $1`;

/** case.assignee_id: who may be assigned a case, and the assignment itself. */
@Injectable()
export class AssignmentRepository {
  constructor(private readonly db: DatabaseService) {}

  async candidates(caseId: string): Promise<AssigneeRow[]> {
    const { rows } = await this.db.pool.query<AssigneeRow>(`${CANDIDATES} ORDER BY usr.role, usr.username`, [caseId, ASSIGNABLE_ROLES]);
    return rows;
  }

  async candidate(c: PoolClient, caseId: string, userId: number): Promise<AssigneeRow | undefined> {
    const f = new SqlFilter([caseId, ASSIGNABLE_ROLES]).add('usr.id = ?', userId);
    return (await c.query<AssigneeRow>(`${CANDIDATES}${f.and}`, f.params)).rows[0];
  }

  /** Sets the assignee of a case locked by the caller; returns the previous one. */
  async assign(c: PoolClient, caseId: string, userId: number | null): Promise<number | null> {
    const { rows } = await c.query<{ before: number | null }>(
      `UPDATE "case" k SET assignee_id = $2, updated_at = now() FROM (SELECT id, assignee_id AS before FROM "case" WHERE id = $1 FOR UPDATE) b
        WHERE k.id = b.id RETURNING b.before`,
      [caseId, userId],
    );
    return rows[0]?.before ?? null;
  }
}
