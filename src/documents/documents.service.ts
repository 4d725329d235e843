import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { currentTimeZone } from '../common/clock';
import { NeverRetry, notFound } from '../common/errors';
import { AppConfig } from '../config/config';
import { KIND_LABEL, KIND_WORD, kindOfStep } from './document-kinds';
import { DocumentRow, DocumentsRepository, StepRow } from './documents.repository';
import { DocumentStore } from './document-store';
import { renderDocx } from './docx';
import { noticeData } from './notice-data';
import { docxToPdf } from './pdf';
import { TemplatesService } from './templates.service';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const dateIn = (at: Date) => at.toLocaleDateString('sv-SE', { timeZone: currentTimeZone() });

/** Notices of the case steps: generated once per step, stored with their hash, listed, downloaded (audited). */
@Injectable()
export class DocumentsService {
  private readonly log = new Logger('documents');

  constructor(
    private readonly repo: DocumentsRepository,
    private readonly templates: TemplatesService,
    private readonly store: DocumentStore,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** The notice of one case step (timeline event); the one already made when the job runs again. */
  async generate(eventId: string): Promise<{ documentId: string; number: string; created: boolean }> {
    const step = await this.repo.step(eventId);
    if (!step) throw new NeverRetry(`event ${eventId} is not a step that calls for a notice`);
    const doc = await this.ofStep(step);
    return { documentId: doc.row.id, number: doc.row.number, created: doc.created };
  }

  /** The step's document: found, or generated now. */
  async ofStep(step: StepRow): Promise<{ row: DocumentRow; created: boolean }> {
    const kind = kindOfStep(step.action, step.measure);
    if (!kind) throw new NeverRetry(`event ${step.id} calls for no notice`);
    const existing = await this.repo.documentOfStep(step.id, kind);
    if (existing) return { row: existing, created: false };
    const k = await this.repo.caseOf(step.case_id);
    if (!k) throw new NeverRetry(`case ${step.case_id} not found`);
    const [findings, template, id] = await Promise.all([this.repo.findings(step.case_id), this.templates.resolve(kind), this.repo.nextId()]);
    const issuedOn = step.taken_on ?? dateIn(step.at);
    const number = `〔${issuedOn.slice(0, 4)}〕${KIND_WORD[kind]}字第${id.padStart(6, '0')}号`;
    const bytes = renderDocx(
      template.content,
      noticeData(k, findings, { documentNumber: number, issuedOn, bureauName: this.config.bureauName, bureauContact: this.config.bureauContact }),
    );
    const key = `cases/${step.case_id}/${id}-${kind}.docx`;
    await this.store.put(key, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const row = await this.repo.insert({
      id,
      case_id: step.case_id,
      kind,
      event_id: step.id,
      template_id: template.id,
      template_version: template.version,
      number,
      sha256,
      size: bytes.length,
      storage_key: key,
    });
    if (!row) return { row: (await this.repo.documentOfStep(step.id, kind))!, created: false };
    this.log.log(`case ${step.case_id}: ${kind} ${id} generated (template v${template.version})`);
    return { row, created: true };
  }

  /** The case's notices (no bytes): 404 outside the actor's scope. */
  async list(caseId: string, actor: Actor) {
    await this.visible(caseId, actor);
    return { items: (await this.repo.list(caseId)).map(view) };
  }

  /**
   * A notice's bytes for download (it carries the full ID number): the audit entry, with the
   * purpose, commits before any byte is returned; PDF converted first, so a failed conversion
   * leaves no entry.
   */
  async download(caseId: string, docId: string, actor: Actor, purpose: string, format: 'docx' | 'pdf'): Promise<{ body: Readable | Buffer; type: string; name: string }> {
    await this.visible(caseId, actor);
    const d = /^\d+$/.test(docId) ? await this.repo.get(caseId, docId) : null;
    if (!d) throw notFound('文书', docId);
    const pdf = format === 'pdf' ? await docxToPdf(await readFile(this.store.path(d.storage_key))) : null;
    await this.audit.record(actor, 'document.download', 'case_document', d.id, { caseId, kind: d.kind, number: d.number, sha256: d.sha256, format }, purpose);
    const name = `${KIND_LABEL[d.kind]}-${d.number}.${format}`;
    return pdf ? { body: pdf, type: 'application/pdf', name } : { body: this.store.read(d.storage_key), type: DOCX_TYPE, name };
  }

  private async visible(caseId: string, actor: Actor): Promise<void> {
    if (!/^\d+$/.test(caseId) || !(await this.repo.caseInScope(caseId, actor.scope))) throw notFound('案件', caseId);
  }
}

function view(d: DocumentRow) {
  return {
    id: d.id,
    kind: d.kind,
    kindLabel: KIND_LABEL[d.kind],
    number: d.number,
    templateVersion: d.template_version,
    sha256: d.sha256,
    size: d.size,
    createdAt: d.created_at,
  };
}
