import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { JobName, QueueName } from '../jobs/catalogue';
import { QueueService } from '../jobs/queue.service';
import { cliActor } from '../src/auth/actor';
import { CasesService } from '../src/cases/cases.service';
import { BatchesService } from '../src/documents/batches.service';
import { benchCity } from './recompute.bench';

/**
 * `npm run bench -- documents [--households N] [--notices N]`: on the recompute bench's city (its own
 * database), confirms `notices` exit cases (their per-step notices held back: the documents queue
 * is paused and drained), then one batch job generates every 退出认定告知书 from the default
 * template and streams them into one ZIP. Prints the job's time and the process's peak memory.
 */
export async function documentsBench(args: { households: number; notices: number; dataDir: string; databaseUrl: string; redisUrl: string; reuse?: boolean }): Promise<void> {
  const store = resolve(args.dataDir, 'bench-documents');
  process.env.DOCUMENT_DIR = store;
  const city = await benchCity(args);
  try {
    const { app, admin } = city;
    const queues = app.get(QueueService);
    await idle(queues, QueueName.Recompute);
    await idle(queues, QueueName.Cases);
    const open = async () => Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM "case" WHERE kind = 'exit' AND status = 'open'`)).rows[0].n);
    if ((await open()) < args.notices) {
      await city.recompute(true, `bench-docs-${Date.now()}`);
      await idle(queues, QueueName.Cases);
    }
    // A clean slate of notices: earlier runs' documents and confirmations count toward the batch.
    await admin.query(`TRUNCATE case_document, document_batch`);
    rmSync(store, { recursive: true, force: true });
    const confirmed = Number((await admin.query<{ n: string }>(`SELECT count(DISTINCT case_id) AS n FROM case_event WHERE action = 'confirm'`)).rows[0].n);
    const need = Math.max(0, args.notices - confirmed);
    const documents = queues.queue(QueueName.Documents);
    await documents.pause();
    const ids = (await admin.query<{ id: string }>(`SELECT c.id::text FROM "case" c WHERE c.kind = 'exit' AND c.status = 'open'
          -- 转租转借 and 空置 are confirmed only after an inspection: not these.
          AND NOT EXISTS (SELECT 1 FROM case_finding f WHERE f.case_id = c.id AND f.rule_code IN ('SUBLET', 'VACANT') AND f.resolved_at IS NULL)
        ORDER BY c.id LIMIT $1`, [need])).rows.map((r) => r.id);
    if (ids.length < need) throw new Error(`only ${ids.length} open exit cases; try more --households`);
    let t = Date.now();
    const cases = app.get(CasesService);
    for (let i = 0; i < ids.length; i += 8) await Promise.all(ids.slice(i, i + 8).map((id) => cases.act(id, 'confirm', { reason: '基准测试：核实属实' }, cliActor())));
    log(`confirmed ${ids.length} cases in ${sec(Date.now() - t)} s`);
    await documents.drain();
    await documents.resume();

    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    t = Date.now();
    const batches = app.get(BatchesService);
    const batch = await batches.request({ kind: 'exit_determination', filter: {} }, cliActor());
    const result = await queues.waitForId<{ documents: number; size: number }>(QueueName.Documents, await queues.jobIdOf(JobName.DocumentBatch, { batchId: batch.id }));
    const ms = Date.now() - t;
    clearInterval(sampler);
    const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
    process.stdout.write(
      [
        '',
        `documents benchmark: one batch job, ${result.documents.toLocaleString('en-US')} 退出认定告知书 generated (default template) and zipped`,
        `  time : ${sec(ms)} s  (${((result.documents * 1000) / ms).toFixed(0)} notices/s)`,
        `  ZIP  : ${mb(result.size)} MB`,
        `  peak RSS of the process (API + workers) : ${mb(peak)} MB (${mb(peak - baseline)} MB above the ${mb(baseline)} MB before the job)`,
        '',
      ].join('\n'),
    );
  } finally {
    await city.close();
  }
}

/** No job waiting or running on the queue (delayed ones are schedulers' next ticks). */
async function idle(queues: QueueService, name: QueueName): Promise<void> {
  for (;;) {
    const counts = await queues.queue(name).getJobCounts('waiting', 'active', 'waiting-children', 'prioritized');
    if (Object.values(counts).every((n) => n === 0)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const sec = (ms: number) => (ms / 1000).toFixed(1);
function log(s: string) {
  process.stderr.write(`${s}\n`);
}
