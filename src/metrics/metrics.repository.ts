import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';

export interface SourceHealthRow {
  source: string;
  status: string;
  /** Epoch seconds of the last successful sync. */
  last_success: number | null;
  /** Seconds since then. */
  lag: number | null;
}

/** The figures /metrics reads at scrape time: small aggregate queries, no personal data. */
@Injectable()
export class MetricsRepository {
  constructor(private readonly db: DatabaseService) {}

  async sourceHealth(): Promise<SourceHealthRow[]> {
    const { rows } = await this.db.pool.query<SourceHealthRow>(
      `SELECT source, status, extract(epoch FROM last_success_at)::float8 AS last_success,
              extract(epoch FROM now() - last_success_at)::float8 AS lag
         FROM source_state`,
    );
    return rows;
  }

  /** The latest completed recompute run and its findings per rule (none before the first run). */
  async latestFindingsByRule(): Promise<{ runId: string | null; byRule: Map<string, number> }> {
    const run = await this.db.pool.query<{ id: string }>(`SELECT id FROM recompute_run WHERE status = 'completed' ORDER BY id DESC LIMIT 1`);
    const runId = run.rows[0]?.id ?? null;
    if (!runId) return { runId, byRule: new Map() };
    const { rows } = await this.db.pool.query<{ rule_code: string; n: number }>(`SELECT rule_code, count(*)::int AS n FROM finding WHERE run_id = $1 GROUP BY rule_code`, [runId]);
    return { runId, byRule: new Map(rows.map((r) => [r.rule_code, r.n])) };
  }

  async overdueCases(): Promise<number> {
    const { rows } = await this.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "case" WHERE status = 'overdue'`);
    return rows[0].n;
  }
}
