import { NestFactory } from '@nestjs/core';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { JobName, QueueName } from '../jobs/catalogue';
import { QueueService } from '../jobs/queue.service';
import { AppModule } from '../src/app.module';
import { cliActor } from '../src/auth/actor';
import { CasesService } from '../src/cases/cases.service';
import { addDays } from '../src/common/dates';
import { loadConfig } from '../src/config/config';
import { ensureDatabase, migrate } from '../src/database/migrator';
import { Disclosure } from '../src/auth/disclosure';
import type { PlanResult } from '../src/eligibility/recompute.service';
import { ExportsService } from '../src/exports/exports.service';
import { generateCity, GenerateSummary } from '../src/generator/city-generator';
import { importLedger, linkFeeds, loadFeeds, waitForCases } from './city-steps';

/** The share of exit cases walked to 应退未退 (a fresh city has none). */
const OVERDUE_SHARE = 0.05;

interface Step {
  name: string;
  ms: number;
  /** This process's peak RSS so far (MB). */
  rssMb: number;
  /** The database's size after the step (MB). */
  dbMb: number;
}

/**
 * `npm run bench -- city [--households N]`: a whole city end to end on this machine, each step
 * timed with the peak RSS of this process (API, workers and all, in one) and the disk used: generate,
 * import the ledger, load every feed, a full recompute and its cases, a fixed share of exit cases
 * walked to 应退未退 with back-dated dates (confirmed, the contest window and the deadline passed by
 * the daily deadline pass), and the 应退未退整改情况表 exported to a file.
 */
export async function cityBench(args: { households: number; dataDir: string; databaseUrl: string; redisUrl: string }): Promise<void> {
  const steps: Step[] = [];
  const cityDir = resolve(args.dataDir, `bench-city-${args.households}`);
  const started = Date.now();
  await ensureDatabase(args.databaseUrl);
  const admin = new Client({ connectionString: args.databaseUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public;`);
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    const out = await run();
    const dbMb = Number((await admin.query<{ n: string }>(`SELECT pg_database_size(current_database()) AS n`)).rows[0].n) / 2 ** 20;
    steps.push({ name, ms: Date.now() - t, rssMb: process.resourceUsage().maxRSS / 1024, dbMb });
    process.stderr.write(`${name}: ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    return out;
  };

  const manifest = await step('generate', async () =>
    existsSync(join(cityDir, 'manifest.json'))
      ? (JSON.parse(readFileSync(join(cityDir, 'manifest.json'), 'utf8')) as GenerateSummary)
      : generateCity({ households: args.households, seed: 13, outDir: cityDir, json: false }),
  );
  const drop = resolve(args.dataDir, 'bench-city-drop');
  linkFeeds(cityDir, drop);
  await migrate(args.databaseUrl);
  const config = loadConfig({ ...process.env, DATABASE_URL: args.databaseUrl, REDIS_URL: args.redisUrl, APP_ROLE: 'all', QUEUE_PREFIX: `phrbenchcity${Date.now()}`, LOG_LEVEL: 'warn', FEED_DROP_DIR: drop, DOCUMENT_DIR: resolve(args.dataDir, 'bench-city-documents') });
  const app = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: ['error', 'warn'] });
  const queues = app.get(QueueService);
  try {
    await step('import the ledger', () => importLedger(app, cityDir));
    await step('load every feed', () => loadFeeds(app, admin, 'bench-city'));
    const run = await step('full recompute and its cases', async () => {
      const job = await queues.enqueue(JobName.RecomputePlan, { asOf: manifest.asOf, full: true, trigger: 'cli', requestKey: `bench-city-${Date.now()}` });
      const plan = await queues.waitFor<PlanResult>(QueueName.Recompute, job, 3 * 3600_000);
      await queues.waitForRun(plan.runId, 3 * 3600_000);
      await waitForCases(queues, plan.runId);
      return plan;
    });
    const cases = app.get(CasesService);
    const walked = await step(`${OVERDUE_SHARE * 100}% of exit cases walked to 应退未退 (back-dated)`, async () => {
      const ids = (
        await admin.query<{ id: string }>(
          `SELECT id::text AS id FROM "case" WHERE kind = 'exit' AND status = 'open'
              AND NOT EXISTS (SELECT 1 FROM case_finding cf WHERE cf.case_id = "case".id AND cf.rule_code IN ('SUBLET', 'VACANT'))
            ORDER BY md5(id::text) LIMIT (SELECT ceil(count(*) * $1::numeric)::int FROM "case" WHERE kind = 'exit')`,
          [OVERDUE_SHARE],
        )
      ).rows.map((r) => r.id);
      const confirmedOn = addDays(manifest.asOf, -200);
      for (const id of ids) await cases.act(id, 'confirm', { reason: '基准测试：联审数据核实属实' }, cliActor(), confirmedOn);
      // The daily pass on the day after the window (notices), then after the deadlines (应退未退).
      await cases.deadlines(addDays(confirmedOn, 16));
      const pass = await cases.deadlines(addDays(confirmedOn, 16 + 91));
      return { confirmed: ids.length, overdue: pass.markedOverdue };
    });
    const file = resolve(args.dataDir, `bench-city-${args.households}-应退未退整改情况表.xlsx`);
    const rows = await step('export 应退未退整改情况表 (XLSX)', () => app.get(ExportsService).overdue(createWriteStream(file), 'xlsx', {}, cliActor(), Disclosure.masked()));
    const feedBytes = readdirSync(join(cityDir, 'feeds')).reduce((sum, s) => sum + readdirSync(join(cityDir, 'feeds', s)).reduce((a, f) => a + statSync(join(cityDir, 'feeds', s, f)).size, 0), 0);
    const total = (Date.now() - started) / 1000;
    const peak = Math.max(...steps.map((s) => s.rssMb));
    process.stdout.write(
      [
        '',
        `city benchmark: ${manifest.households.toLocaleString('en-US')} households, ${Object.values(manifest.records).reduce((a, b) => a + b, 0).toLocaleString('en-US')} department records (feed files ${(feedBytes / 2 ** 30).toFixed(2)} GiB), run ${run.runId}`,
        ...steps.map((s) => `  ${s.name.padEnd(52)} ${(s.ms / 1000).toFixed(1).padStart(8)} s   peak RSS ${s.rssMb.toFixed(0).padStart(5)} MB   database ${s.dbMb.toFixed(0).padStart(6)} MB`),
        `  cases walked: ${walked.confirmed} confirmed, ${walked.overdue} 应退未退; exported ${rows} rows to ${file}`,
        `  total ${(total / 60).toFixed(1)} min (target < 30 min): ${total < 1800 ? 'PASS' : 'FAIL'}; peak RSS ${peak.toFixed(0)} MB (target < 1024 MB): ${peak < 1024 ? 'PASS' : 'FAIL'}`,
        '',
      ].join('\n'),
    );
  } finally {
    await queues.obliterateAll().catch(() => undefined);
    await app.close();
    await admin.end();
  }
}
