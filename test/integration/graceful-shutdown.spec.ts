import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { QueueName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { makeIdNo } from '../../src/common/identity';
import { SourcesService } from '../../src/sources/sources.service';
import { DepartmentSimulator } from '../support/department-simulator';
import { REDIS_URL } from '../support/env';
import { spawnTs } from '../support/run-ts';
import { createTestDatabase } from '../support/test-db';
import { clearPrefix } from '../support/test-app';

/** SIGTERM to a worker process with a sync running: bounded, and the job goes back to the queue. */
describe('graceful shutdown with a running sync (real process, PostgreSQL, Redis, HTTP)', () => {
  const prefix = `phrtest:shutdown:${randomBytes(3).toString('hex')}`;
  let sim: DepartmentSimulator;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let env: Record<string, string>;

  const app = async (role: 'api' | 'worker'): Promise<INestApplication> => {
    const a = await createApp(loadConfig({ ...env, APP_ROLE: role }), { logger: false });
    await a.init();
    return a;
  };
  const runs = async () => (await pool.query<{ id: number; status: string }>(`SELECT id::int, status FROM sync_run WHERE source = 'vehicle' ORDER BY id`)).rows;

  beforeAll(async () => {
    sim = new DepartmentSimulator('vehicle');
    const url = await sim.start();
    sim.put({
      recordId: 'CG1',
      updatedAt: '2026-10-01T10:00:00+08:00',
      ownerIdNo: makeIdNo('350581', '19850505', 5),
      ownerName: '张三',
      plateNo: '闽C1',
      vehicleType: '小型汽车',
      usage: '非营运',
      registeredOn: '2024-01-01',
      invoicePrice: 90000,
      status: 'normal',
    });
    db = await createTestDatabase('shutdown');
    pool = new Pool({ connectionString: db.url, max: 2 });
    env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'error',
      SOURCE_VEHICLE_URL: url,
      SOURCE_VEHICLE_TOKEN: sim.token,
      HTTP_TIMEOUT_MS: '120000',
      SHUTDOWN_GRACE_MS: '1500',
    };
  });
  afterAll(async () => {
    await pool.end();
    await sim.stop();
    await clearPrefix(prefix);
    await db.drop();
  });

  it('exits within the grace period, hands the running job back, and the next worker finishes it', async () => {
    sim.pageDelayMs = 60_000; // the department answers slowly: the sync is mid-request at SIGTERM
    const worker = spawnTs('src/main.ts', [], { ...env, APP_ROLE: 'worker' });
    let stderr = '';
    worker.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    worker.stdout!.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => worker.once('exit', (code, signal) => r({ code, signal })));

    const api = await app('api');
    try {
      const [job] = await api.get(SourcesService).trigger(['vehicle'], { mode: 'incremental', trigger: 'test', requestKey: 'shutdown' });
      for (let i = 0; i < 300 && !(await runs()).some((r) => r.status === 'running'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await runs()).toEqual([{ id: 1, status: 'running' }]);

      const started = Date.now();
      worker.kill('SIGTERM');
      const exit = await exited;
      const took = Date.now() - started;
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      expect(took).toBeGreaterThanOrEqual(1400);
      expect(took).toBeLessThan(8_000);
      expect(stderr).not.toMatch(/Unhandled|ERR_UNHANDLED/);

      // Back in the queue (delayed a moment), neither failed nor completed, for the next worker.
      const queued = await api.get(QueueService).job(QueueName.Sources, job.id);
      expect(['delayed', 'waiting']).toContain(await queued!.getState());
      sim.pageDelayMs = 0;
      const next = await app('worker');
      try {
        const summary = await next.get(SourcesService).waitFor(queued!);
        expect(summary).toMatchObject({ status: 'succeeded', received: 1, inserted: 1 });
        // The run the first worker left behind is closed as interrupted; the second succeeded.
        expect(await runs()).toEqual([
          { id: 1, status: 'interrupted' },
          { id: 2, status: 'succeeded' },
        ]);
        expect(await queued!.getState()).toBe('completed');
      } finally {
        await next.close();
      }
    } finally {
      worker.kill('SIGKILL');
      await api.close();
    }
  }, 90_000);
});
