import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { JobName, JobInput, QueueName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import type { PlanResult } from '../../src/eligibility/recompute.service';
import { tempDir } from './files';

/** A file-drop folder holding a generated city's feed files (FEED_DROP_DIR/<source>/...). */
export function dropFeeds(cityDir: string, label: string): string {
  const drop = tempDir(label);
  for (const s of readdirSync(join(cityDir, 'feeds'))) {
    mkdirSync(join(drop, s), { recursive: true });
    for (const f of readdirSync(join(cityDir, 'feeds', s))) copyFileSync(join(cityDir, 'feeds', s, f), join(drop, s, f));
  }
  return drop;
}

/** Enqueues a recompute and waits until its run is finished (plan, shards, finish). */
export async function recomputeAndWait(queues: QueueService, input: JobInput<JobName.RecomputePlan>): Promise<PlanResult & Record<string, unknown>> {
  const plan = await queues.waitFor<PlanResult>(QueueName.Recompute, await queues.enqueue(JobName.RecomputePlan, input));
  const result = await queues.waitForRun(plan.runId);
  return { ...plan, ...result };
}
