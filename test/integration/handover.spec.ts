import Papa from 'papaparse';
import request from 'supertest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { QueueService } from '../../jobs/queue.service';
import { Actor, cliActor } from '../../src/auth/actor';
import { CasesService } from '../../src/cases/cases.service';
import { addDays } from '../../src/common/dates';
import { generateCity } from '../../src/generator/city-generator';
import { RegistryImportService } from '../../src/registry/registry-import.service';
import { dropFeeds } from '../support/city';
import { pinToday, unpinToday } from '../support/clock';
import { bodyOf, Page } from '../support/api';
import { tempDir, writeCsv } from '../support/files';
import { loadCity, readScenarios, runAndSyncCases, Scenario } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(180_000);

/** A household with its unit and project, as the database has it. */
interface HouseholdRow {
  status: string;
  unit_code: string | null;
  project_code: string | null;
  project_name: string | null;
  address_text: string | null;
}

/**
 * registry.md: "A handover ends the household's occupation: it leaves the 应退未退 list and its
 * case closes as exited." Whether recorded over the API or in the ledger, through real runs.
 */
describe('handovers end the occupation (API and ledger), through real runs', () => {
  let T: string;
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let pool: Pool;
  let cases: CasesService;
  let queues: QueueService;
  let importer: RegistryImportService;
  let city: string;
  let scenarios: Scenario[];
  const reviewer: Actor = { name: 'reviewer-user', role: 'reviewer' };
  const auth = (role: keyof TestApp['tokens']) => ({ Authorization: `Bearer ${t.tokens[role]}` });
  const codeOf = (scenario: string) => scenarios.find((s) => s.scenario === scenario)!.householdCode;
  const casesOf = async (code: string) =>
    (await pool.query<{ id: string; status: string; outcome: string | null }>(`SELECT c.id::text AS id, c.status, c.outcome FROM "case" c JOIN household h ON h.id = c.household_id WHERE h.household_code = $1 ORDER BY c.id`, [code])).rows;
  const household = async (code: string) =>
    (
      await pool.query<HouseholdRow>(
        `SELECT h.status, u.unit_code, p.project_code, p.name AS project_name, u.address_text FROM household h LEFT JOIN unit u ON u.id = h.unit_id LEFT JOIN project p ON p.id = u.project_id
          WHERE h.household_code = $1`,
        [code],
      )
    ).rows[0];
  const handovers = async (code: string) =>
    (await pool.query<{ unit_code: string; on: string }>(`SELECT u.unit_code, ho.handed_over_on::text AS on FROM handover ho JOIN household h ON h.id = ho.household_id JOIN unit u ON u.id = ho.unit_id WHERE h.household_code = $1`, [code])).rows;
  const findingsIn = async (runId: string, code: string) =>
    (await pool.query<{ rule_code: string }>(`SELECT f.rule_code FROM finding f JOIN household h ON h.id = f.household_id WHERE f.run_id = $1 AND h.household_code = $2`, [runId, code])).rows;
  const csvRows = (text: string) => Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;

  beforeAll(async () => {
    T = pinToday();
    city = tempDir('handover-city');
    await generateCity({ households: 80, seed: 11, outDir: city, json: false, asOf: T });
    scenarios = readScenarios(city);
    t = await startTestApp('handover', { APP_ROLE: 'all', FEED_DROP_DIR: dropFeeds(city, 'handover-drop') });
    http = request(t.app.getHttpServer());
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    cases = t.app.get(CasesService);
    queues = t.app.get(QueueService);
    importer = t.app.get(RegistryImportService);
    await loadCity(t.app, city, 'handover');
  });
  afterAll(async () => {
    await pool.end();
    await t.close();
    unpinToday();
  });

  it('a handover over the API makes the household 已退出 with its case closed as exited, in one step; the next runs neither flag it nor open a case', async () => {
    const code = codeOf('vehicle_over');
    const before = await household(code);
    expect(before.status).toBe('active');
    const [open] = await casesOf(code);
    expect(open).toMatchObject({ status: 'open', outcome: null });

    const res = await http.post(`/api/households/${code}/handover`).set(auth('reviewer')).send({ handedOverOn: T }).expect(201);
    // The household has left, and keeps its unit (so its case keeps its project).
    expect(await household(code)).toEqual({ ...before, status: 'exited' });
    expect(res.body).toEqual({ closed: 1, caseId: open.id, householdStatus: 'exited' });
    expect(await handovers(code)).toEqual([{ unit_code: before.unit_code, on: T }]);
    const closed = await cases.get(open.id);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'exited', allowedActions: [] });
    expect(closed.timeline.map((e: { action: string; actor: string; from_status: string | null; to_status: string | null }) => [e.action, e.actor, e.from_status, e.to_status])).toEqual([
      ['open', 'system', null, 'open'],
      ['handover', 'reviewer-user', 'open', 'closed'],
    ]);
    const audit = (await pool.query<{ action: string; actor: string }>(`SELECT action, actor FROM audit_log WHERE action IN ('handover.record', 'case.handover') ORDER BY id`)).rows;
    expect(audit).toEqual([
      { action: 'handover.record', actor: 'reviewer-user' },
      { action: 'case.handover', actor: 'reviewer-user' },
    ]);

    for (const [full, key] of [[true, 'after-api-handover-full'], [false, 'after-api-handover-incr']] as const) {
      const run = await runAndSyncCases(queues, { full, trigger: 'test', requestKey: key });
      expect(run.mode).toBe(full ? 'full' : 'incremental');
      expect(await findingsIn(run.runId, code)).toEqual([]);
      expect(await casesOf(code)).toEqual([{ id: open.id, status: 'closed', outcome: 'exited' }]);
    }

    // The closed case keeps its unit and project in the lists and counts.
    const list = bodyOf<Page<{ householdCode: string }>>(await http.get(`/api/cases?project=${before.project_code}&status=closed`).set(auth('viewer')).expect(200));
    expect(list.items.filter((i) => i.householdCode === code)).toEqual([
      expect.objectContaining({ id: open.id, status: 'closed', projectCode: before.project_code }),
    ]);
    const exitedInProject = (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "case" c JOIN household h ON h.id = c.household_id JOIN unit u ON u.id = h.unit_id JOIN project p ON p.id = u.project_id
          WHERE p.project_code = $1 AND c.outcome = 'exited'`,
        [before.project_code],
      )
    ).rows[0].n;
    expect(exitedInProject).toBe(1);
    const summary = csvRows((await http.get('/api/exports/summary?format=csv').set(auth('viewer')).expect(200)).text);
    expect(summary.filter((r) => r[0] === '项目' && r[1] === before.project_name).map((r) => r[5])).toEqual(['1']);
  });

  it('a handover date after today or before the lease began is a 400 naming handedOverOn; nothing is recorded', async () => {
    const code = codeOf('income_over_deposit_base');
    const before = await household(code);
    expect(before.status).toBe('active');
    const lease = (await pool.query<{ s: string }>(`SELECT lease_start::text AS s FROM household WHERE household_code = $1`, [code])).rows[0].s;
    const dayBefore = new Date(Date.parse(`${lease}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.parse(`${T}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    for (const [date, reason] of [[tomorrow, /不能晚于今天/], [dayBefore, /早于租赁起始日期/]] as const) {
      const res = await http.post(`/api/households/${code}/handover`).set(auth('reviewer')).send({ handedOverOn: date }).expect(400);
      expect((res.body as { details: unknown }).details).toEqual([{ field: 'handedOverOn', reason: expect.stringMatching(reason) as unknown }]);
    }
    expect(await household(code)).toEqual(before);
    expect(await handovers(code)).toEqual([]);
  });

  it('a later ledger row that still says 在保 conflicts with the handover: reported in the import, and the handover stands', async () => {
    const code = codeOf('vehicle_over');
    const ledger = readFileSync(join(city, 'registry', 'households.csv'), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
    const line = ledger.findIndex((l) => l.startsWith(`${code},`)) + 1;
    expect(ledger[line - 1].split(',').slice(0, 2)).toEqual([code, '在保']);
    const unit = (await household(code)).unit_code;

    const report = await importer.importDirectory(join(city, 'registry'), cliActor());
    const households = report.files.find((f) => f.file === 'households.csv')!;
    expect(households).toMatchObject({ inserted: 0, updated: 0, rejected: 1, unchanged: households.received - 1 });
    expect(households.rejections).toEqual([{ line, reason: `与已登记的腾退交房冲突: ${code} 已于 ${T} 交还房源 ${unit}，台账仍为在保；以交房记录为准，请核对台账` }]);
    expect((await household(code)).status).toBe('exited');
    const run = await runAndSyncCases(queues, { full: true, trigger: 'test', requestKey: 'after-conflict' });
    expect(await findingsIn(run.runId, code)).toEqual([]);
    expect((await casesOf(code)).map((c) => c.status)).toEqual(['closed']);
  });

  it('a handover in the ledger makes the household 已退出 in the import itself; the next run closes its case as exited (not "resolved")', async () => {
    const code = codeOf('vehicle_unregistered_spouse');
    const unit = (await household(code)).unit_code;
    const [open] = await casesOf(code);
    expect(open.status).toBe('open');
    const dir = tempDir('handover-ledger');
    writeCsv(join(dir, 'handovers.csv'), [['家庭编号', '房源编号', '交房日期'], [code, unit, T]]);
    const report = await importer.importDirectory(dir, cliActor());
    expect(report.files.map((f) => [f.file, f.inserted, f.rejected])).toEqual([['handovers.csv', 1, 0]]);
    // Same transaction as the handover row: 已退出 before any run or pass.
    expect((await household(code)).status).toBe('exited');

    const run = await runAndSyncCases(queues, { full: true, trigger: 'test', requestKey: 'after-ledger-handover' });
    expect(await findingsIn(run.runId, code)).toEqual([]);
    expect(await casesOf(code)).toEqual([{ id: open.id, status: 'closed', outcome: 'exited' }]);
    const timeline = (await cases.get(open.id)).timeline;
    expect(timeline.map((e: { action: string; actor: string; reason: string | null }) => [e.action, e.actor, e.reason])).toEqual([
      ['open', 'system', null],
      ['handover', 'system', '台账登记腾退交房'],
    ]);
    expect(await handovers(code)).toEqual([{ unit_code: unit, on: T }]);
  });

  it('a handover takes an overdue household off the 应退未退 list and its export', async () => {
    const code = codeOf('income_over_contribution');
    const [open] = await casesOf(code);
    await cases.act(open.id, 'confirm', { reason: '收入超标' }, reviewer, addDays(T, -200));
    await cases.deadlines(addDays(T, -200 + 16));
    await cases.deadlines(addDays(T, -200 + 16 + 91));
    expect(await cases.get(open.id)).toMatchObject({ status: 'overdue' });
    const address = (await household(code)).address_text;
    const before = csvRows((await http.get('/api/exports/overdue?format=csv').set(auth('viewer')).expect(200)).text);
    expect(before.slice(1).map((r) => r[2])).toEqual([address]);

    await http.post(`/api/households/${code}/handover`).set(auth('reviewer')).send({ handedOverOn: T }).expect(201);
    expect(await cases.get(open.id)).toMatchObject({ status: 'closed', outcome: 'exited' });
    expect(bodyOf<Page<unknown>>(await http.get('/api/cases?status=overdue').set(auth('viewer')).expect(200)).total).toBe(0);
    const after = csvRows((await http.get('/api/exports/overdue?format=csv').set(auth('viewer')).expect(200)).text);
    expect(after).toHaveLength(1);
    expect(after[0]).toHaveLength(16);
  });
});
