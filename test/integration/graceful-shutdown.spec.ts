import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { QueueName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { makeIdNo } from '../../src/common/identity';
import { SourcesService } from '../../src/sources/sources.service';
import { DepartmentSimulator } from '../support/department-simulator';
import { REDIS_URL } from '../support/env';
import { createTestDatabase } from '../support/test-db';
import { clearPrefix } from '../support/test-app';

/** SIGTERM's path (app.close) with a sync running: bounded, and the job goes back to the queue. */
describe('graceful shutdown with a running sync (real PostgreSQL, Redis, HTTP)', () => {
  const prefix = `phrtest:shutdown:${randomBytes(3).toString('hex')}`;
  let sim: DepartmentSimulator;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let url: string;

  const start = async (): Promise<INestApplication> => {
    const config = loadConfig({
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      APP_ROLE: 'worker',
      LOG_LEVEL: 'error',
      SOURCE_VEHICLE_URL: url,
      SOURCE_VEHICLE_TOKEN: sim.token,
      HTTP_TIMEOUT_MS: '120000',
      SHUTDOWN_GRACE_MS: '1500',
    });
    const app = await createApp(config, { logger: false });
    await app.init();
    return app;
  };
  const runs = async () => (await pool.query(`SELECT id::int, status FROM sync_run WHERE source = 'vehicle' ORDER BY id`)).rows;

  beforeAll(async () => {
    sim = new DepartmentSimulator('vehicle');
    url = await sim.start();
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
  });
  afterAll(async () => {
    await pool.end();
    await sim.stop();
    await clearPrefix(prefix);
    await db.drop();
  });

  it('stops within the grace period, hands the running job back, and the next worker finishes it', async () => {
    sim.pageDelayMs = 60_000; // the department answers slowly: the sync is mid-request at SIGTERM
    const first = await start();
    const [job] = await first.get(SourcesService).trigger(['vehicle'], { mode: 'incremental', trigger: 'test', requestKey: 'shutdown' });
    for (let i = 0; i < 100 && !(await runs()).some((r) => r.status === 'running'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await runs()).toEqual([{ id: 1, status: 'running' }]);

    const started = Date.now();
    await first.close();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(6_000);
    // The process would exit now; here its connections (the handed-back sync's among them, with
    // the source's lock) are ended as the exit would end them.
    await pool.end();
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    await admin.end();
    pool = new Pool({ connectionString: db.url, max: 2 });

    // Back in the queue, neither failed nor completed, for whichever worker comes next.
    sim.pageDelayMs = 0;
    const second = await start();
    try {
      const queued = await second.get(QueueService).job(QueueName.Sources, job.id!);
      expect(['delayed', 'waiting', 'active', 'completed']).toContain(await queued!.getState());
      const summary = await second.get(SourcesService).waitFor(queued!);
      expect(summary).toMatchObject({ status: 'succeeded', received: 1, inserted: 1 });
      // The run the first worker left behind is closed as interrupted; the second succeeded.
      expect(await runs()).toEqual([
        { id: 1, status: 'interrupted' },
        { id: 2, status: 'succeeded' },
      ]);
      expect(await queued!.getState()).toBe('completed');
      expect(queued!.attemptsMade).toBeLessThanOrEqual(1);
    } finally {
      await second.close();
    }
  }, 60_000);
});
