import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/errors';
import { defaultTemplate } from './default-templates';
import { DOCUMENT_KINDS, DocumentKind, FINDING_PLACEHOLDERS, KIND_LABEL, PLACEHOLDERS } from './document-kinds';
import { inspectTemplate } from './docx';
import { DocumentStore } from './document-store';
import { TemplateRow, TemplatesRepository } from './templates.repository';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The template a notice is filled from: an upload (id, version) or the built-in one (version 0). */
export interface ResolvedTemplate {
  id: number | null;
  version: number;
  content: Buffer;
}

/** Notice templates: uploads checked (syntax, known placeholders), versioned; the built-in defaults. */
@Injectable()
export class TemplatesService {
  /** Template bytes by id (a version never changes). */
  private readonly cache = new Map<number, Buffer>();

  constructor(
    private readonly repo: TemplatesRepository,
    private readonly audit: AuditService,
    private readonly store: DocumentStore,
  ) {}

  /** A new version of a kind's template (the kind checked by the route's schema). */
  async upload(kind: DocumentKind, file: { originalname: string; buffer: Buffer } | undefined, actor: Actor) {
    if (!file) throw new DomainError('VALIDATION', '请上传模板文件', [{ field: 'file', reason: '必填（DOCX 文件）' }]);
    const tags = inspectTemplate(file.buffer);
    const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8').slice(0, 200);
    const hash = sha256(file.buffer);
    // Stored by kind and hash before the row names it (a failed insert leaves an unnamed file, never a row without bytes).
    const storageKey = `templates/${kind}/${hash}.docx`;
    await this.store.put(storageKey, file.buffer);
    const row = await this.repo.insert({ kind, fileName, sha256: hash, size: file.buffer.length, storageKey, tags, uploadedBy: actor.name });
    await this.audit.record(actor, 'template.upload', 'document_template', String(row.id), { kind, version: row.version, sha256: hash, size: row.size, tags });
    return view(row);
  }

  /** Uploaded versions (newest first per kind), the built-in default of each kind, and the placeholders. */
  async list() {
    const rows = await this.repo.list();
    const inUse = new Map<string, number>();
    for (const r of rows) if (r.active && !inUse.has(r.kind)) inUse.set(r.kind, r.id);
    return {
      items: rows.map((r) => ({ ...view(r), inUse: inUse.get(r.kind) === r.id })),
      defaults: DOCUMENT_KINDS.map((kind) => ({ kind, kindLabel: KIND_LABEL[kind], version: 0, inUse: !inUse.has(kind) })),
      placeholders: Object.entries(PLACEHOLDERS).map(([tag, label]) => ({ tag, label })),
      findingPlaceholders: Object.entries(FINDING_PLACEHOLDERS).map(([tag, label]) => ({ tag, label })),
    };
  }

  /** The built-in template of a kind, as a download. */
  defaultOf(kind: DocumentKind) {
    return { body: defaultTemplate(kind), name: `${KIND_LABEL[kind]}-默认模板.docx` };
  }

  /** The newest active upload of a kind, else the built-in default. */
  async resolve(kind: DocumentKind): Promise<ResolvedTemplate> {
    const t = await this.repo.newest(kind);
    if (!t) return { id: null, version: 0, content: defaultTemplate(kind) };
    let cached = this.cache.get(t.id);
    if (!cached) {
      cached = await readFile(this.store.path(t.storage_key));
      this.cache.set(t.id, cached);
    }
    return { id: t.id, version: t.version, content: cached };
  }
}

function view(r: TemplateRow) {
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: KIND_LABEL[r.kind],
    version: r.version,
    fileName: r.file_name,
    sha256: r.sha256,
    size: r.size,
    tags: r.tags ?? [],
    active: r.active,
    uploadedBy: r.uploaded_by,
    createdAt: r.created_at,
  };
}
