import request from 'supertest';
import { join } from 'node:path';
import { JobName, QueueName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import type { PlanResult } from '../../src/eligibility/recompute.service';
import { generateCity } from '../../src/generator/city-generator';
import { bodyOf } from '../support/api';
import { dropFeeds } from '../support/city';
import { REDIS_URL } from '../support/env';
import { tempDir } from '../support/files';
import { drainQueues } from '../support/lifecycle';
import { runCli } from '../support/run-ts';
import { startTestApp, TestApp } from '../support/test-app';

/** A run as GET /api/recompute/runs lists it, as far as this test reads it. */
interface RunView {
  id: string;
  status: string;
  households: number;
  evaluated: number;
  progress: { done: number; total: number | null; unit: string; startedAt: string; rate: number | null } | null;
}

/** What a bar redrawn in place writes: cursor to a column, clear the rest of the line (ESC [ n G, ESC [ n K). */
const CURSOR_MOVES = new RegExp(`${String.fromCharCode(27)}\\[\\d*[GK]`);

/** Progress of long work: on stderr in the CLI (stdout keeps only results), in the API's run status. */
describe('progress of long work (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let city: string;
  let drop: string;
  const admin = () => ({ Authorization: `Bearer ${t.tokens.admin}` });
  const cli = (args: string[]) =>
    runCli(args, { DATABASE_URL: t.dbUrl, REDIS_URL, QUEUE_PREFIX: t.config.queuePrefix, APP_ROLE: 'api', LOG_LEVEL: 'error', FEED_DROP_DIR: drop, RECOMPUTE_SHARD_SIZE: '10' }, 180_000);
  const runs = async () => bodyOf<RunView[]>(await http.get('/api/recompute/runs').set(admin()).expect(200));

  beforeAll(async () => {
    city = tempDir('progress-city');
    await generateCity({ households: 300, seed: 11, outDir: city, json: false });
    drop = dropFeeds(city, 'progress-drop');
    t = await startTestApp('progress', { APP_ROLE: 'all', FEED_DROP_DIR: drop, RECOMPUTE_SHARD_SIZE: '10' });
    http = request(t.app.getHttpServer());
  }, 120_000);
  afterAll(() => t.close());

  it('import-registry and sync --wait: progress lines on stderr (not a terminal), only results on stdout', async () => {
    const imported = await cli(['import-registry', join(city, 'registry'), '--json']);
    expect({ code: imported.code, stderr: imported.code === 0 ? '' : imported.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(imported.stdout) as { files: { file: string; received: number }[] }; // stdout is the report alone
    const last = report.files[report.files.length - 1];
    const rows = report.files.reduce((n, f) => n + f.received, 0);
    // The final line: the last file, every row of every file read.
    expect(imported.stderr).toContain(`import-registry ${report.files.length}/${report.files.length} ${last.file} | ${rows} rows |`);
    expect(imported.stderr).not.toMatch(CURSOR_MOVES); // plain lines

    const synced = await cli(['sync', '--all', '--wait']);
    expect({ code: synced.code, stderr: synced.code === 0 ? '' : synced.stderr }).toEqual({ code: 0, stderr: '' });
    expect(synced.stdout).not.toMatch(/ records \|/);
    expect(synced.stderr).not.toMatch(CURSOR_MOVES);
    // A finished sync carries no progress in the sources API; the CLI's last line counts every record its runs received.
    const sources = bodyOf<{ lastRun: { status: string; received: number; progress: unknown } | null }[]>(await http.get('/api/sources').set(admin()).expect(200));
    const ran = sources.flatMap((s) => (s.lastRun ? [s.lastRun] : []));
    for (const r of ran) expect(r).toMatchObject({ status: 'succeeded', progress: null });
    const received = ran.reduce((n, r) => n + r.received, 0);
    expect(received).toBeGreaterThan(0);
    expect(synced.stderr).toMatch(new RegExp(`^sync \\| ${received} records \\| [\\d.]+/s \\| elapsed \\d+:\\d\\d$`, 'm'));
    await drainQueues(t.app.get(QueueService));
  }, 300_000);

  it('a running recompute shows households done of its total in the API; a finished one shows none', async () => {
    const queues = t.app.get(QueueService);
    const job = await queues.enqueue(JobName.RecomputePlan, { asOf: '2026-11-01', full: true, trigger: 'test', requestKey: 'progress-api' });
    const seen: NonNullable<RunView['progress']>[] = [];
    let finished = false;
    const finish = queues
      .waitFor<PlanResult>(QueueName.Recompute, job)
      .then((plan) => queues.waitForRun(plan.runId))
      .finally(() => (finished = true));
    while (!finished) {
      const running = (await runs()).find((r) => r.status === 'running');
      if (running?.progress) {
        seen.push(running.progress);
        expect(running.progress).toMatchObject({ unit: 'households', total: running.households });
        expect(running.progress.done).toBeLessThanOrEqual(running.households);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const result = await finish;
    expect(seen.length).toBeGreaterThan(0);
    // Figures only grow while it runs.
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
    const done = (await runs()).find((r) => r.id === String(result.runId))!;
    expect(done).toMatchObject({ status: 'completed', progress: null });
    expect(done.evaluated).toBe(done.households);
    expect(done.households).toBe(seen[0].total);
  }, 180_000);

  it('recompute --wait: the progress on stderr ends at every household, stdout is the JSON result alone', async () => {
    const out = await cli(['recompute', '--full', '--wait', '--as-of', '2026-11-01']);
    expect({ code: out.code, stderr: out.code === 0 ? '' : out.stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(out.stdout) as { runId: string; evaluated: number };
    expect(result.evaluated).toBeGreaterThan(0);
    expect(out.stderr).toMatch(new RegExp(`^recompute run ${result.runId} \\| \\[[=-]+\\] 100% ${result.evaluated}/${result.evaluated} households \\| `, 'm'));
  }, 180_000);
});
