import { ChildProcess } from 'node:child_process';
import { Pool } from 'pg';
import { SourcesProcessor } from '../../src/worker/processors/sources.processor';
import { SourcesService } from '../../src/sources/sources.service';
import { SyncService } from '../../src/sources/sync.service';
import { DepartmentSimulator } from '../support/department-simulator';
import { recordId, vehicle } from '../support/vehicle-records';
import { REDIS_URL } from '../support/env';
import { spawnTs } from '../support/run-ts';
import { startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(240_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * feeds.md 1a: on 410 the sync starts over as a full resync, whose end withdraws every record the
 * department no longer has. A worker killed in the middle of it, and another that resumes it,
 * must withdraw exactly the records the department dropped: none it still has, none twice.
 */
describe('a worker killed during a 410 full resync, then resumed', () => {
  let t: TestApp;
  let sim: DepartmentSimulator;
  let pool: Pool;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    sim = new DepartmentSimulator('vehicle');
    const url = await sim.start();
    t = await startTestApp('resync_kill', { APP_ROLE: 'all', SOURCE_VEHICLE_URL: url, SOURCE_VEHICLE_TOKEN: sim.token, HTTP_TIMEOUT_MS: '5000', SYNC_BATCH_RECORDS: '300' }, { listen: false });
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await pool.end();
    await t.close();
    await sim.stop();
  });

  it('withdraws exactly the records the department dropped', async () => {
    const sources = t.app.get(SourcesService);
    sim.put(...Array.from({ length: 3000 }, (_, i) => vehicle(i)));
    const [first] = await sources.trigger(['vehicle'], { mode: 'incremental', trigger: 'test', requestKey: 'initial' });
    expect(await sources.waitFor(first)).toMatchObject({ status: 'succeeded', inserted: 3000 });

    // The department drops 25 records without a delete event (spread over its snapshot order:
    // before and after where the worker will be killed), adds 10, and forgets our cursor.
    const dropped = Array.from({ length: 25 }, (_, k) => recordId(k * 120 + 7)).sort();
    const log = (sim as unknown as { log: { recordId: string }[] }).log;
    for (let i = log.length - 1; i >= 0; i--) if (dropped.includes(log[i].recordId)) log.splice(i, 1);
    sim.put(...Array.from({ length: 10 }, (_, i) => vehicle(5000 + i)));
    sim.expireCursors();
    sim.maxPageSize = 100;
    // Slow pages (3 s for the whole snapshot) leave time to kill the worker mid-resync, even on a busy machine.
    sim.pageDelayMs = 100;

    // Only a worker in another process may take the sync: this one's stops for good.
    await t.app.get(SourcesProcessor).worker.close();
    child = spawnTs(
      'src/main.ts',
      [],
      {
        DATABASE_URL: t.dbUrl,
        REDIS_URL,
        QUEUE_PREFIX: t.config.queuePrefix,
        APP_ROLE: 'worker',
        LOG_LEVEL: 'error',
        SYNC_BATCH_RECORDS: '300',
        HTTP_TIMEOUT_MS: '5000',
        SOURCE_VEHICLE_URL: t.config.env.SOURCE_VEHICLE_URL!,
        SOURCE_VEHICLE_TOKEN: sim.token,
      },
      'ignore',
    );
    const runBefore = (await pool.query<{ id: string }>(`SELECT coalesce(max(id), 0) AS id FROM sync_run`)).rows[0].id;
    await sources.trigger(['vehicle'], { mode: 'incremental', trigger: 'test', requestKey: 'resync' });
    // The child meets the 410, starts the resync and commits some batches of it: then it is killed.
    let progress: { received: number; resync: string | null } | undefined;
    for (let i = 0; i < 1200; i++) {
      progress = (
        await pool.query<{ received: number; resync: string | null }>(
          `SELECT r.received, s.resync_run_id AS resync FROM sync_run r, source_state s
            WHERE r.id > $1 AND r.source = 'vehicle' AND s.source = 'vehicle' ORDER BY r.id DESC LIMIT 1`,
          [runBefore],
        )
      ).rows[0];
      if (progress && progress.resync && progress.received >= 600) break;
      await sleep(100);
    }
    child.kill('SIGKILL');
    await new Promise((r) => (child!.exitCode !== null || child!.signalCode !== null ? r(null) : child!.once('exit', r)));
    expect(progress!.resync).not.toBeNull();
    const mid = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM source_record WHERE source = 'vehicle' AND deleted`)).rows[0].n;
    expect(mid).toBe(0);
    expect((await pool.query<{ resync_run_id: string | null }>(`SELECT resync_run_id FROM source_state WHERE source = 'vehicle'`)).rows[0].resync_run_id).toBe(progress!.resync);

    // Another worker (this process's service) resumes from the committed snapshot cursor.
    sim.pageDelayMs = 0;
    const resumed = await t.app.get(SyncService).run({ source: 'vehicle', mode: 'incremental', trigger: 'test' });
    expect(resumed).toMatchObject({ status: 'succeeded', withdrawn: 25 });

    const withdrawn = (await pool.query<{ record_id: string }>(`SELECT record_id FROM source_record WHERE source = 'vehicle' AND deleted ORDER BY 1`)).rows.map((r) => r.record_id);
    expect(withdrawn).toEqual(dropped);
    const current = (await pool.query<{ record_id: string }>(`SELECT record_id FROM source_record WHERE source = 'vehicle' AND NOT deleted ORDER BY 1`)).rows.map((r) => r.record_id);
    expect(current).toEqual([...sim.current().keys()].sort());
    expect(current).toHaveLength(3000 - 25 + 10);
    const runs = (await pool.query(`SELECT id::text, status, withdrawn FROM sync_run WHERE id > $1 AND source = 'vehicle' ORDER BY id`, [runBefore])).rows;
    // The killed worker's run started the resync (its id marks what was seen); the resumed run finished it.
    expect(runs).toEqual([
      { id: String(progress!.resync), status: 'interrupted', withdrawn: 0 },
      { id: resumed.runId, status: 'succeeded', withdrawn: 25 },
    ]);
    expect((await pool.query<{ resync_run_id: string | null }>(`SELECT resync_run_id FROM source_state WHERE source = 'vehicle'`)).rows[0].resync_run_id).toBeNull();
  });
});
