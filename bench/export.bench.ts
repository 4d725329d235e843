import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { cliActor } from '../src/auth/actor';
import { Disclosure } from '../src/auth/disclosure';
import { loadConfig } from '../src/config/config';
import { ensureDatabase, migrate } from '../src/database/migrator';
import { ExportsService } from '../src/exports/exports.service';
import { generateCity } from '../src/generator/city-generator';
import { importLedger } from './city-steps';

/**
 * `npm run bench -- export [--rows N]`: time and peak memory of streaming N overdue rows of the
 * 应退未退整改情况表 as XLSX and as CSV. The registry comes from the generator; the N overdue cases
 * are made in one statement (one per household).
 */
export async function exportBench(args: { rows: number; dataDir: string; databaseUrl: string; redisUrl: string }): Promise<void> {
  const cityDir = resolve(args.dataDir, `bench-export-${args.rows}`);
  if (!existsSync(join(cityDir, 'manifest.json'))) await generateCity({ households: args.rows, seed: 3, outDir: cityDir, json: false });
  await ensureDatabase(args.databaseUrl);
  const admin = new Client({ connectionString: args.databaseUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public;`);
  await migrate(args.databaseUrl);
  const config = loadConfig({ ...process.env, DATABASE_URL: args.databaseUrl, REDIS_URL: args.redisUrl, APP_ROLE: 'api', QUEUE_PREFIX: 'phrbenchexport', LOG_LEVEL: 'warn' });
  const app: INestApplicationContext = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: ['error', 'warn'] });
  try {
    await importLedger(app, cityDir);
    await admin.query(
      `WITH c AS (
         INSERT INTO "case" (household_id, kind, status, nature, declared, confirmed_at, confirmed_by, contest_deadline, notice_at, deadline, market_rent_from, overdue_at)
         SELECT h.id, 'exit', 'overdue', 'eligibility', h.id % 5 = 0, DATE '2026-05-01', 'bench', DATE '2026-05-16', DATE '2026-05-17', DATE '2026-08-15', DATE '2026-05-17', DATE '2026-08-16'
           FROM household h ORDER BY h.id LIMIT $1 RETURNING id),
       f AS (INSERT INTO case_finding (case_id, rule_code, status, first_run_id, last_run_id, evidence)
             SELECT id, 'VEHICLE', 'open', 0, 0, '{"name":"车辆超标","nature":"eligibility"}' FROM c)
       INSERT INTO case_measure (case_id, measure, taken_on, progress, recorded_by) SELECT id, '催告', DATE '2026-09-01', '已书面催告', 'bench' FROM c`,
      [args.rows],
    );
    await admin.query('ANALYZE');
    const exports = app.get(ExportsService);
    const results: string[] = [];
    for (const format of ['xlsx', 'csv'] as const) {
      const file = resolve(args.dataDir, `bench-overdue.${format}`);
      global.gc?.();
      const base = process.memoryUsage().rss;
      let peak = base;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const started = Date.now();
      const n = await exports.overdue(createWriteStream(file), format, {}, cliActor(), Disclosure.masked(), '2026-11-22');
      const ms = Date.now() - started;
      clearInterval(timer);
      results.push(
        `  ${format.padEnd(4)}: ${n.toLocaleString('en-US')} rows in ${(ms / 1000).toFixed(1)} s, file ${(statSync(file).size / 2 ** 20).toFixed(1)} MB, peak RSS ${Math.round(peak / 2 ** 20)} MB (${Math.round((peak - base) / 2 ** 20)} MB above the process before it)`,
      );
    }
    process.stdout.write(['', `export benchmark: 应退未退整改情况表, ${args.rows.toLocaleString('en-US')} overdue cases`, ...results, ''].join('\n'));
  } finally {
    await app.close();
    await admin.end();
  }
}
