import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cliActor, SYSTEM_ACTOR } from '../auth/actor';
import { TokenService } from '../auth/token.service';
import { createApp } from '../bootstrap';
import { AppConfig } from '../config/config';
import { ensureDatabase, migrate } from '../database/migrator';
import { generateCity } from '../generator/city-generator';
import { printImportReport } from '../registry/import-report';
import { RegistryImportService } from '../registry/registry-import.service';
import { SourcesService } from '../sources/sources.service';
import { JobName, QueueName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { FindingsService } from '../eligibility/findings.service';
import type { PlanResult } from '../eligibility/recompute.service';
import { RULE_NAMES, RuleCode } from '../eligibility/rules/rule';
import { CasesService } from '../cases/cases.service';
import { today } from '../common/clock';
import { ExportsService } from '../exports/exports.service';
import { Disclosure } from '../auth/disclosure';
import { addDays } from '../common/dates';
import { createWriteStream } from 'node:fs';
import { DatabaseService } from '../database/database.service';
import { printSyncTable } from '../sources/sync-report';
import { ROLES, type Role } from '../auth/actor';
import { UsersService } from '../accounts/users.service';
import { UsersRepository } from '../accounts/users.repository';

const say = (s: string) => process.stdout.write(`${s}\n`);

interface DemoUser {
  username: string;
  role: Role;
  towns: string[];
  /** The initial password the demo set or read back from its file; null: the user existed before the demo kept one. */
  password: string | null;
}

/**
 * One user per role (the inspector scoped to one town), created where missing. Their one-time
 * passwords are kept in `<dataDir>/demo-users.json` (mode 600) so a later run prints them again;
 * each user must change theirs at first sign-in.
 */
async function ensureDemoUsers(app: Awaited<ReturnType<typeof createApp>>, dataDir: string): Promise<{ users: DemoUser[]; file: string }> {
  const file = join(dataDir, 'demo-users.json');
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const town =
    (await app.get(DatabaseService).pool.query<{ town: string }>(`SELECT town FROM project WHERE town IS NOT NULL AND town <> '' ORDER BY town LIMIT 1`)).rows[0]?.town ?? null;
  const users: DemoUser[] = [];
  for (const role of ROLES) {
    const username = `demo.${role}`;
    const towns = role === 'inspector' && town ? [town] : [];
    if (await app.get(UsersRepository).credentials(username)) {
      users.push({ username, role, towns, password: kept[username] ?? null });
      continue;
    }
    const created = await app.get(UsersService).create({ username, displayName: `演示${role}`, role, towns }, cliActor());
    kept[username] = created.initialPassword!;
    users.push({ username, role, towns, password: created.initialPassword! });
  }
  writeFileSync(file, JSON.stringify(kept, null, 2) + '\n', { mode: 0o600 });
  return { users, file };
}

/**
 * `npm run demo`: migrate, generate a small city where there is none, load it, and serve the API
 * with workers and schedules (role all) until stopped. Every capability extends this walk-through.
 */
export async function runDemo(config: AppConfig, opts: { households: number; dataDir: string }): Promise<void> {
  const dataDir = resolve(opts.dataDir);
  const cityDir = join(dataDir, 'demo-city');
  mkdirSync(dataDir, { recursive: true });

  say('== 1. database');
  await ensureDatabase(config.migrationDatabaseUrl);
  const m = await migrate(config.migrationDatabaseUrl, undefined, { serviceUrl: config.databaseUrl });
  say(`   migrations: ${m.applied.length} applied, ${m.alreadyApplied.length} already applied`);

  say('== 2. synthetic city');
  if (!existsSync(join(cityDir, 'manifest.json'))) {
    const s = await generateCity({ households: opts.households, seed: 42, outDir: cityDir, asOf: today() });
    say(`   generated ${s.households} households, ${s.persons} persons into ${cityDir}`);
  } else say(`   using ${cityDir}`);

  const app = await createApp(config);
  await app.listen(config.port, config.host);

  say('== 3. access');
  const tokenFile = join(dataDir, 'demo-admin-token');
  let token = config.bootstrapAdminToken ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '');
  if (!token || !(await app.get(TokenService).verify(token))) {
    token = (await app.get(TokenService).create('demo-admin', 'admin', 'demo')).token;
    writeFileSync(tokenFile, token + '\n', { mode: 0o600 });
  }
  say(`   admin token (also in ${tokenFile}):\n   ${token}`);

  say('== 4. the bureau\'s ledger');
  const report = await app.get(RegistryImportService).importDirectory(join(cityDir, 'registry'), cliActor());
  printImportReport(report, process.stdout);

  say('\n== 4b. users (one per role; the inspector scoped to one town)');
  const demoUsers = await ensureDemoUsers(app, dataDir);
  for (const u of demoUsers.users) say(`   ${u.role.padEnd(9)} ${u.username.padEnd(15)} ${u.password ?? '(existed before; password not kept)'}${u.towns.length ? `  towns: ${u.towns.join(',')}` : ''}`);
  say(`   (initial passwords, also in ${demoUsers.file}; each must be changed at first sign-in)`);

  say(`\n== 5. department feeds (file drop into ${resolve(config.feedDropDir)})`);
  for (const source of readdirSync(join(cityDir, 'feeds'))) {
    const target = join(resolve(config.feedDropDir), source);
    mkdirSync(target, { recursive: true });
    for (const f of readdirSync(join(cityDir, 'feeds', source))) copyFileSync(join(cityDir, 'feeds', source, f), join(target, f));
  }
  const sources = app.get(SourcesService);
  const jobs = await sources.trigger('all', { mode: 'incremental', trigger: 'demo', requestKey: `demo-${Date.now()}` });
  printSyncTable(await Promise.all(jobs.map((j) => sources.waitFor(j))), process.stdout);
  say('   (a second run skips the files already read: same bytes, any name)');

  const manifest = JSON.parse(readFileSync(join(cityDir, 'manifest.json'), 'utf8')) as { asOf: string };
  say(`\n== 6. eligibility recompute as of ${manifest.asOf} (the city's evaluation date; policy in force then)`);
  const queues = app.get(QueueService);
  const plan = await queues.waitFor<PlanResult>(
    QueueName.Recompute,
    await queues.enqueue(JobName.RecomputePlan, { asOf: manifest.asOf, full: true, trigger: 'demo', requestKey: `demo-${Date.now()}` }),
  );
  await queues.waitForRun(plan.runId);
  const counts = await app.get(FindingsService).counts({ asOf: manifest.asOf }, SYSTEM_ACTOR);
  say(`   run ${plan.runId}: ${plan.households} households in ${plan.shards} shards, policy ${counts.run.policyVersion}`);
  for (const [rule, n] of Object.entries(counts.byRule)) say(`   ${rule.padEnd(17)} ${RULE_NAMES[rule as RuleCode].padEnd(6, '　')} ${String(n).padStart(5)}`);

  say('\n== 7. review workflow (a few cases walked through to 应退未退; dates back-dated for the demo)');
  for (let i = 0; i < 100; i++) {
    const job = await queues.jobFor(JobName.CasesFollowRun, { runId: plan.runId });
    if (job && ((await job.isCompleted()) || (await job.isFailed()))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const cases = app.get(CasesService);
  const db = app.get(DatabaseService);
  const demoActor = { name: 'demo-reviewer', role: 'reviewer' as const };
  const picked = (
    await db.pool.query<{ id: string }>(
      `SELECT c.id FROM "case" c WHERE c.status = 'open' AND c.kind = 'exit'
          AND NOT EXISTS (SELECT 1 FROM case_finding f WHERE f.case_id = c.id AND f.rule_code IN ('SUBLET', 'VACANT')) ORDER BY c.id LIMIT 4`,
    )
  ).rows.map((r) => String(r.id));
  const confirmedOn = addDays(manifest.asOf, -130);
  for (const id of picked) await cases.act(id, 'confirm', { reason: '演示：联审数据核实属实' }, demoActor, confirmedOn);
  await cases.deadlines(addDays(confirmedOn, 16));
  const pass = await cases.deadlines(addDays(confirmedOn, 16 + 91));
  if (picked[0]) await cases.act(picked[0], 'record_measure', { measure: '催告', takenOn: addDays(confirmedOn, 110), progress: '已送达书面催告' }, demoActor);
  const listed = await cases.list({ page: 1, pageSize: 1 });
  say(`   cases: ${listed.total}; ${picked.length} confirmed, ${pass.markedOverdue} now 应退未退`);
  const file = join(dataDir, '应退未退整改情况表.xlsx');
  const rows = await app.get(ExportsService).overdue(createWriteStream(file), 'xlsx', {}, cliActor(), Disclosure.masked());
  say(`   exported ${rows} rows to ${file}`);

  const base = `http://localhost:${config.port}`;
  say(`\n== ready: ${base}  (role=${config.role}; Ctrl-C stops)`);
  say(`   console:    ${base}/   (浏览器打开，用下列用户登录；guide: docs/使用说明.md)`);
  say(`   API docs:   ${base}/api/docs`);
  say(`   admin token: ${token}`);
  say(`   users (username / initial password, changed at first sign-in):`);
  for (const u of demoUsers.users) say(`               ${u.role.padEnd(9)} ${u.username.padEnd(15)} ${u.password ?? '(existed before; password not kept)'}${u.towns.length ? `  towns: ${u.towns.join(',')}` : ''}`);
  const reviewer = demoUsers.users.find((u) => u.role === 'reviewer')!;
  const pw = reviewer.password ?? '<password>';
  const xsrf = `$(awk '$6=="XSRF-TOKEN"{print $7}' cookies.txt)`;
  say(`   sign in (session cookie; state-changing requests echo the XSRF-TOKEN cookie in X-XSRF-TOKEN):`);
  say(`               curl -c cookies.txt -H 'Content-Type: application/json' -d '{"username":"${reviewer.username}","password":"${pw}"}' ${base}/api/auth/login`);
  say(`               curl -b cookies.txt -c cookies.txt -H "X-XSRF-TOKEN: ${xsrf}" -H 'Content-Type: application/json' -d '{"current":"${pw}","next":"<a new passphrase of 12+ characters>"}' ${base}/api/auth/password`);
  say(`               curl -b cookies.txt ${base}/api/auth/me`);
  say(`   health:     curl ${base}/health`);
  say(`   households: curl -H "Authorization: Bearer ${token}" "${base}/api/households?status=在保&pageSize=5"`);
  say(`   one household, ID numbers in clear (audited):`);
  say(`               curl -H "Authorization: Bearer ${token}" "${base}/api/households/HH0000001?reveal=true&purpose=%E6%BC%94%E7%A4%BA"`);
  say(`   sources:    curl -H "Authorization: Bearer ${token}" ${base}/api/sources`);
  say(`   rejected department records (masked): curl -H "Authorization: Bearer ${token}" ${base}/api/sources/vehicle/rejections`);
  say(`   findings:   curl -H "Authorization: Bearer ${token}" "${base}/api/findings?asOf=${manifest.asOf}&rule=SUBLET&level=high"`);
  say(`   a verdict with its evidence: curl -H "Authorization: Bearer ${token}" "${base}/api/households/HH0000000/verdict?asOf=${manifest.asOf}"`);
  say(`   CLI:        npm run cli -- findings --as-of ${manifest.asOf} --format json`);
  say(`   cases:      curl -H "Authorization: Bearer ${token}" "${base}/api/cases?status=overdue"`);
  say(`   应退未退表: curl -H "Authorization: Bearer ${token}" -o overdue.xlsx "${base}/api/exports/overdue?format=xlsx"`);
  say(`   audit log:  curl -H "Authorization: Bearer ${token}" "${base}/api/audit?pageSize=5"`);
}
