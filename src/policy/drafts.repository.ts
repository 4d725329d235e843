import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { DatabaseService } from '../database/database.service';
import { PolicyDocument } from './policy.schema';

export interface DraftRow {
  id: number;
  name: string;
  base_version: string;
  document: PolicyDocument;
  status: 'draft' | 'adopted';
  adopted_version_id: number | null;
  adopted_version: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `d.id, d.name, d.base_version, d.document, d.status, d.adopted_version_id, v.version AS adopted_version, d.created_by, d.created_at, d.updated_at`;
const FROM = `FROM policy_draft d LEFT JOIN policy_version v ON v.id = d.adopted_version_id`;

/** policy_draft: what-if copies of a policy, editable until adopted. */
@Injectable()
export class DraftsRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(c: PoolClient, d: { name: string; baseVersion: string; document: PolicyDocument; createdBy: string }): Promise<number> {
    const { rows } = await c.query<{ id: number }>(
      `INSERT INTO policy_draft (name, base_version, document, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
      [d.name, d.baseVersion, JSON.stringify(d.document), d.createdBy],
    );
    return rows[0].id;
  }

  async get(id: number, c: PoolClient | DatabaseService['pool'] = this.db.pool, forUpdate = false): Promise<DraftRow | undefined> {
    const { rows } = await c.query<DraftRow>(`SELECT ${COLUMNS} ${FROM} WHERE d.id = $1${forUpdate ? ' FOR UPDATE OF d' : ''}`, [id]);
    return rows[0];
  }

  async list(): Promise<DraftRow[]> {
    return (await this.db.pool.query<DraftRow>(`SELECT ${COLUMNS} ${FROM} ORDER BY d.id DESC`)).rows;
  }

  async update(c: PoolClient, id: number, d: { name: string; document: PolicyDocument }): Promise<void> {
    await c.query(`UPDATE policy_draft SET name = $2, document = $3, updated_at = now() WHERE id = $1 AND status = 'draft'`, [id, d.name, JSON.stringify(d.document)]);
  }

  async markAdopted(c: PoolClient, id: number, versionId: number): Promise<void> {
    await c.query(`UPDATE policy_draft SET status = 'adopted', adopted_version_id = $2, updated_at = now() WHERE id = $1`, [id, versionId]);
  }
}
