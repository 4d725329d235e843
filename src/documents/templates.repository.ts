import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { DocumentKind } from './document-kinds';

export interface TemplateRow {
  id: number;
  kind: DocumentKind;
  version: number;
  file_name: string;
  sha256: string;
  size: number;
  storage_key: string;
  tags: string[] | null;
  active: boolean;
  uploaded_by: string;
  created_at: Date;
}

const COLUMNS = 'id, kind, version, file_name, sha256, size, storage_key, tags, active, uploaded_by, created_at';

/** Templates' SQL (their bytes are in the document store, by hash). */
@Injectable()
export class TemplatesRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Adds a version of a kind (the next number; one upload of a kind at a time). */
  async insert(t: { kind: DocumentKind; fileName: string; sha256: string; size: number; storageKey: string; tags: string[]; uploadedBy: string }): Promise<TemplateRow> {
    return this.db.tx(async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('document_template:' || $1))`, [t.kind]);
      const { rows } = await c.query<TemplateRow>(
        `INSERT INTO document_template (kind, version, file_name, sha256, size, storage_key, tags, uploaded_by)
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6, $7 FROM document_template WHERE kind = $1
         RETURNING ${COLUMNS}`,
        [t.kind, t.fileName, t.sha256, t.size, t.storageKey, t.tags, t.uploadedBy],
      );
      return rows[0];
    });
  }

  async list(): Promise<TemplateRow[]> {
    return (await this.db.pool.query<TemplateRow>(`SELECT ${COLUMNS} FROM document_template ORDER BY kind, version DESC`)).rows;
  }

  /** The newest active template of a kind. */
  async newest(kind: DocumentKind): Promise<TemplateRow | null> {
    const { rows } = await this.db.pool.query<TemplateRow>(
      `SELECT ${COLUMNS} FROM document_template WHERE kind = $1 AND active ORDER BY version DESC LIMIT 1`,
      [kind],
    );
    return rows[0] ?? null;
  }
}
