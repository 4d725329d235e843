import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { DatabaseService } from '../database/database.service';
import type { AttachmentKind } from './attachments.schemas';
import type { AttachmentType } from './sniff';

export interface AttachmentRow {
  id: string;
  case_id: string;
  kind: AttachmentKind;
  event_id: string | null;
  file_name: string;
  content_type: AttachmentType;
  sha256: string;
  size: number;
  storage_key: string;
  note: string | null;
  uploaded_by: string;
  uploaded_at: Date;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdraw_reason: string | null;
}

export type NewAttachment = Pick<AttachmentRow, 'id' | 'case_id' | 'kind' | 'event_id' | 'file_name' | 'content_type' | 'sha256' | 'size' | 'storage_key' | 'note' | 'uploaded_by'>;

const COLUMNS = `id::text, case_id::text, kind, event_id::text, file_name, content_type, sha256, size, storage_key, note, uploaded_by, uploaded_at, withdrawn_at, withdrawn_by, withdraw_reason`;

/** Every query on case_attachment. Methods taking a client run in the caller's transaction. */
@Injectable()
export class AttachmentsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Ids for files about to be stored (their storage keys carry them). */
  async nextIds(n: number): Promise<string[]> {
    const { rows } = await this.db.pool.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('case_attachment', 'id'))::text AS id FROM generate_series(1, $1)`, [n]);
    return rows.map((r) => r.id);
  }

  async eventOfCase(caseId: string, eventId: string): Promise<boolean> {
    const { rows } = await this.db.pool.query(`SELECT 1 FROM case_event WHERE id = $1 AND case_id = $2`, [eventId, caseId]);
    return rows.length > 0;
  }

  async insert(c: PoolClient, items: NewAttachment[]): Promise<AttachmentRow[]> {
    const { rows } = await c.query<AttachmentRow>(
      `INSERT INTO case_attachment (id, case_id, kind, event_id, file_name, content_type, sha256, size, storage_key, note, uploaded_by)
       SELECT x.id, x.case_id, x.kind, x.event_id, x.file_name, x.content_type, x.sha256, x.size, x.storage_key, x.note, x.uploaded_by
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, case_id bigint, kind text, event_id bigint, file_name text, content_type text, sha256 text, size int, storage_key text, note text, uploaded_by text)
        ORDER BY x.id
       RETURNING ${COLUMNS}`,
      [JSON.stringify(items)],
    );
    return rows;
  }

  async list(caseId: string): Promise<AttachmentRow[]> {
    return (await this.db.pool.query<AttachmentRow>(`SELECT ${COLUMNS} FROM case_attachment WHERE case_id = $1 ORDER BY id`, [caseId])).rows;
  }

  async get(caseId: string, id: string): Promise<AttachmentRow | null> {
    const { rows } = await this.db.pool.query<AttachmentRow>(`SELECT ${COLUMNS} FROM case_attachment WHERE case_id = $1 AND id = $2`, [caseId, id]);
    return rows[0] ?? null;
  }

  /** The case's attachment, locked for its withdrawal; null when the case has no such attachment. */
  async lock(c: PoolClient, caseId: string, id: string): Promise<AttachmentRow | null> {
    const { rows } = await c.query<AttachmentRow>(`SELECT ${COLUMNS} FROM case_attachment WHERE case_id = $1 AND id = $2 FOR UPDATE`, [caseId, id]);
    return rows[0] ?? null;
  }

  async withdraw(c: PoolClient, id: string, by: string, reason: string): Promise<AttachmentRow> {
    const { rows } = await c.query<AttachmentRow>(
      `UPDATE case_attachment SET withdrawn_at = now(), withdrawn_by = $2, withdraw_reason = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, by, reason],
    );
    return rows[0];
  }
}
