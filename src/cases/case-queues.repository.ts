import { Injectable } from '@nestjs/common';
import type { Scope } from '../auth/scope';
import { whereInScope } from '../auth/scope';
import { HOUSEHOLD_PROJECT, SqlFilter } from '../common/sql-filter';
import { DatabaseService } from '../database/database.service';

export interface QueueCountRow {
  status: string;
  kind: string;
  open: boolean;
  n: number;
}

/** The case queues' counts in the actor's scope, in one pass over the cases. */
@Injectable()
export class CaseQueuesRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Cases by status and kind; with the inspections past due on `on` and the open cases assigned to `userId`. */
  async counts(scope: Scope | undefined, on: string, userId: number | null): Promise<{ rows: QueueCountRow[]; pastDue: number; mine: number }> {
    const f = whereInScope(new SqlFilter([on, userId]), scope);
    const { rows } = await this.db.pool.query<QueueCountRow & { past_due: number; mine: number }>(
      `SELECT c.status, c.kind, c.closed_at IS NULL AS open, count(*)::int AS n,
              count(*) FILTER (WHERE c.status = 'inspection' AND c.inspection_due < $1::date)::int AS past_due,
              count(*) FILTER (WHERE c.closed_at IS NULL AND c.assignee_id = $2::int)::int AS mine
         FROM "case" c JOIN household h ON h.id = c.household_id ${HOUSEHOLD_PROJECT}
        WHERE true${f.and}
        GROUP BY 1, 2, 3`,
      f.params,
    );
    return {
      rows: rows.map(({ status, kind, open, n }) => ({ status, kind, open, n })),
      pastDue: rows.reduce((sum, r) => sum + r.past_due, 0),
      mine: rows.reduce((sum, r) => sum + r.mine, 0),
    };
  }
}
