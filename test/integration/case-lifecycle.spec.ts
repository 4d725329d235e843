import Papa from 'papaparse';
import request from 'supertest';
import { join } from 'node:path';
import { Pool } from 'pg';
import { QueueName, JobName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { Actor, cliActor } from '../../src/auth/actor';
import { TokenService } from '../../src/auth/token.service';
import { CasesService } from '../../src/cases/cases.service';
import { addDays } from '../../src/common/dates';
import { DomainError } from '../../src/common/errors';
import { generateCity } from '../../src/generator/city-generator';
import { REFERENCE_POLICY } from '../../src/policy/reference-policy';
import { RegistryImportService } from '../../src/registry/registry-import.service';
import { SourcesService } from '../../src/sources/sources.service';
import { dropFeeds } from '../support/city';
import { pinToday, unpinToday } from '../support/clock';
import { bodyOf, ErrorBody } from '../support/api';
import { tempDir, writeCsv } from '../support/files';
import { dropRecordVersion, drainQueues, loadCity, readScenarios, runAndSyncCases, Scenario } from '../support/lifecycle';
import { runCli } from '../support/run-ts';
import { REDIS_URL } from '../support/env';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The review workflow's protections of a household, each boundary to the day. Every number below
 * is policy.md's (section C and the brackets of sections A/B), written out, not read from the code:
 * contest window 15 days, exit deadline 90 days (资格不符) and 30 days (违规), inspection 15 days.
 */
const CONTEST_WINDOW = 15;
const ELIGIBILITY_DEADLINE = 90;
const VIOLATION_DEADLINE = 30;
const INSPECTION_DAYS = 15;

/** The 16 columns of the 应退未退整改情况表, policy.md section D, in order. */
const SECTION_D = ['序号', '项目名称', '房屋坐落', '承租人', '身份证号', '家庭人数', '退出性质', '退出原因', '认定日期', '通知日期', '应退日期', '逾期天数', '是否主动申报', '整改措施', '整改进展', '备注'];

const ID_NUMBER = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/;

/** A case's finding as CasesService shows it. */
interface CaseFindingView {
  rule: string;
  status: string;
}

/** A row of case_event. */
interface EventRow {
  action: string;
  actor: string;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
}

/** The source records a finding rests on, as its evidence names them. */
interface Evidence {
  records: { source: string; recordId: string }[];
}

// Runs and syncs through the real queues on a shared 2-core machine.
jest.setTimeout(180_000);

describe('case lifecycle: the boundaries that protect a household (real PostgreSQL, Redis, runs)', () => {
  let T: string;
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let pool: Pool;
  let cases: CasesService;
  let queues: QueueService;
  let sources: SourcesService;
  let city: string;
  let drop: string;
  let scenarios: Scenario[];
  let secondReviewer: string;
  const reviewer: Actor = { name: 'reviewer-user', role: 'reviewer' };
  const admin: Actor = { name: 'admin-user', role: 'admin' };
  const auth = (role: keyof TestApp['tokens']) => ({ Authorization: `Bearer ${t.tokens[role]}` });

  const codeOf = (scenario: string) => {
    const s = scenarios.filter((x) => x.scenario === scenario);
    if (s.length < 1) throw new Error(`no household for scenario ${scenario}`);
    return s[0].householdCode;
  };
  const casesOf = async (code: string) =>
    (
      await pool.query<{ id: string; kind: string; status: string; outcome: string | null }>(
        `SELECT c.id::text AS id, c.kind, c.status, c.outcome FROM "case" c JOIN household h ON h.id = c.household_id WHERE h.household_code = $1 ORDER BY c.id`,
        [code],
      )
    ).rows;
  /** The one open case of a scenario's household (exactly one). */
  const openCaseOf = async (scenario: string) => {
    const open = (await casesOf(codeOf(scenario))).filter((c) => c.status !== 'closed');
    expect(open).toHaveLength(1);
    return open[0].id;
  };
  const act = (id: string, action: Parameters<CasesService['act']>[1], body: object, on: string, actor: Actor = reviewer) => cases.act(id, action, body, actor, on);
  const refusal = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    const d = err as DomainError;
    return { code: d.code, details: d.details };
  };
  const events = async (id: string) => (await pool.query<EventRow>(`SELECT action, actor, from_status, to_status, reason FROM case_event WHERE case_id = $1 ORDER BY id`, [id])).rows;
  const csvRows = (text: string) => Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
  const overdueCsv = async () => csvRows((await http.get('/api/exports/overdue?format=csv').set(auth('viewer')).expect(200)).text);
  const addressOf = async (code: string) =>
    (await pool.query<{ address_text: string }>(`SELECT u.address_text FROM household h JOIN unit u ON u.id = h.unit_id WHERE h.household_code = $1`, [code])).rows[0].address_text;

  beforeAll(async () => {
    T = pinToday();
    city = tempDir('lifecycle-city');
    await generateCity({ households: 80, seed: 5, outDir: city, json: false, asOf: T });
    scenarios = readScenarios(city);
    drop = dropFeeds(city, 'lifecycle-drop');
    t = await startTestApp('case_lifecycle', { APP_ROLE: 'all', FEED_DROP_DIR: drop });
    http = request(t.app.getHttpServer());
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    cases = t.app.get(CasesService);
    queues = t.app.get(QueueService);
    sources = t.app.get(SourcesService);
    secondReviewer = (await t.app.get(TokenService).create('reviewer-2', 'reviewer', 'test')).token;
    await loadCity(t.app, city, 'lifecycle');
  }, 240_000);
  afterAll(async () => {
    await pool.end();
    await t.close();
    unpinToday();
  });

  it('a finding that disappears before confirmation is resolved and closes a case left with none, on the timeline; a confirmed case is not touched by a later run', async () => {
    // Unconfirmed: the 欠租 household's newer arrears record (as of today) shows 2 months.
    const arrearsCode = codeOf('arrears_6_months');
    const arrearsCase = await openCaseOf('arrears_6_months');
    expect((await cases.get(arrearsCase)).findings.map((f: CaseFindingView) => [f.rule, f.status])).toEqual([['ARREARS', 'open']]);
    // Confirmed: the 新购住房 household; then its property record is withdrawn by the department.
    const confirmedCase = await openCaseOf('acquired_purchase');
    await act(confirmedCase, 'confirm', { reason: '不动产登记核实属实' }, T);
    const snapshot = async () => ({
      row: (await pool.query<Record<string, unknown>>(`SELECT * FROM "case" WHERE id = $1`, [confirmedCase])).rows[0],
      findings: (await pool.query<{ rule_code: string; status: string; evidence: Evidence }>(`SELECT * FROM case_finding WHERE case_id = $1 ORDER BY rule_code`, [confirmedCase])).rows,
      events: (await pool.query<{ id: string }>(`SELECT id FROM case_event WHERE case_id = $1 ORDER BY id`, [confirmedCase])).rows,
    });
    const before = await snapshot();
    expect(before.findings.map((f) => [f.rule_code, f.status])).toEqual([['HOUSING_ACQUIRED', 'open']]);
    const propertyRecords = before.findings[0].evidence.records.filter((r) => r.source === 'property');
    expect(propertyRecords).toHaveLength(1);

    const ledger = tempDir('arrears-ledger');
    writeCsv(join(ledger, 'arrears.csv'), [['家庭编号', '欠租月数', '欠租金额', '统计日期'], [arrearsCode, '2', '1,200', T]]);
    await t.app.get(RegistryImportService).importDirectory(ledger, cliActor());
    await dropRecordVersion(pool, drop, 'property', propertyRecords[0].recordId, { updatedAt: new Date(Date.now() - 1000).toISOString(), op: 'delete' }, 'withdrawn-1.csv');
    const [job] = await sources.trigger(['property'], { mode: 'incremental', trigger: 'test', requestKey: 'withdraw-1' });
    expect(await sources.waitFor(job)).toMatchObject({ status: 'succeeded', deleted: 1 });
    await drainQueues(queues);
    const run = await runAndSyncCases(queues, { full: false, trigger: 'test', requestKey: 'after-withdraw' });
    expect(run.mode).toBe('incremental');
    const finding = (code: string, rule: string) =>
      pool.query(`SELECT 1 FROM finding f JOIN household h ON h.id = f.household_id WHERE f.run_id = $1 AND h.household_code = $2 AND f.rule_code = $3`, [run.runId, code, rule]);
    expect((await finding(arrearsCode, 'ARREARS')).rowCount).toBe(0);
    expect((await finding(codeOf('acquired_purchase'), 'HOUSING_ACQUIRED')).rowCount).toBe(0);

    const closed = await cases.get(arrearsCase);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'resolved', allowedActions: [] });
    expect(closed.findings.map((f: CaseFindingView) => [f.rule, f.status])).toEqual([['ARREARS', 'resolved']]);
    expect(closed.timeline.map((e: { action: string; to_status: string | null; reason: string | null; actor: string }) => [e.action, e.actor, e.to_status, e.reason])).toEqual([
      ['open', 'system', 'open', null],
      ['resolve_finding', 'system', null, '问题已消除: 欠租'],
      ['resolve', 'system', 'closed', '所有问题在认定前已消除'],
    ]);
    // The confirmed case: the same row, findings and timeline as before the run.
    expect(await snapshot()).toEqual(before);
    // Parked for the deadline passes of the next tests: contested, it waits for a decision.
    await act(confirmedCase, 'contest', { reason: '房产已出售' }, T);
  });

  it(`contest window of ${CONTEST_WINDOW} days: a contest on D+${CONTEST_WINDOW} is accepted and that day's pass issues no notice; D+${CONTEST_WINDOW + 1} issues exactly one; a contested case waits for its decision`, async () => {
    const D = T;
    const a = await openCaseOf('vehicle_over');
    const b = await openCaseOf('vehicle_over_declared');
    const c = await openCaseOf('vehicle_unregistered_spouse');
    expect(await act(a, 'confirm', { reason: '车管数据核实属实' }, D)).toMatchObject({ status: 'notified', confirmedAt: D, contestDeadline: addDays(D, CONTEST_WINDOW) });
    await act(b, 'confirm', { reason: '车管数据核实属实' }, D);
    await act(c, 'confirm', { reason: '车管数据核实属实' }, addDays(D, 1));

    const lastDay = await cases.deadlines(addDays(D, CONTEST_WINDOW));
    expect(lastDay).toMatchObject({ noticesIssued: 0, noticeCaseIds: [], markedOverdue: 0 });
    expect(await act(a, 'contest', { reason: '车辆已转让' }, addDays(D, CONTEST_WINDOW))).toMatchObject({ status: 'contested', noticeAt: null });
    // C was confirmed a day later: its window ends on D+16; a contest on D+17 is refused, with the steps left.
    expect(await refusal(act(c, 'contest', { reason: '迟到的申辩' }, addDays(D, CONTEST_WINDOW + 2)))).toEqual({
      code: 'INVALID_TRANSITION',
      details: { status: 'notified', statusLabel: '已认定待申辩期满', allowed: ['issue_notice', 'record_service', 'handover'] },
    });

    const dayAfter = await cases.deadlines(addDays(D, CONTEST_WINDOW + 1));
    expect(dayAfter).toMatchObject({ noticesIssued: 1, noticeCaseIds: [b] });
    expect(await cases.get(b)).toMatchObject({ status: 'notice_issued', noticeAt: addDays(D, CONTEST_WINDOW + 1), marketRentFrom: addDays(D, CONTEST_WINDOW + 1) });
    // The same pass again: nothing new (exactly one notice for B).
    expect(await cases.deadlines(addDays(D, CONTEST_WINDOW + 1))).toMatchObject({ noticesIssued: 0, noticeCaseIds: [] });
    expect((await events(b)).filter((e) => e.action === 'issue_notice')).toHaveLength(1);
    expect(await cases.deadlines(addDays(D, CONTEST_WINDOW + 2))).toMatchObject({ noticeCaseIds: [c] });

    // Contested: no pass issues its notice, however late; the decision does.
    expect(await cases.deadlines(addDays(D, 400))).toMatchObject({ noticeCaseIds: [], overdueCaseIds: [b, c] });
    expect(await cases.get(a)).toMatchObject({ status: 'contested', noticeAt: null, deadline: null });
    const upheld = await act(a, 'decide_contest', { decision: 'upheld', reason: '转让未办理过户' }, addDays(D, 20));
    expect(upheld).toMatchObject({ status: 'notice_issued', noticeAt: addDays(D, 20), deadline: addDays(D, 20 + ELIGIBILITY_DEADLINE), marketRentFrom: addDays(D, 20) });
    expect((await events(a)).map((e) => e.action)).toEqual(['open', 'confirm', 'contest', 'decide_contest']);
    // Done with these three: handed over (closed as exited), out of the next tests' passes.
    for (const id of [a, b, c]) expect(await act(id, 'handover', { handedOverOn: addDays(D, 30) }, addDays(D, 30))).toMatchObject({ status: 'closed', outcome: 'exited' });
  });

  it(`deadlines: 资格不符 notice + ${ELIGIBILITY_DEADLINE} days, 违规 notice + ${VIOLATION_DEADLINE} days, 应退未退 the day after the deadline (not on it), market rent from the notice date; the export lists exactly those households`, async () => {
    const D = T;
    const e = await openCaseOf('income_over_contribution');
    const v = await openCaseOf('vacant');
    await act(e, 'confirm', { reason: '社保缴费基数核实' }, D);
    expect(await act(v, 'order_inspection', {}, D)).toMatchObject({ status: 'inspection', inspectionDue: addDays(D, INSPECTION_DAYS) });
    await act(v, 'record_inspection', { result: 'confirmed', reason: '长期无人居住' }, addDays(D, 2));
    await act(v, 'confirm', { reason: '核查属实' }, D);

    const notice = addDays(D, CONTEST_WINDOW + 1);
    expect(await cases.deadlines(notice)).toMatchObject({ noticeCaseIds: [e, v].sort((x, y) => Number(x) - Number(y)), overdueCaseIds: [] });
    expect(await cases.get(e)).toMatchObject({ nature: 'eligibility', noticeAt: notice, marketRentFrom: notice, deadline: addDays(notice, ELIGIBILITY_DEADLINE) });
    expect(await cases.get(v)).toMatchObject({ nature: 'violation', natureLabel: '违规退出', noticeAt: notice, marketRentFrom: notice, deadline: addDays(notice, VIOLATION_DEADLINE) });

    // 违规: on the deadline day still in time; the day after 应退未退.
    expect(await cases.deadlines(addDays(notice, VIOLATION_DEADLINE))).toMatchObject({ overdueCaseIds: [] });
    expect(await cases.deadlines(addDays(notice, VIOLATION_DEADLINE + 1))).toMatchObject({ markedOverdue: 1, overdueCaseIds: [v] });
    expect(await cases.get(v)).toMatchObject({ status: 'overdue', statusLabel: '应退未退', overdueAt: addDays(notice, VIOLATION_DEADLINE + 1) });
    // 资格不符 likewise at 90 days.
    expect(await cases.deadlines(addDays(notice, ELIGIBILITY_DEADLINE))).toMatchObject({ overdueCaseIds: [] });
    expect(await cases.get(e)).toMatchObject({ status: 'notice_issued' });
    expect(await cases.deadlines(addDays(notice, ELIGIBILITY_DEADLINE + 1))).toMatchObject({ markedOverdue: 1, overdueCaseIds: [e] });
    expect(await cases.get(e)).toMatchObject({ status: 'overdue', overdueAt: addDays(notice, ELIGIBILITY_DEADLINE + 1) });

    // The 应退未退整改情况表: section D's columns, one row per overdue household, in case order.
    const rows = await overdueCsv();
    expect(rows[0]).toEqual(SECTION_D);
    const body = rows.slice(1);
    expect(body).toHaveLength(2);
    const ordered = [e, v].sort((x, y) => Number(x) - Number(y));
    const expected = await Promise.all(ordered.map(async (id) => (await cases.get(id)).householdCode));
    expect(body.map((r) => r[2])).toEqual(await Promise.all(expected.map(addressOf)));
    expect(body.map((r) => r[0])).toEqual(['1', '2']);
    const rowOf = (id: string) => body[ordered.indexOf(id)];
    expect(rowOf(e).slice(6, 12)).toEqual(['资格不符退出', '收入超标', D, notice, addDays(notice, ELIGIBILITY_DEADLINE), String(-(CONTEST_WINDOW + 1 + ELIGIBILITY_DEADLINE))]);
    expect(rowOf(v).slice(6, 12)).toEqual(['违规退出', '空置', D, notice, addDays(notice, VIOLATION_DEADLINE), String(-(CONTEST_WINDOW + 1 + VIOLATION_DEADLINE))]);
    for (const r of body) expect(r[4]).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  });

  it('an overturned contest closes the case; the next run opens no new case; no notice, never 应退未退 nor in its export, whatever day the pass runs', async () => {
    const D = T;
    const code = codeOf('business_legal_rep');
    const o = await openCaseOf('business_legal_rep');
    await act(o, 'confirm', { reason: '工商登记核实' }, D);
    await act(o, 'contest', { reason: '已辞去法定代表人' }, addDays(D, 3));
    const decided = await act(o, 'decide_contest', { decision: 'overturned', reason: '变更登记早于复核日' }, addDays(D, 4));
    expect(decided).toMatchObject({ status: 'closed', outcome: 'overturned', noticeAt: null, deadline: null, marketRentFrom: null, allowedActions: [] });
    // The finding is still there, with the same evidence: the next run opens no case.
    const run = await runAndSyncCases(queues, { full: true, trigger: 'test', requestKey: 'after-overturn' });
    expect((await pool.query(`SELECT 1 FROM finding f JOIN household h ON h.id = f.household_id WHERE f.run_id = $1 AND h.household_code = $2`, [run.runId, code])).rowCount).toBe(1);
    expect(await casesOf(code)).toEqual([{ id: o, kind: 'exit', status: 'closed', outcome: 'overturned' }]);
    for (const day of [CONTEST_WINDOW + 1, CONTEST_WINDOW + 1 + ELIGIBILITY_DEADLINE + 1, 400]) {
      const pass = await cases.deadlines(addDays(D, day));
      expect(pass.noticeCaseIds).toEqual([]);
      expect(pass.overdueCaseIds).toEqual([]);
    }
    expect((await events(o)).map((e) => e.action)).toEqual(['open', 'confirm', 'contest', 'decide_contest']);
    expect(await cases.get(o)).toMatchObject({ status: 'closed', outcome: 'overturned', noticeAt: null, overdueAt: null });
    const exported = (await overdueCsv()).slice(1).map((r) => r[2]);
    expect(exported).toHaveLength(2);
    expect(exported).not.toContain(await addressOf(code));
  });

  it('a finding dismissed as 误报 opens no new case on later runs while its evidence stays; a new version of a record behind it opens one', async () => {
    const code = codeOf('assets_over');
    const dismissed = await openCaseOf('assets_over');
    await act(dismissed, 'dismiss', { reason: '金融资产为代管款项' }, T);
    const waiting = codeOf('waiting_vehicle');
    const removal = await openCaseOf('waiting_vehicle');
    expect(await act(removal, 'confirm', { reason: '轮候期间购车' }, T)).toMatchObject({ status: 'closed', outcome: 'removed_from_waiting' });

    for (const key of ['cleared-1', 'cleared-2']) {
      const run = await runAndSyncCases(queues, { full: true, trigger: 'test', requestKey: key });
      expect(run.mode).toBe('full');
      const rules = (await pool.query<{ household_code: string; rule_code: string }>(`SELECT h.household_code, f.rule_code FROM finding f JOIN household h ON h.id = f.household_id WHERE f.run_id = $1 AND h.household_code = ANY($2) ORDER BY 1`, [run.runId, [code, waiting]])).rows;
      expect(rules).toEqual([{ household_code: code, rule_code: 'ASSETS_OVER' }, { household_code: waiting, rule_code: 'VEHICLE' }].sort((x, y) => (x.household_code < y.household_code ? -1 : 1)));
      expect(await casesOf(code)).toEqual([{ id: dismissed, kind: 'exit', status: 'closed', outcome: 'dismissed' }]);
      expect(await casesOf(waiting)).toEqual([{ id: removal, kind: 'waiting_removal', status: 'closed', outcome: 'removed_from_waiting' }]);
    }

    // The department sends a new version of the economic check behind the finding.
    const evidence = (await pool.query<{ evidence: Evidence }>(`SELECT evidence FROM case_finding WHERE case_id = $1`, [dismissed])).rows[0].evidence;
    expect(evidence.records.map((r) => r.source)).toEqual(['civil-affairs']);
    await dropRecordVersion(pool, drop, 'civil-affairs', evidence.records[0].recordId, { updatedAt: new Date(Date.now() - 1000).toISOString() }, 'economic-check-v2.csv');
    const [job] = await sources.trigger(['civil-affairs'], { mode: 'incremental', trigger: 'test', requestKey: 'new-version' });
    expect(await sources.waitFor(job)).toMatchObject({ status: 'succeeded', updated: 1 });
    // The sync's own recompute runs now (promoted), then one more incremental run for certain.
    await drainQueues(queues);
    await runAndSyncCases(queues, { full: false, trigger: 'test', requestKey: 'after-new-version' });
    const after = await casesOf(code);
    expect(after).toHaveLength(2);
    expect(after[0]).toEqual({ id: dismissed, kind: 'exit', status: 'closed', outcome: 'dismissed' });
    expect(after[1]).toMatchObject({ kind: 'exit', status: 'open', outcome: null });
    expect((await cases.get(after[1].id)).findings.map((f: CaseFindingView) => [f.rule, f.status])).toEqual([['ASSETS_OVER', 'open']]);
    // The 轮候 household's evidence did not change.
    expect(await casesOf(waiting)).toHaveLength(1);
  });

  it('SUBLET and VACANT: an inspection that found nothing leaves confirm refused (409 with the allowed steps)', async () => {
    for (const scenario of ['sublet_two_strangers', 'vacant_two_accounts']) {
      const id = await openCaseOf(scenario);
      const before = await http.post(`/api/cases/${id}/actions/confirm`).set(auth('reviewer')).send({ reason: '认定' }).expect(409);
      expect(before.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'open', allowed: ['order_inspection', 'dismiss', 'handover'] } });
      expect((await http.post(`/api/cases/${id}/actions/order_inspection`).set(auth('reviewer')).send({}).expect(201)).body).toMatchObject({
        status: 'inspection',
        inspectionDue: addDays(T, INSPECTION_DAYS),
      });
      await http.post(`/api/cases/${id}/actions/record_inspection`).set(auth('reviewer')).send({ result: 'not_found', reason: '现场为承租人本人居住' }).expect(201);
      const r = await http.post(`/api/cases/${id}/actions/confirm`).set(auth('reviewer')).send({ reason: '认定' }).expect(409);
      expect(r.body).toEqual({
        statusCode: 409,
        code: 'INVALID_TRANSITION',
        message: '转租转借、空置须先有入户核查结果（核实属实）才能认定',
        details: { status: 'inspected', statusLabel: '已核查', allowed: ['order_inspection', 'dismiss', 'handover'] },
      });
      expect(await cases.get(id)).toMatchObject({ status: 'inspected', inspectionResult: 'not_found', confirmedAt: null });
    }
  });

  it('four eyes: the reviewer who dismissed a case may not confirm it after it is reopened; a different reviewer may', async () => {
    const id = await openCaseOf('business_shareholder');
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    await http.post(`/api/cases/${id}/actions/dismiss`).set(auth('reviewer')).send({ reason: '股权已转让' }).expect(201);
    await http.post(`/api/cases/${id}/actions/reopen`).set(auth('reviewer')).send({ reason: '转让未登记' }).expect(201);
    const refused = await http.post(`/api/cases/${id}/actions/confirm`).set(auth('reviewer')).send({ reason: '认定' }).expect(403);
    expect(refused.body).toMatchObject({ code: 'FORBIDDEN', message: '曾作误报排除的人员不能认定同一案件（需另一审核人或管理员）' });
    const ok = await http.post(`/api/cases/${id}/actions/confirm`).set(as(secondReviewer)).send({ reason: '复核认定' }).expect(201);
    expect(ok.body).toMatchObject({ status: 'notified', confirmedBy: 'reviewer-2', contestDeadline: addDays(T, CONTEST_WINDOW) });
    expect((await events(id)).map((e) => [e.action, e.actor])).toEqual([
      ['open', 'system'],
      ['dismiss', 'reviewer-user'],
      ['reopen', 'reviewer-user'],
      ['confirm', 'reviewer-2'],
    ]);
    await act(id, 'contest', { reason: '申辩' }, T);
  });

  it('every other transition of the case machine: allowed where the state and data allow it, else 409/403 with the reasons', async () => {
    const D = T;
    // order_inspection from open (any finding), dismiss from inspection, reopen, re-inspection from inspected.
    const h = await openCaseOf('housing_area_shared');
    expect(await act(h, 'order_inspection', { dueDays: 7 }, D)).toMatchObject({ status: 'inspection', inspectionDue: addDays(D, 7) });
    expect(await refusal(act(h, 'confirm', { reason: 'x认定' }, D))).toEqual({
      code: 'INVALID_TRANSITION',
      details: { status: 'inspection', statusLabel: '入户核查中', allowed: ['record_inspection', 'dismiss', 'handover'] },
    });
    expect(await act(h, 'dismiss', { reason: '面积计算有误' }, D)).toMatchObject({ status: 'closed', outcome: 'dismissed', allowedActions: ['reopen'] });
    expect(await act(h, 'reopen', { reason: '重新核算' }, D)).toMatchObject({ status: 'open', outcome: null, closedAt: null });
    await act(h, 'order_inspection', {}, D);
    await act(h, 'record_inspection', { result: 'confirmed', reason: '属实' }, D);
    expect(await act(h, 'order_inspection', {}, addDays(D, 1))).toMatchObject({ status: 'inspection', inspectionDue: addDays(D, 1 + INSPECTION_DAYS) });
    // Inspections past their due date are counted by the pass and listed.
    expect((await cases.deadlines(addDays(D, 1 + INSPECTION_DAYS))).inspectionsPastDue).toBe(0);
    expect((await cases.deadlines(addDays(D, 2 + INSPECTION_DAYS))).inspectionsPastDue).toBe(1);
    await act(h, 'dismiss', { reason: '复核后排除' }, D);

    // A closed case that was not dismissed cannot be reopened: nothing is left to do.
    const resolved = (await casesOf(codeOf('arrears_6_months')))[0].id;
    expect(await refusal(act(resolved, 'reopen', { reason: '再查' }, D))).toEqual({ code: 'INVALID_TRANSITION', details: { status: 'closed', statusLabel: '已结案', allowed: [] } });

    // issue_notice: admin only, not before the window has passed; mark_overdue: admin only, not on the deadline day.
    const k = await openCaseOf('assets_over_split');
    await expect(act(k, 'record_measure', { measure: '催告', takenOn: D, progress: 'x' }, D)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    await act(k, 'confirm', { reason: '资产超标' }, D);
    expect((await refusal(act(k, 'issue_notice', {}, addDays(D, 1), reviewer))).code).toBe('FORBIDDEN');
    expect(await refusal(act(k, 'issue_notice', {}, addDays(D, CONTEST_WINDOW), admin))).toEqual({
      code: 'INVALID_TRANSITION',
      details: { status: 'notified', statusLabel: '已认定待申辩期满', allowed: ['contest', 'record_service', 'handover'] },
    });
    const issued = await act(k, 'issue_notice', {}, addDays(D, CONTEST_WINDOW + 1), admin);
    expect(issued).toMatchObject({ status: 'notice_issued', deadline: addDays(D, CONTEST_WINDOW + 1 + ELIGIBILITY_DEADLINE) });
    const deadline = issued.deadline as string;
    expect((await refusal(act(k, 'mark_overdue', {}, addDays(deadline, 1), reviewer))).code).toBe('FORBIDDEN');
    expect(await refusal(act(k, 'mark_overdue', {}, deadline, admin))).toEqual({
      code: 'INVALID_TRANSITION',
      details: { status: 'notice_issued', statusLabel: '已下达退出通知', allowed: ['record_measure', 'record_service', 'handover'] },
    });
    await act(k, 'record_measure', { measure: '催告', takenOn: addDays(deadline, -10), progress: '已书面催告' }, addDays(deadline, -10));
    expect(await act(k, 'mark_overdue', {}, addDays(deadline, 1), admin)).toMatchObject({ status: 'overdue', overdueAt: addDays(deadline, 1) });
    const measured = await act(k, 'record_measure', { measure: '计收市场租金', takenOn: addDays(deadline, 2), progress: '已按市场租金计收' }, addDays(deadline, 2));
    expect(measured.measures.map((m: { measure: string; takenOn: string; progress: string }) => [m.measure, m.takenOn, m.progress])).toEqual([
      ['催告', addDays(deadline, -10), '已书面催告'],
      ['计收市场租金', addDays(deadline, 2), '已按市场租金计收'],
    ]);
    // handover as a case action: the household is 已退出 and its handover recorded.
    const code = codeOf('assets_over_split');
    expect(await act(k, 'handover', { handedOverOn: addDays(deadline, 5) }, addDays(deadline, 5))).toMatchObject({ status: 'closed', outcome: 'exited' });
    expect((await pool.query(`SELECT h.status, ho.handed_over_on::text AS on FROM household h JOIN handover ho ON ho.household_id = h.id WHERE h.household_code = $1`, [code])).rows).toEqual([
      { status: 'exited', on: addDays(deadline, 5) },
    ]);
    expect(await refusal(act(k, 'record_measure', { measure: '起诉', takenOn: D, progress: 'x' }, D))).toEqual({
      code: 'INVALID_TRANSITION',
      details: { status: 'closed', statusLabel: '已结案', allowed: [] },
    });

    // complete_task: only a 承租人变更 task, which is never confirmed.
    const task = await openCaseOf('hukou_cancelled_deceased');
    expect(await cases.get(task)).toMatchObject({ kind: 'tenant_change', allowedActions: ['dismiss', 'complete_task'] });
    expect(await refusal(act(task, 'confirm', { reason: '认定' }, D))).toEqual({
      code: 'INVALID_TRANSITION',
      details: { status: 'open', statusLabel: '待核实', allowed: ['dismiss', 'complete_task'] },
    });
    await expect(act(task, 'complete_task', {}, D)).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await act(task, 'complete_task', { reason: '配偶已办理承租人变更' }, D)).toMatchObject({ status: 'closed', outcome: 'tenant_changed' });
    const exitCase = await openCaseOf('hukou_out_non_local');
    expect(await refusal(act(exitCase, 'complete_task', { reason: '变更' }, D))).toEqual({
      code: 'INVALID_TRANSITION',
      details: { status: 'open', statusLabel: '待核实', allowed: ['order_inspection', 'confirm', 'dismiss', 'handover'] },
    });
    // A viewer may take no step.
    await http.post(`/api/cases/${exitCase}/actions/dismiss`).set(auth('viewer')).send({ reason: '误报' }).expect(403);
  }, 120_000);

  it('the deadline job runs through its BullMQ job scheduler and through the CLI', async () => {
    const id = await openCaseOf('hukou_out_non_local');
    // Confirmed 16 days ago: the window closed yesterday.
    await act(id, 'confirm', { reason: '户籍迁出' }, addDays(T, -(CONTEST_WINDOW + 1)));
    const scheduler = (await queues.schedulers(QueueName.Cases)).find((s) => s.key === 'cases:deadlines');
    expect(scheduler).toMatchObject({ pattern: '0 1 * * *', tz: 'Asia/Shanghai' });
    const casesQueue = queues.queue(QueueName.Cases);
    const before = new Set((await casesQueue.getCompleted()).map((j) => j.id));
    const ticks = async () =>
      (await casesQueue.getCompleted())
        .filter((j) => j.name === (JobName.CasesDeadlines as string) && !before.has(j.id))
        .sort((x, y) => (x.processedOn ?? 0) - (y.processedOn ?? 0));
    // The scheduler itself, made to tick every second for this test, then set back.
    await queues.schedule('cases:deadlines', '* * * * * *', JobName.CasesDeadlines, { requestKey: 'schedule' });
    try {
      for (let i = 0; i < 600 && !(await ticks()).length; i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await queues.schedule('cases:deadlines', '0 1 * * *', JobName.CasesDeadlines, { requestKey: 'schedule' });
    }
    await drainQueues(queues);
    const ran = await ticks();
    expect(ran.length).toBeGreaterThan(0);
    // The first tick issued the notice (on the pinned date); any later one found nothing to do.
    expect(ran[0].returnvalue).toEqual({ date: T, noticesIssued: 1, markedOverdue: 0, closedByHandover: 0, inspectionsPastDue: 0, noticeCaseIds: [id], overdueCaseIds: [] });
    for (const later of ran.slice(1)) expect(later.returnvalue).toMatchObject({ noticesIssued: 0, noticeCaseIds: [] });
    expect((await events(id)).filter((e) => e.action === 'issue_notice')).toEqual([
      { action: 'issue_notice', actor: 'system', from_status: 'notified', to_status: 'notice_issued', reason: '申辩期届满' },
    ]);
    const noticed = await cases.get(id);
    expect(noticed).toMatchObject({ status: 'notice_issued', noticeAt: T, deadline: addDays(T, ELIGIBILITY_DEADLINE) });

    // The operator's command, in its own process, on the day after the deadline.
    const day = addDays(T, ELIGIBILITY_DEADLINE + 1);
    const cli = await runCli(['deadlines', '--date', day], {
      DATABASE_URL: t.dbUrl,
      REDIS_URL,
      QUEUE_PREFIX: t.config.queuePrefix,
      APP_ROLE: 'api',
      LOG_LEVEL: 'error',
    });
    expect({ code: cli.code, stderr: cli.code === 0 ? '' : cli.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(cli.stdout)).toEqual({
      date: day,
      noticesIssued: 0,
      markedOverdue: 1,
      closedByHandover: 0,
      inspectionsPastDue: 0,
      noticeCaseIds: [],
      overdueCaseIds: [id],
    });
    expect(await cases.get(id)).toMatchObject({ status: 'overdue', overdueAt: day });
  }, 240_000);

  it('masks ID numbers in the case-list export and in error bodies; a reveal without a purpose is 400; no audit entry holds an ID number', async () => {
    const total = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "case"`)).rows[0].n;
    const list = await http.get('/api/exports/cases?format=csv').set(auth('reviewer')).expect(200);
    const rows = csvRows(list.text);
    expect(rows).toHaveLength(total + 1);
    expect(rows[0][7]).toBe('身份证号');
    for (const r of rows.slice(1)) expect(r[7]).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(list.text).not.toMatch(ID_NUMBER);

    const noPurpose = await http.get('/api/exports/cases?format=csv&reveal=true').set(auth('reviewer')).expect(400);
    expect(noPurpose.body).toMatchObject({ code: 'VALIDATION', details: [{ field: 'purpose' }] });

    // An ID number typed where a household code belongs comes back masked.
    const idNo = (await pool.query<{ id_no: string }>(`SELECT id_no FROM person ORDER BY id LIMIT 1`)).rows[0].id_no;
    const missing = await http.post(`/api/households/${idNo}/handover`).set(auth('reviewer')).send({ handedOverOn: T });
    expect(missing.status).toBe(404);
    expect(JSON.stringify(missing.body)).not.toMatch(ID_NUMBER);
    expect(bodyOf<ErrorBody>(missing).message).toBe(`家庭不存在: ${idNo.slice(0, 6)}${'*'.repeat(8)}${idNo.slice(-4)}`);
    const bad = await http.get(`/api/cases?householdCode=${idNo}&status=${idNo}`).set(auth('viewer')).expect(400);
    expect(JSON.stringify(bad.body)).not.toMatch(ID_NUMBER);

    await http.get(`/api/exports/cases?format=csv&reveal=true&purpose=${encodeURIComponent('核对退出名单')}`).set(auth('reviewer')).expect(200);
    const audit = (await pool.query<{ actor: string; purpose: string | null }>(`SELECT * FROM audit_log ORDER BY id`)).rows;
    expect([...new Set(audit.filter((a) => a.purpose === '核对退出名单').map((a) => a.actor))]).toEqual(['reviewer-user']);
    expect(audit.length).toBeGreaterThan(20);
    const leaks = audit.filter((a) => ID_NUMBER.test(JSON.stringify(a)));
    expect(leaks).toEqual([]);
  });

  it(`送达: a served 认定告知书 moves the ${CONTEST_WINDOW}-day window to run from the day served, a served 退出通知书 the ${ELIGIBILITY_DEADLINE}-day deadline; unserved cases run as before`, async () => {
    const D = T;
    const a = await openCaseOf('income_over_economic_check');
    const b = await openCaseOf('income_over_deposit_base');
    await act(a, 'confirm', { reason: '经济状况核对属实' }, D);
    await act(b, 'confirm', { reason: '公积金缴存基数核实' }, D);
    // A's 认定告知书 reached the tenant by post 5 days later: its window ends D+5+15.
    expect(await act(a, 'record_service', { notice: 'exit_determination', method: '邮寄送达', servedOn: addDays(D, 5) }, addDays(D, 6))).toMatchObject({
      status: 'notified',
      contestDeadline: addDays(D, 5 + CONTEST_WINDOW),
      service: { determination: { servedOn: addDays(D, 5), method: '邮寄送达' }, exitNotice: null },
    });
    // B (not served) gets its notice the day after confirmation + 15; A on the day after its own window.
    const day16 = await cases.deadlines(addDays(D, CONTEST_WINDOW + 1));
    expect(day16.noticeCaseIds).toContain(b);
    expect(day16.noticeCaseIds).not.toContain(a);
    expect(await act(a, 'contest', { reason: '对收入认定有异议' }, addDays(D, 5 + CONTEST_WINDOW)).then(() => 'accepted', () => 'refused')).toBe('accepted');
    await act(a, 'decide_contest', { decision: 'upheld', reason: '维持认定' }, addDays(D, 5 + CONTEST_WINDOW + 1));
    const notice = addDays(D, 5 + CONTEST_WINDOW + 1);
    // A's 退出通知书 served three days after it was made: 90 days from then; market rent still from the notice.
    expect(await act(a, 'record_service', { notice: 'exit_notice', method: '直接送达', servedOn: addDays(notice, 3) }, addDays(notice, 3))).toMatchObject({
      status: 'notice_issued',
      noticeAt: notice,
      marketRentFrom: notice,
      deadline: addDays(notice, 3 + ELIGIBILITY_DEADLINE),
      service: { exitNotice: { servedOn: addDays(notice, 3), method: '直接送达' } },
    });
    // 应退未退: B the day after its unserved deadline; A not until the day after its served one.
    const bDue = addDays(D, CONTEST_WINDOW + 1 + ELIGIBILITY_DEADLINE);
    const onB = await cases.deadlines(addDays(bDue, 1));
    expect(onB.overdueCaseIds).toContain(b);
    expect(onB.overdueCaseIds).not.toContain(a);
    expect((await cases.deadlines(addDays(notice, 3 + ELIGIBILITY_DEADLINE))).overdueCaseIds).not.toContain(a);
    expect((await cases.deadlines(addDays(notice, 3 + ELIGIBILITY_DEADLINE + 1))).overdueCaseIds).toContain(a);
    expect((await events(a)).filter((e) => e.action === 'record_service').map((e) => e.to_status)).toEqual(['notified', 'notice_issued']);
    for (const id of [a, b]) await act(id, 'handover', { handedOverOn: addDays(notice, 200) }, addDays(notice, 200));
  });

  it('a new policy version is new evidence: a cleared finding opens a case again under it', async () => {
    const overturned = codeOf('business_legal_rep');
    await http
      .post('/api/policies')
      .set(auth('admin'))
      .send({ ...REFERENCE_POLICY, version: 'shishi-2026.2', effectiveFrom: T })
      .expect(201);
    const run = await runAndSyncCases(queues, { full: true, trigger: 'test', requestKey: 'new-policy' });
    expect(run.mode).toBe('full');
    const all = await casesOf(overturned);
    expect(all.map((c) => [c.status, c.outcome])).toEqual([
      ['closed', 'overturned'],
      ['open', null],
    ]);
    const reopened = await cases.get(all[1].id);
    expect(reopened.findings.map((f: CaseFindingView) => [f.rule, f.status])).toEqual([['BUSINESS', 'open']]);
    expect((await pool.query(`SELECT evidence->>'policyVersion' AS v FROM case_finding WHERE case_id = $1`, [all[1].id])).rows).toEqual([{ v: 'shishi-2026.2' }]);
  });
});
