import { Injectable } from '@nestjs/common';
import { finished } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { JobName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError, NeverRetry, notFound } from '../common/errors';
import { DocumentKind, KIND_LABEL } from './document-kinds';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { DocumentStore } from './document-store';
import { BatchesRepository, BatchFilter, BatchRow } from './batches.repository';

const PAGE = 200;
const PROGRESS_EVERY = 25;

/** Batch ZIPs (printing a kind's notices on a Monday morning): a queued job with its progress. */
@Injectable()
export class BatchesService {
  constructor(
    private readonly repo: BatchesRepository,
    private readonly docsRepo: DocumentsRepository,
    private readonly documents: DocumentsService,
    private readonly store: DocumentStore,
    private readonly queues: QueueService,
    private readonly audit: AuditService,
  ) {}

  /** Records the request (in the actor's scope) and enqueues its job. */
  async request(body: { kind: DocumentKind; filter: BatchFilter }, actor: Actor) {
    const b = await this.repo.create(body.kind, body.filter, actor.scope, actor.name);
    await this.audit.recordAround(actor, 'document.batch', 'document_batch', b.id, { kind: body.kind, filter: body.filter }, () =>
      this.queues.enqueue(JobName.DocumentBatch, { batchId: b.id }),
    );
    return view(b);
  }

  /** A batch's status: only its requester sees it (404 for anyone else). */
  async status(id: string, actor: Actor) {
    return view(await this.mine(id, actor));
  }

  /** The ZIP's bytes: audited (with the purpose) before any byte leaves; notices carry full ID numbers. */
  async file(id: string, actor: Actor, purpose: string) {
    const b = await this.mine(id, actor);
    if (b.status !== 'completed' || !b.storage_key) throw new DomainError('CONFLICT', `批量文书尚未生成完成（${b.done}/${b.total ?? '?'}）`);
    await this.audit.record(actor, 'document.batch_download', 'document_batch', b.id, { kind: b.kind, filter: b.filter, count: b.done }, purpose);
    return { body: this.store.read(b.storage_key), name: `${KIND_LABEL[b.kind]}-批量-${b.id}.zip` };
  }

  /** The job: every matching case's notice of the kind (generated when missing) into one streamed ZIP. */
  async run(id: string, onProgress: (done: number, total: number) => Promise<void> = () => Promise.resolve()): Promise<{ batchId: string; documents: number; size: number }> {
    const b = await this.repo.get(id);
    if (!b) throw new NeverRetry(`batch ${id} not found`);
    const scope = b.scope ?? undefined;
    const total = await this.docsRepo.batchCount(b.kind, b.filter, scope);
    await this.repo.start(id, total);
    const key = `batches/${id}.zip`;
    const zip = new ZipFile();
    const w = await this.store.writer(key);
    zip.outputStream.pipe(w.out);
    let done = 0;
    try {
      for (let after = '0'; ; ) {
        const page = await this.docsRepo.batchPage(b.kind, b.filter, scope, after, PAGE);
        if (!page.length) break;
        for (const r of page) {
          const doc = r.doc ?? (await this.documents.ofStep(r.step)).row;
          zip.addFile(this.store.path(doc.storage_key), `${r.household_code}-${KIND_LABEL[b.kind]}-${doc.number}.docx`, { compress: false });
          if (++done % PROGRESS_EVERY === 0) {
            await this.repo.progress(id, done);
            await onProgress(done, total);
          }
        }
        after = page.at(-1)!.step.case_id;
      }
      zip.end();
      await finished(w.out);
      await w.commit();
    } catch (err) {
      zip.outputStream.unpipe(w.out);
      w.out.destroy();
      await this.repo.fail(id, (err as Error).message.slice(0, 500));
      throw err;
    }
    const size = await this.store.size(key);
    await this.repo.finish(id, done, key, size);
    await onProgress(done, Math.max(total, done));
    return { batchId: id, documents: done, size };
  }

  private async mine(id: string, actor: Actor): Promise<BatchRow> {
    const b = /^\d+$/.test(id) ? await this.repo.get(id) : null;
    if (!b || b.requested_by !== actor.name) throw notFound('批量文书', id);
    return b;
  }
}

function view(b: BatchRow) {
  return {
    id: b.id,
    kind: b.kind,
    kindLabel: KIND_LABEL[b.kind],
    filter: b.filter,
    status: b.status,
    total: b.total,
    done: b.done,
    size: b.size === null ? null : Number(b.size),
    error: b.error,
    createdAt: b.created_at,
    finishedAt: b.finished_at,
    file: b.status === 'completed' ? `/api/documents/batches/${b.id}/file` : null,
  };
}
