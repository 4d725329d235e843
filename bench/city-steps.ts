import type { INestApplicationContext } from '@nestjs/common';
import { linkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { JobName, QueueName } from '../jobs/catalogue';
import { QueueService } from '../jobs/queue.service';
import { cliActor } from '../src/auth/actor';
import { importProgress, watchProgress } from '../src/ops/progress';
import { RegistryImportService } from '../src/registry/registry-import.service';
import { SourcesService } from '../src/sources/sources.service';

/** The steps every bench takes with a generated city: one piece each, shared by the benches. */

/** A fresh drop folder with the city's feed files hard-linked in (the sync skips symbolic links). */
export function linkFeeds(cityDir: string, drop: string, sources: string[] = readdirSync(join(cityDir, 'feeds'))): void {
  rmSync(drop, { recursive: true, force: true });
  for (const s of sources) {
    mkdirSync(join(drop, s), { recursive: true });
    for (const f of readdirSync(join(cityDir, 'feeds', s))) linkSync(join(cityDir, 'feeds', s, f), join(drop, s, f));
  }
}

/** Imports the city's ledger, with progress on stderr. */
export async function importLedger(app: INestApplicationContext, cityDir: string): Promise<void> {
  const p = importProgress('registry');
  await app.get(RegistryImportService).importDirectory(join(cityDir, 'registry'), cliActor(), p.onProgress).finally(p.stop);
}

/**
 * Syncs every source from the drop folder (progress on stderr), refreshes the statistics, then
 * waits for the recomputes the syncs enqueued, so that a timed run after it runs alone.
 */
export async function loadFeeds(app: INestApplicationContext, admin: Client, requestKey: string): Promise<void> {
  const sources = app.get(SourcesService);
  const jobs = await sources.trigger('all', { mode: 'incremental', trigger: 'cli', requestKey });
  await watchProgress('feeds', Promise.all(jobs.map((j) => sources.waitFor(j))), () => sources.progress(jobs));
  await admin.query('VACUUM ANALYZE');
  const queues = app.get(QueueService);
  for (;;) {
    const counts = await queues.queue(QueueName.Recompute).getJobCounts('waiting', 'active', 'delayed', 'waiting-children');
    if (Object.values(counts).every((n) => n === 0)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Waits for the cases pass over a run (its cases-follow-run job, enqueued when the run finished).
 * Not "until the cases queue is empty": its daily deadline scheduler always keeps a delayed job there.
 */
export async function waitForCases(queues: QueueService, runId: string, timeoutMs = 3 * 3600_000): Promise<void> {
  for (;;) {
    const job = await queues.jobFor(JobName.CasesFollowRun, { runId });
    if (job) {
      await queues.waitFor(QueueName.Cases, job, timeoutMs);
      return;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
