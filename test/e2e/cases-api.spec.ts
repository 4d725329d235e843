import request from 'supertest';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { QueueService } from '../../jobs/queue.service';
import { cliActor } from '../../src/auth/actor';
import { CasesService } from '../../src/cases/cases.service';
import { addDays } from '../../src/common/dates';
import { makeIdNo } from '../../src/common/identity';
import { generateCity } from '../../src/generator/city-generator';
import { RegistryImportService } from '../../src/registry/registry-import.service';
import { SourcesService } from '../../src/sources/sources.service';
import { AuditEntry, bodyOf, ErrorBody, Page } from '../support/api';
import { tempDir } from '../support/files';
import { dropFeeds } from '../support/city';
import { pinToday, unpinToday } from '../support/clock';
import { drainQueues, runAndSyncCases } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';

/** The 16 columns of the 应退未退整改情况表 (policy.md section D), in order. */
const SECTION_D = ['序号', '项目名称', '房屋坐落', '承租人', '身份证号', '家庭人数', '退出性质', '退出原因', '认定日期', '通知日期', '应退日期', '逾期天数', '是否主动申报', '整改措施', '整改进展', '备注'];

interface Scenario {
  householdCode: string;
  scenario: string;
}

/** A case as the list shows it. */
interface CaseItem {
  id: string;
  householdCode: string;
  status: string;
  rules: string[];
  declared: boolean;
}

/** A case's detail, as far as these tests read it. */
interface CaseDetail {
  status: string;
  kind: string;
  natureLabel: string;
  allowedActions: string[];
  timeline: { action: string }[];
}

/** A household of a sample. */
interface SampleItem {
  householdCode: string;
  projectCode: string;
  serviceRules: string[];
}

/** A sampled household where the check and the service disagree (漏报 or 误报). */
interface Discrepancy {
  householdCode: string;
  rule: string;
  kind: string;
}

describe('review workflow, deadlines and exports (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let pool: Pool;
  let city: string;
  let scenarios: Scenario[];
  /** The date of the whole suite (Asia/Shanghai), pinned: no step can fall on the next day. */
  let today: () => string;
  const auth = (role: keyof TestApp['tokens']) => ({ Authorization: `Bearer ${t.tokens[role]}` });
  const caseOf = async (scenario: string) => {
    const code = scenarios.find((s) => s.scenario === scenario)!.householdCode;
    const r = await http.get(`/api/cases?householdCode=${code}`).set(auth('viewer')).expect(200);
    return bodyOf<Page<CaseItem>>(r).items[0];
  };
  const act = (id: string, action: string, body: object, role: keyof TestApp['tokens'] = 'reviewer') =>
    http.post(`/api/cases/${id}/actions/${action}`).set(auth(role)).send(body);

  beforeAll(async () => {
    const pinned = pinToday();
    today = () => pinned;
    city = tempDir('cases-city');
    await generateCity({ households: 90, seed: 5, outDir: city, json: false, asOf: today() });
    scenarios = readFileSync(join(city, 'expected', 'scenarios.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Scenario);
    const drop = dropFeeds(city, 'cases-drop');
    t = await startTestApp('cases_api', { APP_ROLE: 'all', FEED_DROP_DIR: drop });
    http = request(t.app.getHttpServer());
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    await t.app.get(RegistryImportService).importDirectory(join(city, 'registry'), cliActor());
    const sources = t.app.get(SourcesService);
    await Promise.all((await sources.trigger('all', { mode: 'incremental', trigger: 'test', requestKey: 'c' })).map((j) => sources.waitFor(j)));
    const queues = t.app.get(QueueService);
    // The syncs' own recompute (5 to 65 s later) runs now, not in the middle of a test; then ours.
    await drainQueues(queues);
    await runAndSyncCases(queues, { full: true, trigger: 'test', requestKey: 'cases' });
  }, 180_000);
  afterAll(async () => {
    unpinToday();
    await pool.end();
    await t.close();
  });

  it('opens one case per household with findings, with its findings and whether they were declared', async () => {
    const vehicle = await caseOf('vehicle_over');
    expect(vehicle).toMatchObject({ status: 'open', rules: ['VEHICLE'], declared: false });
    const declared = await caseOf('vehicle_over_declared');
    expect(declared).toMatchObject({ rules: ['VEHICLE'], declared: true });
    const detail = bodyOf<CaseDetail>(await http.get(`/api/cases/${declared.id}`).set(auth('viewer')).expect(200));
    expect(detail).toMatchObject({ declaredLabel: '主动申报', natureLabel: '资格不符退出', statusLabel: '待核实' });
    // The steps the case may take next, as far as the caller's role may take them.
    expect(detail.allowedActions).toEqual([]);
    const forReviewer = bodyOf<CaseDetail>(await http.get(`/api/cases/${declared.id}`).set(auth('reviewer')).expect(200));
    expect(forReviewer.allowedActions).toEqual(['order_inspection', 'confirm', 'dismiss', 'handover']);
    const waiting = await caseOf('waiting_vehicle');
    expect(bodyOf<CaseDetail>(await http.get(`/api/cases/${waiting.id}`).set(auth('viewer')).expect(200)).kind).toBe('waiting_removal');
    const task = await caseOf('hukou_cancelled_deceased');
    expect(bodyOf<CaseDetail>(await http.get(`/api/cases/${task.id}`).set(auth('viewer')).expect(200)).kind).toBe('tenant_change');
    const dup = (await pool.query<{ household_id: number }>(`SELECT household_id FROM "case" WHERE closed_at IS NULL GROUP BY 1 HAVING count(*) > 1`)).rows;
    expect(dup).toEqual([]);
  });

  it('walks an exit case through confirmation, contest window, notice, 应退未退, measures and handover', async () => {
    const k = await caseOf('vehicle_over');
    await act(k.id, 'confirm', { reason: 'x' }, 'viewer').expect(403);
    const bad = await act(k.id, 'contest', { reason: '不服' }).expect(409);
    expect(bad.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'open', allowed: ['order_inspection', 'confirm', 'dismiss', 'handover'] } });
    await act(k.id, 'confirm', {}).expect(400);
    const confirmed = bodyOf<CaseDetail>(await act(k.id, 'confirm', { reason: '车管数据核实属实' }).expect(201));
    expect(confirmed).toMatchObject({ status: 'notified', confirmedBy: 'reviewer-user', contestDeadline: addDays(today(), 15) });
    // The notice waits for the contest window to close.
    await act(k.id, 'issue_notice', {}, 'admin').expect(409);
    const cases = t.app.get(CasesService);
    const pass1 = await cases.deadlines(addDays(today(), 16));
    expect(pass1).toMatchObject({ noticesIssued: 1, noticeCaseIds: [k.id] });
    let c = bodyOf<CaseDetail>(await http.get(`/api/cases/${k.id}`).set(auth('viewer')).expect(200));
    expect(c).toMatchObject({ status: 'notice_issued', noticeAt: addDays(today(), 16), deadline: addDays(today(), 16 + 90), marketRentFrom: addDays(today(), 16) });
    const pass2 = await cases.deadlines(addDays(today(), 16 + 91));
    expect(pass2).toMatchObject({ markedOverdue: 1, overdueCaseIds: [k.id] });
    // An inspector records the measures taken in the field.
    await act(k.id, 'record_measure', { measure: '催告', takenOn: today(), progress: '已书面催告' }, 'inspector').expect(201);
    await act(k.id, 'record_measure', { measure: '罚款', takenOn: today(), progress: 'x' }).expect(400);
    c = bodyOf<CaseDetail>(await http.get(`/api/cases/${k.id}`).set(auth('viewer')).expect(200));
    expect(c).toMatchObject({ status: 'overdue', statusLabel: '应退未退', measures: [{ measure: '催告', progress: '已书面催告' }] });
    expect(c.timeline.map((e) => e.action)).toEqual(['open', 'confirm', 'issue_notice', 'mark_overdue', 'record_measure']);
    expect(c.timeline[1]).toMatchObject({ actor: 'reviewer-user', role: 'reviewer', from_status: 'open', to_status: 'notified', reason: '车管数据核实属实' });
    expect(c.timeline[4]).toMatchObject({ role: 'inspector', action: 'record_measure' });
  });

  it('exports the 应退未退整改情况表 as XLSX with exactly the section D columns, masked IDs, filterable', async () => {
    const res = await http.get('/api/exports/overdue?format=xlsx').set(auth('viewer')).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (d: Buffer) => chunks.push(d));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.worksheets[0];
    // The form's title and 填报单位/填报日期 line come first, then the header and the rows.
    expect(ws.getCell('A1').value).toBe('公租房应退未退整改情况表');
    const header = (ws.getRow(3).values as unknown[]).slice(1);
    expect(header).toEqual(SECTION_D);
    // One row per overdue household, and only those: here the one that walked through the deadlines.
    const overdue = (await pool.query<{ household_code: string }>(`SELECT h.household_code FROM "case" c JOIN household h ON h.id = c.household_id WHERE c.status = 'overdue' ORDER BY c.id`)).rows;
    const code = scenarios.find((s) => s.scenario === 'vehicle_over')!.householdCode;
    expect(overdue).toEqual([{ household_code: code }]);
    expect(ws.actualRowCount).toBe(4);
    const row = (ws.getRow(4).values as unknown[]).slice(1);
    const expectedAddress = (await pool.query<{ address_text: string }>(`SELECT u.address_text FROM household h JOIN unit u ON u.id = h.unit_id WHERE h.household_code = $1`, [code])).rows[0].address_text;
    expect(row[0]).toBe(1);
    expect(row[2]).toBe(expectedAddress);
    expect(String(row[4])).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(row.slice(6, 8)).toEqual(['资格不符退出', '车辆超标']);
    // Exported today; the deadline was set 16 + 90 days ahead by the time-travelling deadline passes.
    expect(row[11]).toBe(-(16 + 90));
    expect(row[12]).toBe('否');
    expect(row[13]).toBe('催告');
    const csv = await http.get('/api/exports/overdue?format=csv&nature=violation').set(auth('viewer')).expect(200);
    expect(csv.text.replace(/^\uFEFF/, '').trim().split('\r\n')).toEqual([SECTION_D.join(',')]);
    await http.get('/api/exports/overdue?reveal=true&purpose=上报').set(auth('viewer')).expect(403);
    const clear = await http.get(`/api/exports/overdue?format=csv&reveal=true&purpose=${encodeURIComponent('上报住建部门')}`).set(auth('admin')).expect(200);
    expect(clear.text).toMatch(/\d{17}[\dX]/);
    const audit = bodyOf<Page<AuditEntry>>(await http.get('/api/audit?action=export.overdue.reveal').set(auth('auditor')).expect(200));
    expect(audit.items[0]).toMatchObject({ purpose: '上报住建部门', actor: 'admin-user' });
  });

  it('a handover closes the case as exited and removes it from the 应退未退 list', async () => {
    const k = await caseOf('vehicle_over');
    const code = k.householdCode;
    await http.post(`/api/households/${code}/handover`).set(auth('reviewer')).send({ handedOverOn: today() }).expect(201);
    const c = bodyOf<CaseDetail>(await http.get(`/api/cases/${k.id}`).set(auth('viewer')).expect(200));
    expect(c).toMatchObject({ status: 'closed', outcome: 'exited' });
    const csv = await http.get('/api/exports/overdue?format=csv').set(auth('viewer')).expect(200);
    expect(csv.text).not.toContain(code);
  });

  it('SUBLET and VACANT need an inspection result before confirmation', async () => {
    const k = await caseOf('sublet_two_strangers');
    const r = await act(k.id, 'confirm', { reason: '认定' }).expect(409);
    expect(bodyOf<ErrorBody>(r).message).toContain('入户核查');
    // Reviewers order inspections; inspectors record them, and may not confirm.
    expect(bodyOf<ErrorBody>(await act(k.id, 'order_inspection', {}, 'inspector').expect(403)).code).toBe('FORBIDDEN');
    const ordered = bodyOf<CaseDetail>(await act(k.id, 'order_inspection', {}).expect(201));
    expect(ordered).toMatchObject({ status: 'inspection', inspectionDue: addDays(today(), 15), allowedActions: ['record_inspection', 'dismiss', 'handover'] });
    expect(bodyOf<CaseDetail>(await http.get(`/api/cases/${k.id}`).set(auth('inspector')).expect(200)).allowedActions).toEqual(['record_inspection']);
    const inspected = bodyOf<CaseDetail>(await act(k.id, 'record_inspection', { result: 'confirmed', reason: '现场为他人居住' }, 'inspector').expect(201));
    expect(inspected.status).toBe('inspected');
    const refused = await act(k.id, 'confirm', { reason: '核查属实' }, 'inspector').expect(403);
    expect(bodyOf<ErrorBody>(refused)).toMatchObject({ code: 'FORBIDDEN', message: '角色 inspector 无权执行「退出认定」' });
    await act(k.id, 'dismiss', { reason: '误报' }, 'inspector').expect(403);
    const done = bodyOf<CaseDetail>(await act(k.id, 'confirm', { reason: '核查属实' }).expect(201));
    expect(done.status).toBe('notified');
    expect(done.natureLabel).toBe('违规退出');
  });

  it('four eyes: who dismissed a case may not confirm it after it is reopened (an admin may)', async () => {
    const k = await caseOf('business_legal_rep');
    await act(k.id, 'dismiss', {}).expect(400);
    await act(k.id, 'dismiss', { reason: '企业已转让' }).expect(201);
    await act(k.id, 'confirm', { reason: '认定' }).expect(409);
    await act(k.id, 'reopen', { reason: '复查发现仍为法定代表人' }).expect(201);
    const r = await act(k.id, 'confirm', { reason: '认定' }).expect(403);
    expect(bodyOf<ErrorBody>(r).message).toContain('误报排除');
    await act(k.id, 'confirm', { reason: '管理员认定' }, 'admin').expect(201);
  });

  it('a contest inside the window is decided by a reviewer; after the window it is refused', async () => {
    const k = await caseOf('income_over_contribution');
    await act(k.id, 'confirm', { reason: '收入超标' }).expect(201);
    await act(k.id, 'contest', { reason: '收入计算有误' }).expect(201);
    await act(k.id, 'decide_contest', { decision: 'upheld', reason: '维持认定' }, 'inspector').expect(403);
    const upheld = bodyOf<CaseDetail>(await act(k.id, 'decide_contest', { decision: 'upheld', reason: '维持认定' }).expect(201));
    expect(upheld).toMatchObject({ status: 'notice_issued', noticeAt: today(), deadline: addDays(today(), 90) });
    const late = await caseOf('hukou_out_non_local');
    await act(late.id, 'confirm', { reason: '户籍迁出' }).expect(201);
    await pool.query(`UPDATE "case" SET contest_deadline = $2 WHERE id = $1`, [late.id, addDays(today(), -1)]);
    const r = await act(late.id, 'contest', { reason: '迟到的申辩' }).expect(409);
    expect(bodyOf<ErrorBody>(r).message).toContain('申辩期');
  });

  it('an ID number typed in a reason is masked on the timeline and in the audit log', async () => {
    const k = await caseOf('assets_over');
    const typed = makeIdNo('350581', '19800101', 7);
    await act(k.id, 'dismiss', { reason: `承租人${typed}已提供存款证明，数据重复` }).expect(201);
    const detail = bodyOf<{ timeline: { action: string; reason: string | null }[] }>(await http.get(`/api/cases/${k.id}`).set(auth('viewer')).expect(200));
    const reason = detail.timeline.find((e) => e.action === 'dismiss')!.reason!;
    expect(reason).toBe(`承租人${typed.slice(0, 6)}********${typed.slice(-4)}已提供存款证明，数据重复`);
    const stored = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE detail::text LIKE $1 OR purpose LIKE $1`, [`%${typed}%`]);
    expect(stored.rows[0].n).toBe(0);
    const events = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_event WHERE reason LIKE $1 OR detail::text LIKE $1`, [`%${typed}%`]);
    expect(events.rows[0].n).toBe(0);
  });

  it('confirming a 轮候 household removes it from the waiting list', async () => {
    const k = await caseOf('waiting_vehicle');
    const r = bodyOf<CaseDetail>(await act(k.id, 'confirm', { reason: '轮候期间购车' }).expect(201));
    expect(r).toMatchObject({ status: 'closed', outcome: 'removed_from_waiting' });
  });

  it('exports the case list and the results summary', async () => {
    const list = await http.get('/api/exports/cases?format=csv').set(auth('viewer')).expect(200);
    const lines = list.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0].split(',')[0]).toBe('序号');
    expect(lines.length - 1).toBe((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "case"`)).rows[0].n);
    const summary = await http.get('/api/exports/summary?format=csv').set(auth('viewer')).expect(200);
    expect(summary.text).toContain('统计维度,名称,发现问题,已认定,误报排除,已腾退,应退未退');
    expect(summary.text).toContain('车辆超标');
  });

  it('draws a reproducible sample stratified by project, records checks and lists discrepancies (漏报/误报)', async () => {
    await http.post('/api/samples').set(auth('viewer')).send({ seed: 's1', rate: 0.1 }).expect(403);
    await http.post('/api/samples').set(auth('reviewer')).send({ seed: 's1' }).expect(400);
    const a = bodyOf<{ id: number }>(await http.post('/api/samples').set(auth('reviewer')).send({ seed: '2026Q4', rate: 0.1 }).expect(201));
    const b = bodyOf<{ id: number }>(await http.post('/api/samples').set(auth('reviewer')).send({ seed: '2026Q4', rate: 0.1 }).expect(201));
    const itemsA = bodyOf<SampleItem[]>(await http.get(`/api/samples/${a.id}`).set(auth('viewer')).expect(200));
    const itemsB = bodyOf<SampleItem[]>(await http.get(`/api/samples/${b.id}`).set(auth('viewer')).expect(200));
    expect(itemsA.map((i) => i.householdCode)).toEqual(itemsB.map((i) => i.householdCode));
    const projects = (await pool.query<{ project_code: string }>(`SELECT DISTINCT p.project_code FROM household h JOIN unit u ON u.id = h.unit_id JOIN project p ON p.id = u.project_id WHERE h.status = 'active'`)).rows.map((r) => r.project_code);
    expect(new Set(itemsA.map((i) => i.projectCode))).toEqual(new Set(projects));
    const withFinding = itemsA.find((i) => i.serviceRules.length) ?? itemsA[0];
    const clean = itemsA.find((i) => !i.serviceRules.length && i.householdCode !== withFinding.householdCode)!;
    await http.put(`/api/samples/${a.id}/households/${clean.householdCode}`).set(auth('reviewer')).send({ rules: ['SUBLET'], note: '现场发现他人居住' }).expect(200);
    await http.put(`/api/samples/${a.id}/households/${withFinding.householdCode}`).set(auth('reviewer')).send({ rules: [] }).expect(200);
    await http.put(`/api/samples/${a.id}/households/${clean.householdCode}`).set(auth('reviewer')).send({ rules: ['NOPE'] }).expect(400);
    const d = bodyOf<Discrepancy[]>(await http.get(`/api/samples/${a.id}/discrepancies`).set(auth('viewer')).expect(200));
    const key = (x: Discrepancy) => `${x.householdCode}|${x.rule}|${x.kind}`;
    expect(d.map(key).sort()).toEqual(
      [
        { householdCode: clean.householdCode, rule: 'SUBLET', kind: '漏报' },
        ...withFinding.serviceRules.map((r) => ({ householdCode: withFinding.householdCode, rule: r, kind: '误报' })),
      ]
        .map(key)
        .sort(),
    );
    const csv = await http.get(`/api/samples/${a.id}/discrepancies?format=csv`).set(auth('viewer')).expect(200);
    expect(csv.text).toContain('漏报');
  });
});
