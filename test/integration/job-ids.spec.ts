import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { QueueService } from '../../jobs/queue.service';
import { cliActor } from '../../src/auth/actor';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { backup, restore } from '../../src/database/backup';
import { ensureDatabase, migrate } from '../../src/database/migrator';
import { generateCity } from '../../src/generator/city-generator';
import { RegistryImportService } from '../../src/registry/registry-import.service';
import { recomputeAndWait } from '../support/city';
import { dbUrl, PG_BASE, REDIS_URL } from '../support/env';
import { tempDir } from '../support/files';
import { clearPrefix } from '../support/test-app';

const AS_OF = '2026-11-01';

/**
 * Run ids come from sequences: a database recreated or restored beside a Redis that kept its jobs
 * makes runs with the ids of the earlier database's runs. Their jobs must not meet.
 */
describe('job ids across recreated and restored databases (real PostgreSQL and Redis)', () => {
  const prefix = `phrtest:jobids:${randomBytes(3).toString('hex')}`;
  const databases: string[] = [];
  let city: string;

  const freshDatabase = async () => {
    const name = `phr_t_jobids_${randomBytes(3).toString('hex')}`;
    databases.push(name);
    await ensureDatabase(dbUrl(name));
    await migrate(dbUrl(name));
    return dbUrl(name);
  };
  const start = (url: string) =>
    createApp(loadConfig({ DATABASE_URL: url, REDIS_URL, QUEUE_PREFIX: prefix, APP_ROLE: 'all', LOG_LEVEL: 'error' }), { logger: false }).then(async (app) => {
      await app.init();
      return app;
    });
  const findings = async (url: string, runId: string) => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (
        await c.query<{ household_code: string; rule_code: string; fingerprint: string }>(
          `SELECT h.household_code, f.rule_code, f.fingerprint FROM finding f JOIN household h ON h.id = f.household_id WHERE f.run_id = $1 ORDER BY 1, 2`,
          [runId],
        )
      ).rows;
    } finally {
      await c.end();
    }
  };
  const runStatus = async (url: string) => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<{ id: string; status: string }>(`SELECT id::text, status FROM recompute_run ORDER BY id`)).rows;
    } finally {
      await c.end();
    }
  };
  const loadAndRecompute = async (app: INestApplication, requestKey: string) => {
    await app.get(RegistryImportService).importDirectory(join(city, 'registry'), cliActor());
    return recomputeAndWait(app.get(QueueService), { asOf: AS_OF, full: true, trigger: 'test', requestKey });
  };

  beforeAll(async () => {
    city = tempDir('jobids-city');
    await generateCity({ households: 60, seed: 3, outDir: city, json: false, asOf: AS_OF });
  });
  afterAll(async () => {
    await clearPrefix(prefix);
    const admin = new Client({ connectionString: `${PG_BASE}/postgres` });
    await admin.connect();
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('a recreated database gets its own results while Redis keeps the earlier one\'s jobs, and a restored dump recomputes to the same findings', async () => {
    // First database: run 1 completes; its jobs stay in Redis (BullMQ keeps completed jobs).
    const first = await freshDatabase();
    let app = await start(first);
    const firstRun = await loadAndRecompute(app, 'same-key');
    const firstInstance = await app.get(QueueService).instanceId();
    await app.close();
    expect(firstRun.runId).toBe('1');
    const firstFindings = await findings(first, '1');
    expect(firstFindings.length).toBeGreaterThan(0);
    const dump = join(tempDir('jobids-dump'), 'housing.dump');
    await backup(first, dump);

    // The database is recreated (same name would do; a new one keeps the first for comparison).
    const second = await freshDatabase();
    app = await start(second);
    const secondInstance = await app.get(QueueService).instanceId();
    expect(secondInstance).not.toBe(firstInstance);
    // The same request key and the same run id as in the first database.
    const secondRun = await loadAndRecompute(app, 'same-key');
    await app.close();
    expect(secondRun.runId).toBe('1');
    expect(await runStatus(second)).toEqual([{ id: '1', status: 'completed' }]);
    expect(await findings(second, '1')).toEqual(firstFindings);

    // A dump restored beside the same Redis: a new instance id, and a new run completes.
    const restoredName = `phr_t_jobids_${randomBytes(3).toString('hex')}`;
    databases.push(restoredName);
    const { instanceId } = await restore(dump, dbUrl(restoredName));
    expect([firstInstance, secondInstance]).not.toContain(instanceId);
    app = await start(dbUrl(restoredName));
    const restoredRun = await recomputeAndWait(app.get(QueueService), { asOf: AS_OF, full: true, trigger: 'test', requestKey: 'same-key' });
    await app.close();
    expect(restoredRun.runId).toBe('2');
    expect(await runStatus(dbUrl(restoredName))).toEqual([
      { id: '1', status: 'completed' },
      { id: '2', status: 'completed' },
    ]);
    expect(await findings(dbUrl(restoredName), '2')).toEqual(firstFindings);
  }, 180_000);
});
