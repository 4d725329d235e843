import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { QueueService } from '../../jobs/queue.service';
import { cliActor } from '../../src/auth/actor';
import { UsersService } from '../../src/accounts/users.service';
import { TokenService } from '../../src/auth/token.service';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { ensureDatabase, migrate } from '../../src/database/migrator';
import { generateCity } from '../../src/generator/city-generator';
import { RegistryImportService } from '../../src/registry/registry-import.service';
import { recomputeAndWait } from '../support/city';
import { dbUrl, PG_BASE, REDIS_URL } from '../support/env';
import { tempDir } from '../support/files';
import { clearPrefix } from '../support/test-app';

const ROLE = 'phr_test_service';

/** The service runs as a role that cannot alter the schema or rewrite its own audit trail. */
describe('least privilege: the service role (real PostgreSQL)', () => {
  const name = `phr_t_lp_${randomBytes(3).toString('hex')}`;
  const ownerUrl = dbUrl(name);
  const serviceUrl = (() => {
    const u = new URL(dbUrl(name));
    u.username = ROLE;
    return u.toString();
  })();
  const prefix = `phrtest:lp:${randomBytes(3).toString('hex')}`;
  let app: INestApplication<Server>;
  let service: Client;

  beforeAll(async () => {
    await ensureDatabase(ownerUrl);
    await migrate(ownerUrl, undefined, { serviceUrl });
    const city = tempDir('lp-city');
    await generateCity({ households: 40, seed: 8, outDir: city, json: false, asOf: '2026-11-01' });
    app = await createApp(loadConfig({ DATABASE_URL: serviceUrl, MIGRATION_DATABASE_URL: ownerUrl, REDIS_URL, QUEUE_PREFIX: prefix, APP_ROLE: 'all', LOG_LEVEL: 'error' }), { logger: false });
    await app.init();
    await app.get(RegistryImportService).importDirectory(join(city, 'registry'), cliActor());
    service = new Client({ connectionString: serviceUrl });
    await service.connect();
  }, 120_000);
  afterAll(async () => {
    await service.end();
    await app.close();
    await clearPrefix(prefix);
    const admin = new Client({ connectionString: `${PG_BASE}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('runs the whole service as that role: import, recompute (with its scope analysed), API, audit', async () => {
    const run = await recomputeAndWait(app.get(QueueService), { asOf: '2026-11-01', full: true, trigger: 'test', requestKey: 'lp' });
    expect(run.runId).toBe('1');
    const token = (await app.get(TokenService).create('lp-viewer', 'viewer', 'test')).token;
    // An incremental run analyses its scope through phr_analyze (owner's right, lent for that table only).
    const incr = await recomputeAndWait(app.get(QueueService), { asOf: '2026-11-01', full: false, trigger: 'test', requestKey: 'lp-incr' });
    expect(incr.mode).toBe('incremental');
    const server = app.getHttpServer();
    const res = await request(server).get('/api/exports/summary?format=csv').set({ Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    const { rows } = await service.query(`SELECT current_user AS who, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS super`);
    expect(rows[0]).toEqual({ who: ROLE, super: false });
    expect((await service.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'export.summary.end'`)).rows[0].n).toBe(1);
  }, 120_000);

  it('uses the accounts tables as that role: create a user, sign in, a session cookie, sign out', async () => {
    await app.get(UsersService).create({ username: 'lp-user', role: 'viewer', password: 'lp-user-long-passphrase' }, cliActor());
    const server = app.getHttpServer();
    const login = await request(server).post('/api/auth/login').send({ username: 'lp-user', password: 'lp-user-long-passphrase' }).expect(200);
    const cookies = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]);
    const cookie = cookies.join('; ');
    const signedIn = { Cookie: cookie, 'X-XSRF-TOKEN': cookies.find((c) => c.startsWith('XSRF-TOKEN='))!.slice('XSRF-TOKEN='.length) };
    await request(server).post('/api/auth/password').set(signedIn).send({ current: 'lp-user-long-passphrase', next: 'lp-user-new-passphrase' }).expect(200);
    await request(server).get('/api/auth/me').set('Cookie', cookie).expect(200);
    await request(server).post('/api/auth/logout').set(signedIn).expect(200);
    await request(server).get('/api/auth/me').set('Cookie', cookie).expect(401);
  });

  it.each([
    ['disable triggers through session_replication_role', `SET session_replication_role = replica`, /permission denied/],
    ['disable the audit trigger', `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`, /must be owner/],
    ['alter the schema', `ALTER TABLE household ADD COLUMN x int`, /must be owner/],
    ['create a table', `CREATE TABLE public.x (id int)`, /permission denied/],
    ['drop a table', `DROP TABLE sample_item`, /must be owner/],
    ['truncate the audit log', `TRUNCATE audit_log`, /permission denied/],
    ['truncate the case timeline', `TRUNCATE case_event`, /permission denied/],
    ['truncate a working table', `TRUNCATE household CASCADE`, /permission denied/],
    ['update an audit row', `UPDATE audit_log SET actor = 'x'`, /permission denied/],
    ['delete audit rows', `DELETE FROM audit_log`, /permission denied/],
    ['delete case events', `DELETE FROM case_event`, /permission denied/],
    ['rewrite the migrations record', `DELETE FROM "_prisma_migrations"`, /permission denied/],
    ['change the instance id', `UPDATE deployment_instance SET instance_id = 'x'`, /permission denied/],
    ['analyse any table through the lent function', `SELECT phr_analyze('audit_log')`, /not analyzable/],
  ])('cannot %s', async (_label, sql, error) => {
    await expect(service.query(sql)).rejects.toThrow(error);
  });

  it('the owner cannot truncate the append-only tables either', async () => {
    const owner = new Client({ connectionString: ownerUrl });
    await owner.connect();
    try {
      await expect(owner.query(`TRUNCATE case_event`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
  });
});
