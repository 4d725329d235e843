import { Injectable } from '@nestjs/common';
import type { Scope } from '../auth/scope';
import { DatabaseService } from '../database/database.service';
import type { DocumentKind } from './document-kinds';

export interface BatchFilter {
  status?: string;
  town?: string;
  project?: string;
}

export interface BatchRow {
  id: string;
  kind: DocumentKind;
  filter: BatchFilter;
  scope: Scope | null;
  requested_by: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  total: number | null;
  done: number;
  storage_key: string | null;
  size: string | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS = `id::text AS id, kind, filter, scope, requested_by, status, total, done, storage_key, size::text AS size, error, created_at, finished_at`;

/** Batch ZIPs of notices: their requests and progress. */
@Injectable()
export class BatchesRepository {
  constructor(private readonly db: DatabaseService) {}

  async create(kind: DocumentKind, filter: BatchFilter, scope: Scope | undefined, by: string): Promise<BatchRow> {
    const { rows } = await this.db.pool.query<BatchRow>(
      `INSERT INTO document_batch (kind, filter, scope, requested_by) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [kind, JSON.stringify(filter), scope ? JSON.stringify(scope) : null, by],
    );
    return rows[0];
  }

  async get(id: string): Promise<BatchRow | null> {
    return (await this.db.pool.query<BatchRow>(`SELECT ${COLUMNS} FROM document_batch WHERE id = $1`, [id])).rows[0] ?? null;
  }

  async start(id: string, total: number): Promise<void> {
    await this.db.pool.query(`UPDATE document_batch SET status = 'running', total = $2, done = 0, error = NULL WHERE id = $1`, [id, total]);
  }

  async progress(id: string, done: number): Promise<void> {
    await this.db.pool.query(`UPDATE document_batch SET done = $2 WHERE id = $1`, [id, done]);
  }

  async finish(id: string, done: number, key: string, size: number): Promise<void> {
    await this.db.pool.query(`UPDATE document_batch SET status = 'completed', done = $2, storage_key = $3, size = $4, finished_at = now() WHERE id = $1`, [id, done, key, size]);
  }

  async fail(id: string, error: string): Promise<void> {
    await this.db.pool.query(`UPDATE document_batch SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [id, error]);
  }
}
