import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CasesRepository } from '../cases/cases.repository';
import { DomainError, notFound } from '../common/errors';
import { zodIssues } from '../common/zod-validation.pipe';
import { DatabaseService } from '../database/database.service';
import { DocumentStore } from '../documents/document-store';
import { AttachmentRow, AttachmentsRepository } from './attachments.repository';
import { KIND_LABEL, uploadBody } from './attachments.schemas';
import { AttachmentType, cleanName, EXTENSION, sniffFile } from './sniff';

/** A file multer wrote to disk. */
export interface UploadedFile {
  originalname: string;
  path: string;
  size: number;
}

/** A checked file: its sniffed type and clean name. */
interface Checked {
  path: string;
  name: string;
  type: AttachmentType;
}

/**
 * Attachments of a case (inspection evidence, contest materials): checked by their content, stored
 * with their hash in the document store, listed without their bytes, downloaded after an audit
 * entry, withdrawn but never deleted. Each upload and withdrawal is a timeline entry.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly repo: AttachmentsRepository,
    private readonly cases: CasesRepository,
    private readonly store: DocumentStore,
    private readonly audit: AuditService,
    private readonly db: DatabaseService,
  ) {}

  /** Stores the files (the temporary ones are removed in any case): the case in scope first, then the fields, then each file's content. */
  async upload(caseId: string, fields: unknown, files: UploadedFile[], actor: Actor) {
    try {
      const k = await this.visible(caseId, actor);
      const parsed = uploadBody.safeParse(fields ?? {});
      if (!parsed.success) throw new DomainError('VALIDATION', '请求参数无效', zodIssues(parsed.error));
      const body = parsed.data;
      if (actor.role === 'inspector' && body.kind !== 'inspection') throw new DomainError('FORBIDDEN', '核查员只能上传核查取证材料（kind=inspection）');
      if (body.eventId && !(await this.repo.eventOfCase(caseId, body.eventId))) {
        throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'eventId', reason: `本案件没有编号为 ${body.eventId} 的时间线记录` }]);
      }
      const checked = await this.check(files);
      const ids = await this.repo.nextIds(checked.length);
      const stored: (Checked & { id: string; key: string; sha256: string; size: number })[] = [];
      for (const [i, f] of checked.entries()) {
        const key = `attachments/${caseId}/${ids[i]}.${EXTENSION[f.type]}`;
        stored.push({ ...f, id: ids[i], key, ...(await this.put(key, f.path)) });
      }
      const rows = await this.db.tx(async (c) => {
        const rows = await this.repo.insert(
          c,
          stored.map((s) => ({
            id: s.id,
            case_id: caseId,
            kind: body.kind,
            event_id: body.eventId ?? null,
            file_name: s.name,
            content_type: s.type,
            sha256: s.sha256,
            size: s.size,
            storage_key: s.key,
            note: body.note ?? null,
            uploaded_by: actor.name,
          })),
        );
        const detail = { kind: body.kind, eventId: body.eventId ?? null, attachments: rows.map((r) => ({ id: r.id, contentType: r.content_type, size: r.size, sha256: r.sha256 })) };
        await this.cases.insertEvents(c, [
          { caseId, actor: actor.name, role: actor.role, action: 'attach', fromStatus: k.status, toStatus: k.status, reason: body.note ?? `上传${KIND_LABEL[body.kind]} ${rows.length} 件`, detail },
        ]);
        await this.audit.recordIn(c, actor, 'attachment.upload', 'case', caseId, detail);
        return rows;
      });
      return { items: rows.map(view) };
    } finally {
      await Promise.all(files.map((f) => rm(f.path, { force: true })));
    }
  }

  /** The case's attachments, withdrawn ones included and marked: metadata only. */
  async list(caseId: string, actor: Actor) {
    await this.visible(caseId, actor);
    return { items: (await this.repo.list(caseId)).map(view) };
  }

  /** An attachment's bytes (a personal document): the audit entry commits before any byte leaves. */
  async download(caseId: string, id: string, actor: Actor, purpose: string | undefined): Promise<{ body: Readable; type: string; name: string }> {
    await this.visible(caseId, actor);
    const a = await this.repo.get(caseId, id);
    if (!a) throw notFound('附件', id);
    await this.audit.record(actor, 'attachment.download', 'case_attachment', a.id, { caseId, kind: a.kind, contentType: a.content_type, sha256: a.sha256, withdrawn: !!a.withdrawn_at }, purpose);
    return { body: this.store.read(a.storage_key), type: a.content_type, name: a.file_name };
  }

  /** Marks an attachment withdrawn with the reason (its row and bytes stay): a timeline entry and an audit entry. */
  async withdraw(caseId: string, id: string, reason: string, actor: Actor) {
    const k = await this.visible(caseId, actor);
    const row = await this.db.tx(async (c) => {
      const a = await this.repo.lock(c, caseId, id);
      if (!a) throw notFound('附件', id);
      if (a.withdrawn_at) throw new DomainError('CONFLICT', `附件 ${id} 已于 ${a.withdrawn_at.toISOString()} 由 ${a.withdrawn_by} 撤回`);
      const row = await this.repo.withdraw(c, id, actor.name, reason);
      const detail = { attachmentId: id, kind: a.kind, sha256: a.sha256 };
      await this.cases.insertEvents(c, [{ caseId, actor: actor.name, role: actor.role, action: 'withdraw_attachment', fromStatus: k.status, toStatus: k.status, reason, detail }]);
      await this.audit.recordIn(c, actor, 'attachment.withdraw', 'case_attachment', id, { ...detail, caseId, reason });
      return row;
    });
    return view(row);
  }

  /** Each file's type from its first bytes: all refused together, each with its reason, before any is stored. */
  private async check(files: UploadedFile[]): Promise<Checked[]> {
    if (!files.length) throw new DomainError('VALIDATION', '请上传附件', [{ field: 'files', reason: '至少一个 JPEG、PNG 或 PDF 文件' }]);
    const checked = await Promise.all(files.map(async (f) => ({ path: f.path, name: cleanName(f.originalname), type: await sniffFile(f.path), empty: f.size === 0 })));
    const bad = checked.flatMap((f, i) =>
      f.type ? [] : [{ field: `files[${i}]`, reason: f.empty ? `「${f.name}」是空文件（0 字节）` : `「${f.name}」的内容不是 JPEG、PNG 或 PDF（按文件内容识别，不看扩展名）` }],
    );
    if (bad.length) throw new DomainError('VALIDATION', '附件类型不允许', bad);
    return checked.map((f) => ({ path: f.path, type: f.type!, name: named(f.name, f.type!) }));
  }

  /** Streams a file into the store, hashing it on the way. */
  private async put(key: string, path: string): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    const w = await this.store.writer(key);
    const source = createReadStream(path);
    source.on('data', (chunk: Buffer | string) => {
      hash.update(chunk);
      size += Buffer.byteLength(chunk);
    });
    await pipeline(source, w.out);
    await w.commit();
    return { sha256: hash.digest('hex'), size };
  }

  private async visible(caseId: string, actor: Actor) {
    const k = await this.cases.view(caseId, actor.scope);
    if (!k) throw notFound('案件', caseId);
    return k;
  }
}

/** The kept name ends in the sniffed type's extension (a PNG sent as x.pdf is kept as x.pdf.png). */
function named(name: string, type: AttachmentType): string {
  const ext = EXTENSION[type];
  const lower = name.toLowerCase();
  return lower.endsWith(`.${ext}`) || (ext === 'jpg' && lower.endsWith('.jpeg')) ? name : `${name}.${ext}`;
}

function view(a: AttachmentRow) {
  return {
    id: a.id,
    kind: a.kind,
    kindLabel: KIND_LABEL[a.kind],
    contentType: a.content_type,
    size: a.size,
    sha256: a.sha256,
    eventId: a.event_id,
    note: a.note,
    uploadedBy: a.uploaded_by,
    uploadedAt: a.uploaded_at.toISOString(),
    withdrawn: !!a.withdrawn_at,
    withdrawnAt: a.withdrawn_at?.toISOString() ?? null,
    withdrawnBy: a.withdrawn_by,
    withdrawReason: a.withdraw_reason,
  };
}
