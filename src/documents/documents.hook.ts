import { Injectable, Logger } from '@nestjs/common';
import { JobName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { DocumentsRepository } from './documents.repository';

/**
 * Called by the case workflow once a step's transaction has committed: enqueues a DocumentGenerate
 * job (deterministic id per step) for every step of those cases that calls for a notice and has
 * none yet. A failure to enqueue never fails the step: the next step of the case, or a batch,
 * generates what is missing.
 */
@Injectable()
export class DocumentsHook {
  private readonly log = new Logger('documents');

  constructor(
    private readonly repo: DocumentsRepository,
    private readonly queues: QueueService,
  ) {}

  async stepsCommitted(caseIds: string[]): Promise<void> {
    try {
      // One query for all the cases; the jobs enqueued together (the deadline pass moves thousands).
      const steps = await this.repo.stepsWithoutNotice(caseIds);
      await Promise.all(steps.map((s) => this.queues.enqueue(JobName.DocumentGenerate, { caseId: s.case_id, eventId: s.id })));
    } catch (err) {
      this.log.warn(`notices not enqueued for ${caseIds.length} case(s): ${(err as Error).message}`);
    }
  }
}
