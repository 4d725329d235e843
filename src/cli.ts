import 'reflect-metadata';
import { ConsoleLogger, INestApplicationContext, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { createWriteStream, readFileSync } from 'node:fs';
import { AppModule } from './app.module';
import { cliActor, ROLES, Role } from './auth/actor';
import { TokenService } from './auth/token.service';
import { UsersService } from './accounts/users.service';
import { createUserBody } from './accounts/accounts.schemas';
import { DomainError } from './common/errors';
import { AppConfig, loadConfig } from './config/config';
import { backup, restore } from './database/backup';
import { ensureDatabase, migrate } from './database/migrator';
import { generateCity } from './generator/city-generator';
import { runDemo } from './ops/demo';
import { importProgress, watchProgress } from './ops/progress';
import { printImportReport } from './registry/import-report';
import { RegistryImportService } from './registry/registry-import.service';
import { printSyncTable } from './sources/sync-report';
import { SourcesService } from './sources/sources.service';
import { FindingsService } from './eligibility/findings.service';
import { RecomputeService, type PlanResult } from './eligibility/recompute.service';
import { JobName, QueueName } from '../jobs/catalogue';
import { ExportsService } from './exports/exports.service';
import { CasesService } from './cases/cases.service';
import { Disclosure } from './auth/disclosure';
import { QueueService } from '../jobs/queue.service';
import { SimulationService } from './simulation/simulation.service';
import { simulationText } from './simulation/simulation-text';

/**
 * Operator commands: `npm run cli -- <command> [options]`. Results go to stdout; progress and
 * logs to stderr, so that machine-readable output (--format json) can be piped.
 */
type Command = (args: string[], config: AppConfig) => Promise<number>;

/** Logs go to stderr, so stdout carries only the command's output. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(messages: unknown[], context?: string, logLevel?: LogLevel): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}

async function withContext<T>(config: AppConfig, fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const logger = new StderrLogger();
  logger.setLogLevels(['error', 'warn']);
  const app = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

const commands: Record<string, { help: string; run: Command }> = {
  demo: {
    help: 'demo [--households N] [--data DIR]   migrate, generate and load a demo city, serve everything (role all)',
    run: async (args, config) => {
      const { values } = parseArgs({ args, options: { households: { type: 'string', default: '1000' }, data: { type: 'string', default: '.data' } } });
      await runDemo(config, { households: Number(values.households), dataDir: values.data });
      return -1; // keep serving
    },
  },
  migrate: {
    help: 'migrate                      create the database if needed and apply prisma/migrations',
    run: async (_args, config) => {
      await ensureDatabase(config.migrationDatabaseUrl);
      const r = await migrate(config.migrationDatabaseUrl, undefined, { serviceUrl: config.databaseUrl });
      process.stdout.write(`migrations: ${r.applied.length} applied, ${r.alreadyApplied.length} already applied\n`);
      for (const m of r.applied) process.stdout.write(`  applied ${m}\n`);
      return 0;
    },
  },
  backup: {
    help: 'backup --out FILE             pg_dump of the database (custom format; restore with `restore`)',
    run: async (args, config) => {
      const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
      if (!values.out) {
        process.stderr.write('usage: backup --out FILE\n');
        return 2;
      }
      await backup(config.migrationDatabaseUrl, values.out);
      process.stdout.write(`backup written to ${values.out}\n`);
      return 0;
    },
  },
  restore: {
    help: 'restore --from FILE          pg_restore into DATABASE_URL\'s (empty) database; gives it a new instance id',
    run: async (args, config) => {
      const { values } = parseArgs({ args, options: { from: { type: 'string' } } });
      if (!values.from) {
        process.stderr.write('usage: restore --from FILE\n');
        return 2;
      }
      const { instanceId } = await restore(values.from, config.migrationDatabaseUrl);
      // Newer migrations than the dump's, and the service role's grants on the restored tables.
      await migrate(config.migrationDatabaseUrl, undefined, { serviceUrl: config.databaseUrl });
      process.stdout.write(`restored ${values.from}; instance ${instanceId}\n`);
      return 0;
    },
  },
  'create-token': {
    help: 'create-token --name N --role admin|reviewer|auditor|viewer [--expires-days D]   print a new API token (shown once)',
    run: async (args, config) => {
      const { values } = parseArgs({ args, options: { name: { type: 'string' }, role: { type: 'string', default: 'admin' }, 'expires-days': { type: 'string' } } });
      const days = values['expires-days'] === undefined ? null : Number(values['expires-days']);
      if (!values.name || !ROLES.includes(values.role as Role) || (days !== null && !(Number.isInteger(days) && days >= 1 && days <= 3650))) {
        process.stderr.write(`usage: create-token --name NAME --role ${ROLES.join('|')} [--expires-days 1-3650]\n`);
        return 2;
      }
      const expiresAt = days === null ? null : new Date(Date.now() + days * 86_400_000);
      const created = await withContext(config, (app) => app.get(TokenService).create(values.name!, values.role as Role, cliActor().name, expiresAt));
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(`token #${created.id} (${values.role}) created; it is shown only this once\n`);
      return 0;
    },
  },
  'create-user': {
    help: 'create-user --username U --role R [--name N] [--towns A,B] [--projects P,Q] [--password-file F]   create a user; prints the one-time password',
    run: async (args, config) => {
      const { values } = parseArgs({
        args,
        options: { username: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, towns: { type: 'string' }, projects: { type: 'string' }, 'password-file': { type: 'string' } },
      });
      if (!values.username || !ROLES.includes(values.role as Role)) {
        process.stderr.write(`usage: create-user --username U --role ${ROLES.join('|')} [--name N] [--towns A,B] [--projects P,Q] [--password-file F]\n`);
        return 2;
      }
      const list = (v: string | undefined) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
      const password = values['password-file'] ? readFileSync(values['password-file'], 'utf8').replace(/\r?\n$/, '') : undefined;
      // The same checks as POST /api/users (username shape and case, scope codes).
      const input = createUserBody.safeParse({ username: values.username, displayName: values.name, role: values.role, towns: list(values.towns), projects: list(values.projects), password });
      if (!input.success) {
        process.stderr.write(`${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
        return 2;
      }
      try {
        const created = await withContext(config, (app) => app.get(UsersService).create(input.data, cliActor()));
        if (created.initialPassword) process.stdout.write(`${created.initialPassword}\n`);
        process.stderr.write(`user #${created.user.id} ${created.user.username} (${created.user.role}) created; they must change the password at first sign-in${created.initialPassword ? '; it is shown only this once' : ''}\n`);
        return 0;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        process.stderr.write(`${e.message}${Array.isArray(e.details) ? ': ' + e.details.map((d) => `${d.field}: ${d.reason}`).join('; ') : ''}\n`);
        return 1;
      }
    },
  },
  'import-registry': {
    help: 'import-registry <dir> [--json]  load the ledger files (projects/units/households/members/declarations/arrears/handovers .csv/.xlsx)',
    run: async (args, config) => {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
      if (positionals.length !== 1) {
        process.stderr.write('usage: import-registry <dir>\n');
        return 2;
      }
      const progress = importProgress('import-registry');
      const report = await withContext(config, (app) => app.get(RegistryImportService).importDirectory(positionals[0], cliActor(), progress.onProgress)).finally(progress.stop);
      if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else printImportReport(report, process.stdout);
      return report.files.some((f) => f.error) ? 1 : 0;
    },
  },
  sync: {
    help: 'sync [--source NAME | --all] [--full] [--wait]   pull department feeds (with --wait: run them here and print figures)',
    run: async (args, config) => {
      const { values } = parseArgs({ args, options: { source: { type: 'string', multiple: true }, all: { type: 'boolean' }, full: { type: 'boolean' }, wait: { type: 'boolean' } } });
      if (!values.all && !values.source?.length) {
        process.stderr.write('usage: sync [--source NAME ...| --all] [--full] [--wait]\n');
        return 2;
      }
      // With --wait this process also runs workers, so the sync completes even where none is running.
      const cfg = values.wait ? loadConfig({ ...process.env, APP_ROLE: 'all' }) : config;
      return withContext(cfg, async (app) => {
        const sources = app.get(SourcesService);
        const jobs = await sources.trigger(values.all ? 'all' : values.source!, { mode: values.full ? 'full' : 'incremental', trigger: 'cli', requestKey: `cli-${Date.now()}` });
        if (!values.wait) {
          for (const j of jobs) process.stdout.write(`enqueued ${j.id}\n`);
          return 0;
        }
        const all = Promise.all(jobs.map((j) => sources.waitFor(j).catch((err: Error) => ({ source: j.source, status: 'failed', error: err.message }) as never)));
        const results = await watchProgress('sync', all, () => sources.progress(jobs));
        printSyncTable(results, process.stdout);
        return results.some((r) => r.status === 'failed') ? 1 : 0;
      });
    },
  },
  recompute: {
    help: 'recompute [--as-of YYYY-MM-DD] [--full] [--wait]   recompute findings (incremental unless --full or no base run)',
    run: async (args, config) => {
      const { values } = parseArgs({ args, options: { 'as-of': { type: 'string' }, full: { type: 'boolean' }, wait: { type: 'boolean' } } });
      const cfg = values.wait ? loadConfig({ ...process.env, APP_ROLE: 'all' }) : config;
      return withContext(cfg, async (app) => {
        const queues = app.get(QueueService);
        const job = await queues.enqueue(JobName.RecomputePlan, { asOf: values['as-of'], full: !!values.full, trigger: 'cli', requestKey: `cli-${Date.now()}` });
        if (!values.wait) {
          process.stdout.write(`enqueued ${job.id}\n`);
          return 0;
        }
        const started = Date.now();
        const plan = await queues.waitFor<PlanResult>(QueueName.Recompute, job);
        const result = await watchProgress(`recompute run ${plan.runId}`, queues.waitForRun(plan.runId), () => app.get(RecomputeService).progress(plan.runId));
        process.stdout.write(JSON.stringify({ ...plan, ...result, seconds: (Date.now() - started) / 1000 }, null, 2) + '\n');
        return 0;
      });
    },
  },
  simulate: {
    help: 'simulate --draft ID [--as-of YYYY-MM-DD] [--format text|json]   run a draft policy over today\'s data and print its comparison with the policy in force',
    run: async (args) => {
      const { values } = parseArgs({ args, options: { draft: { type: 'string' }, 'as-of': { type: 'string' }, format: { type: 'string', default: 'text' } } });
      const draft = Number(values.draft);
      if (!Number.isInteger(draft) || draft < 1 || !['text', 'json'].includes(values.format)) {
        process.stderr.write('usage: simulate --draft ID [--as-of YYYY-MM-DD] [--format text|json]\n');
        return 2;
      }
      // Workers in this process take the shards (and any others' workers too).
      return withContext(loadConfig({ ...process.env, APP_ROLE: 'all' }), async (app) => {
        const simulations = app.get(SimulationService);
        const started = Date.now();
        const { id } = await simulations.start({ draft, asOf: values['as-of'] }, cliActor());
        let result = await simulations.get(id, cliActor());
        while (result.status === 'running') {
          await new Promise((r) => setTimeout(r, 250));
          result = await simulations.get(id, cliActor());
        }
        if (result.status === 'failed') {
          process.stderr.write(`simulation ${id} failed: ${result.error ?? ''}\n`);
          return 1;
        }
        const newly = async (change: 'newly_failing' | 'newly_passing') => (await simulations.changes(id, { change, page: 1, pageSize: 1 }, cliActor())).total;
        const figures = { ...result, newlyFailing: await newly('newly_failing'), newlyPassing: await newly('newly_passing'), seconds: (Date.now() - started) / 1000 };
        if (values.format === 'json') process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
        else process.stdout.write(simulationText(figures));
        return 0;
      });
    },
  },
  findings: {
    help: 'findings [--as-of YYYY-MM-DD] [--format json|csv]   findings of the latest completed run, one element per household',
    run: async (args, config) => {
      const { values } = parseArgs({ args, options: { 'as-of': { type: 'string' }, format: { type: 'string', default: 'json' } } });
      if (!['json', 'csv'].includes(values.format)) {
        process.stderr.write('usage: findings [--as-of YYYY-MM-DD] [--format json|csv]\n');
        return 2;
      }
      return withContext(config, async (app) => {
        const { run, items } = await app.get(FindingsService).householdsWithFindings(values['as-of']);
        process.stderr.write(`run ${run.id} as of ${run.asOf}, policy ${run.policyVersion}: ${items.length} households with findings\n`);
        if (values.format === 'json') process.stdout.write(JSON.stringify(items, null, 2) + '\n');
        else {
          process.stdout.write('householdCode,rules,subletScore,subletLevel\n');
          for (const i of items) process.stdout.write(`${i.householdCode},${i.rules.join('|')},${i.subletScore ?? ''},${i.subletLevel ?? ''}\n`);
        }
        return 0;
      });
    },
  },
  export: {
    help: 'export overdue|cases|summary --out FILE [--format xlsx|csv] [--project P] [--town T] [--nature eligibility|violation]',
    run: async (args, config) => {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { out: { type: 'string' }, format: { type: 'string' }, project: { type: 'string' }, town: { type: 'string' }, nature: { type: 'string' } },
      });
      const what = positionals[0];
      if (!['overdue', 'cases', 'summary'].includes(what) || !values.out) {
        process.stderr.write('usage: export overdue|cases|summary --out FILE [--format xlsx|csv]\n');
        return 2;
      }
      const format = (values.format ?? (values.out.endsWith('.csv') ? 'csv' : 'xlsx')) as 'xlsx' | 'csv';
      const filter = { project: values.project, town: values.town, nature: values.nature as 'eligibility' | 'violation' | undefined };
      return withContext(config, async (app) => {
        const exports = app.get(ExportsService);
        const out = createWriteStream(values.out!);
        const n =
          what === 'overdue'
            ? await exports.overdue(out, format, filter, cliActor(), Disclosure.masked())
            : what === 'cases'
              ? await exports.caseList(out, format, filter, cliActor(), Disclosure.masked())
              : await exports.summary(out, format, cliActor());
        process.stderr.write(`${n} rows written to ${values.out}\n`);
        return 0;
      });
    },
  },
  deadlines: {
    help: 'deadlines [--date YYYY-MM-DD]   run the daily case deadline pass now',
    run: async (args, config) => {
      const { values } = parseArgs({ args, options: { date: { type: 'string' } } });
      return withContext(config, async (app) => {
        process.stdout.write(JSON.stringify(await app.get(CasesService).deadlines(values.date), null, 2) + '\n');
        return 0;
      });
    },
  },
  generate: {
    help: 'generate --households N --seed S --out DIR [--as-of YYYY-MM-DD]  write a synthetic city in the contract formats',
    run: async (args) => {
      const { values } = parseArgs({
        args,
        options: { households: { type: 'string', default: '1000' }, seed: { type: 'string', default: '1' }, out: { type: 'string' }, 'as-of': { type: 'string' } },
      });
      const households = Number(values.households);
      if (!values.out || !Number.isInteger(households) || households < 1) {
        process.stderr.write('usage: generate --households N --seed S --out DIR\n');
        return 2;
      }
      const summary = await generateCity({ households, seed: Number(values.seed) || 1, outDir: values.out, asOf: values['as-of'] });
      process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      return 0;
    },
  },
};

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const cmd = name ? commands[name] : undefined;
  if (!cmd) {
    process.stderr.write(`usage: npm run cli -- <command>\n\n${Object.values(commands).map((c) => '  ' + c.help).join('\n')}\n`);
    return name ? 2 : 0;
  }
  return cmd.run(args, loadConfig());
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
