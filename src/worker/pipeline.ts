import { Injectable } from '@nestjs/common';
import { JobName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import type { SyncSummary } from '../sources/sync.service';

/** Syncs that finish within the same minute share one recompute, which starts after that minute. */
const COALESCE_MS = 60_000;
const AFTER_MINUTE_MS = 5_000;

/**
 * The chain of jobs, in one place: a department sync that changed anything → an incremental
 * recompute of the households it touched (from the change log) → the cases pass over the completed
 * run. Domain services do their step and return; the processors ask this class what comes next.
 */
@Injectable()
export class Pipeline {
  constructor(private readonly queues: QueueService) {}

  async afterSync(summary: SyncSummary): Promise<void> {
    if (summary.status !== 'succeeded' || summary.inserted + summary.updated + summary.deleted + summary.withdrawn === 0) return;
    const bucket = Math.floor(Date.now() / COALESCE_MS);
    await this.queues.enqueue(
      JobName.RecomputePlan,
      { full: false, trigger: 'sync', requestKey: `sync-${bucket}` },
      { delay: (bucket + 1) * COALESCE_MS + AFTER_MINUTE_MS - Date.now() },
    );
  }

  async afterRun(run: { runId: string }): Promise<void> {
    await this.queues.enqueue(JobName.CasesFollowRun, { runId: run.runId });
  }
}
