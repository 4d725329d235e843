import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, linkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { JobName, QueueName } from '../jobs/catalogue';
import { QueueService } from '../jobs/queue.service';
import { AppModule } from '../src/app.module';
import { cliActor } from '../src/auth/actor';
import { loadConfig } from '../src/config/config';
import { ensureDatabase, migrate } from '../src/database/migrator';
import type { PlanResult } from '../src/eligibility/recompute.service';
import { generateCity, GenerateSummary } from '../src/generator/city-generator';
import { RegistryImportService } from '../src/registry/registry-import.service';
import { SourcesService } from '../src/sources/sources.service';

/** A loaded bench city: the generated city's database, an app context with workers, and an admin connection. */
export interface BenchCity {
  app: INestApplicationContext;
  admin: Client;
  config: ReturnType<typeof loadConfig>;
  manifest: GenerateSummary;
  drop: string;
  /** Runs a recompute and waits for it: its time, plan and result. */
  recompute(full: boolean, key: string): Promise<{ ms: number; plan: PlanResult; result: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * Generates (once, kept under `dataDir`) and loads a city of `households` into the bench database,
 * unless `reuse` finds it loaded already; the app context runs workers in this process.
 */
export async function benchCity(args: { households: number; dataDir: string; databaseUrl: string; redisUrl: string; reuse?: boolean }): Promise<BenchCity> {
  const cityDir = resolve(args.dataDir, `bench-recompute-${args.households}`);
  let manifest: GenerateSummary;
  if (existsSync(join(cityDir, 'manifest.json'))) manifest = JSON.parse(readFileSync(join(cityDir, 'manifest.json'), 'utf8')) as GenerateSummary;
  else {
    const t = Date.now();
    manifest = await generateCity({ households: args.households, seed: 11, outDir: cityDir, json: false });
    log(`generated ${manifest.households} households in ${sec(Date.now() - t)} s`);
  }
  const drop = resolve(args.dataDir, 'bench-recompute-drop');
  rmSync(drop, { recursive: true, force: true });
  for (const s of readdirSync(join(cityDir, 'feeds'))) {
    mkdirSync(join(drop, s), { recursive: true });
    // Hard links: the sync skips symbolic links (a drop folder takes regular files only).
    for (const f of readdirSync(join(cityDir, 'feeds', s))) linkSync(join(cityDir, 'feeds', s, f), join(drop, s, f));
  }
  await ensureDatabase(args.databaseUrl);
  const config = loadConfig({ ...process.env, DATABASE_URL: args.databaseUrl, REDIS_URL: args.redisUrl, APP_ROLE: 'all', QUEUE_PREFIX: `phrbench${Date.now()}`, LOG_LEVEL: 'warn', FEED_DROP_DIR: drop });
  // The same session settings as the service's connections, for the floor too.
  const admin = new Client({ connectionString: args.databaseUrl, options: config.databaseSessionOptions });
  await admin.connect();
  // --reuse: the city loaded by an earlier run of the same size stays (to measure recomputes again).
  const loaded = args.reuse && Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'household'`)).rows[0].n) > 0
    && Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM household`)).rows[0].n) === manifest.households;
  if (!loaded) await admin.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public;`);
  await migrate(args.databaseUrl);
  const app: INestApplicationContext = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: process.env.BENCH_DEBUG ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn'] });
  if (!loaded) await loadCity(app, cityDir, admin);
  const queues = app.get(QueueService);
  return {
    app,
    admin,
    config,
    manifest,
    drop,
    async recompute(full: boolean, key: string) {
      const started = Date.now();
      const job = await queues.enqueue(JobName.RecomputePlan, { asOf: manifest.asOf, full, trigger: 'cli', requestKey: key });
      const plan = await queues.waitFor<PlanResult>(QueueName.Recompute, job);
      const result = await queues.waitForRun(plan.runId);
      return { ms: Date.now() - started, plan, result };
    },
    async close() {
      await queues.obliterateAll().catch(() => undefined);
      await app.close();
      await admin.end();
    },
  };
}

/**
 * `npm run bench -- recompute [--households N]`: loads a generated city, then prints the full
 * recompute time, the incremental time after 1% of persons change, and the floor: one plain
 * query that reads the same joined department data once (streamed to this process).
 */
export async function recomputeBench(args: { households: number; dataDir: string; databaseUrl: string; redisUrl: string; reuse?: boolean }): Promise<void> {
  const city = await benchCity(args);
  const { admin, config, manifest, drop } = city;
  const run = city.recompute.bind(city);
  try {
    const full = await run(true, 'bench-full');
    log(`full: ${JSON.stringify(full.result.byRule)}`);
    // The same with a second worker process taking shards (scale-out: any number of workers, any machine).
    const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
      env: { ...process.env, DATABASE_URL: args.databaseUrl, REDIS_URL: args.redisUrl, QUEUE_PREFIX: config.queuePrefix, APP_ROLE: 'worker', LOG_LEVEL: 'error', FEED_DROP_DIR: drop },
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, 3000));
    const full2 = await run(true, 'bench-full-2w');
    child.kill('SIGTERM');

    // 1% of persons change: one of their records gets a new version, logged as a sync would.
    const persons = Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM member`)).rows[0].n);
    const changed = Math.max(1, Math.round(persons / 100));
    await admin.query(
      `WITH picked AS (SELECT person_id FROM member ORDER BY md5(person_id::text) LIMIT $1),
       rec AS (SELECT DISTINCT ON (r.person_id) r.source, r.record_id, r.person_id FROM source_record r JOIN picked p ON p.person_id = r.person_id ORDER BY r.person_id, r.record_id),
       upd AS (UPDATE source_record s SET updated_at = s.updated_at + interval '1 second', data = s.data || '{"benchTouched": true}' FROM rec WHERE s.source = rec.source AND s.record_id = rec.record_id RETURNING s.person_id)
       INSERT INTO change_log (run_id, person_id) SELECT 0, person_id FROM upd`,
      [changed],
    );
    const incremental = await run(false, 'bench-incr');

    // The floor: the same joined department data read once, streamed to this process; the faster
    // of the server's default settings and the service's session settings.
    const floors = [await floorRead(args.databaseUrl, ''), await floorRead(args.databaseUrl, config.databaseSessionOptions)];
    const floorMs = Math.min(floors[0].ms, floors[1].ms);
    const bytes = floors[0].bytes;
    log(`floor: ${sec(floors[0].ms)} s with the server's defaults, ${sec(floors[1].ms)} s with the service's session settings`);

    process.stdout.write(
      [
        '',
        `recompute benchmark: ${manifest.households.toLocaleString('en-US')} households, ${Object.values(manifest.records).reduce((a, b) => a + b, 0).toLocaleString('en-US')} department records`,
        `  floor (one query reading the joined data, ${(bytes / 2 ** 20).toFixed(0)} MB) : ${sec(floorMs)} s`,
        `  full recompute, 1 worker process (${full.plan.shards} shards, ${full.plan.households} households) : ${sec(full.ms)} s  = ${(full.ms / floorMs).toFixed(2)} x floor`,
        `  full recompute, 2 worker processes                                  : ${sec(full2.ms)} s  = ${(full2.ms / floorMs).toFixed(2)} x floor`,
        `  incremental after ${changed} persons (1%) change : ${sec(incremental.ms)} s  (${incremental.plan.households} households re-evaluated, ${incremental.plan.shards} shards)`,
        '',
      ].join('\n'),
    );
  } finally {
    await city.close();
  }
}

async function floorRead(databaseUrl: string, options: string): Promise<{ ms: number; bytes: number }> {
  const c = new Client({ connectionString: databaseUrl, options });
  await c.connect();
  const t = Date.now();
  let bytes = 0;
  await pipeline(
    c.query(
      copyTo(`COPY (
        SELECT h.id, m.person_id, r.kind, r.updated_at, r.data FROM household h
          JOIN member m ON m.household_id = h.id JOIN source_record r ON r.person_id = m.person_id AND NOT r.deleted
         WHERE h.status IN ('active', 'waiting')
        UNION ALL
        SELECT h.id, r.person_id, r.kind, r.updated_at, r.data FROM household h JOIN source_record r ON r.unit_id = h.unit_id AND NOT r.deleted
         WHERE h.status IN ('active', 'waiting')) TO STDOUT`),
    ),
    new Writable({
      write(chunk: Buffer, _e, cb) {
        bytes += chunk.length;
        cb();
      },
    }),
  );
  const ms = Date.now() - t;
  await c.end();
  return { ms, bytes };
}

async function loadCity(app: INestApplicationContext, cityDir: string, admin: Client): Promise<void> {
  let t = Date.now();
  await app.get(RegistryImportService).importDirectory(join(cityDir, 'registry'), cliActor());
  log(`registry loaded in ${sec(Date.now() - t)} s`);
  t = Date.now();
  const sources = app.get(SourcesService);
  await Promise.all((await sources.trigger('all', { mode: 'incremental', trigger: 'cli', requestKey: 'bench' })).map((j) => sources.waitFor(j)));
  log(`feeds loaded in ${sec(Date.now() - t)} s`);
  await admin.query('VACUUM ANALYZE');
  const queues = app.get(QueueService);
  // Let the recomputes that the syncs enqueued drain first.
  for (;;) {
    const counts = await queues.queue(QueueName.Recompute).getJobCounts('waiting', 'active', 'delayed', 'waiting-children');
    if (Object.values(counts).every((n) => n === 0)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const sec = (ms: number) => (ms / 1000).toFixed(1);
function log(s: string) {
  process.stderr.write(`${s}\n`);
}
