import { INestApplicationContext } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { JobName, JobInput, QueueName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { cliActor } from '../../src/auth/actor';
import type { PlanResult } from '../../src/eligibility/recompute.service';
import { RegistryImportService, type ImportReport } from '../../src/registry/registry-import.service';
import { sourceByName } from '../../src/sources/sources.catalog';
import { SourcesService } from '../../src/sources/sources.service';
import { writeCsv } from './files';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the sources, recompute and cases queues hold nothing but the schedulers' next
 * ticks. A delayed job that is not a tick (the recompute a sync enqueues 5 to 65 s later, a run
 * waiting for another) is promoted, so it runs now rather than in the middle of a later test.
 */
export async function drainQueues(queues: QueueService, timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (let quiet = 0; quiet < 2; ) {
    let busy = 0;
    for (const name of [QueueName.Sources, QueueName.Recompute, QueueName.Cases]) {
      const q = queues.queue(name);
      for (const j of await q.getDelayed()) {
        if (j.repeatJobKey) continue;
        busy++;
        await j.promote().catch(() => undefined);
      }
      const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
      busy += c.waiting + c.active + c.prioritized + c['waiting-children'];
    }
    // Twice quiet in a row: a finishing job may enqueue the next (finish → cases sync).
    quiet = busy ? 0 : quiet + 1;
    if (Date.now() > until) throw new Error('the queues did not drain');
    await sleep(busy ? 200 : 100);
  }
}

/** A recompute run through the queues, then its cases pass: both finished when this returns. */
export async function runAndSyncCases(queues: QueueService, input: JobInput<JobName.RecomputePlan>): Promise<PlanResult & Record<string, unknown> & { cases: Record<string, number> }> {
  const plan = await queues.waitFor<PlanResult>(QueueName.Recompute, await queues.enqueue(JobName.RecomputePlan, input));
  const finish = await queues.jobFor(JobName.RecomputeFinish, { runId: plan.runId });
  if (!finish) throw new Error(`run ${plan.runId}: no finish job`);
  const result = await queues.waitFor<Record<string, unknown>>(QueueName.Recompute, finish);
  const cases = await queues.jobFor(JobName.CasesFollowRun, { runId: plan.runId });
  if (!cases) throw new Error(`run ${plan.runId}: no cases pass`);
  const synced = await queues.waitFor<Record<string, number>>(QueueName.Cases, cases);
  return { ...plan, ...result, cases: synced };
}

/**
 * Drops a new version of a stored department record as a file for the source's file transport:
 * the same fields (with `changes`), a later `更新时间`, or a delete.
 */
export async function dropRecordVersion(
  pool: Pool,
  dropDir: string,
  source: string,
  recordId: string,
  version: { updatedAt: string; changes?: Record<string, unknown>; op?: 'delete' },
  fileName: string,
): Promise<void> {
  const def = sourceByName(source)!;
  const stored = (await pool.query<{ kind: string; data: Record<string, unknown> }>(`SELECT kind, data FROM source_record WHERE source = $1 AND record_id = $2`, [source, recordId])).rows[0];
  if (!stored) throw new Error(`no stored record ${source}/${recordId}`);
  const kind = def.compiled.get(stored.kind)!;
  const data = { ...stored.data, ...version.changes };
  const byHeader = new Map<string, unknown>([
    ['记录编号', recordId],
    ['操作', version.op ?? ''],
    ['更新时间', version.updatedAt],
    ['类型', kind.label],
  ]);
  for (const [field, spec] of Object.entries(kind.fields)) byHeader.set(spec.header, data[field] ?? '');
  writeCsv(`${dropDir}/${source}/${fileName}`, [def.headers, def.headers.map((h) => byHeader.get(h) ?? '')]);
}

/** A generated household and the scenario planted in it (the city's expected/scenarios.jsonl). */
export interface Scenario {
  householdCode: string;
  scenario: string;
}

export function readScenarios(cityDir: string): Scenario[] {
  return readFileSync(join(cityDir, 'expected', 'scenarios.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Scenario);
}

/**
 * A generated city's ledger imported into a started app and every feed synced, with the syncs' own
 * recomputes (enqueued 5 to 65 s later) and their cases passes run now rather than during a test.
 */
export async function syncCity(app: INestApplicationContext, cityDir: string, requestKey: string): Promise<ImportReport> {
  const report = await app.get(RegistryImportService).importDirectory(join(cityDir, 'registry'), cliActor());
  const sources = app.get(SourcesService);
  await Promise.all((await sources.trigger('all', { mode: 'incremental', trigger: 'test', requestKey })).map((j) => sources.waitFor(j)));
  await drainQueues(app.get(QueueService));
  return report;
}

/** A generated city loaded into a started app (syncCity), then one full run with its cases synced. */
export async function loadCity(app: INestApplicationContext, cityDir: string, requestKey: string): Promise<ImportReport> {
  const report = await syncCity(app, cityDir, requestKey);
  await runAndSyncCases(app.get(QueueService), { full: true, trigger: 'test', requestKey: `${requestKey}-full` });
  return report;
}
