import request from 'supertest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { JobName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { cliActor } from '../../src/auth/actor';
import { CasesService } from '../../src/cases/cases.service';
import { addDays } from '../../src/common/dates';
import { generateCity } from '../../src/generator/city-generator';
import { REFERENCE_POLICY } from '../../src/policy/reference-policy';
import { RegistryImportService } from '../../src/registry/registry-import.service';
import { pinToday, unpinToday } from '../support/clock';
import { bodyOf } from '../support/api';
import { tempDir } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(120_000);

/** A row of audit_log as these tests read it. */
interface AuditRow {
  actor: string;
  entity_id: string | null;
  detail: Record<string, unknown>;
}

/**
 * An audit entry commits with the change it records: when the audit insert fails (a trigger the
 * test installs as the owner refuses the named actions), the change is rolled back and the API
 * answers an error. Then, with the refusal lifted, the same request makes the change and its entry.
 */
describe('audit entries commit with their changes (a refused entry rolls the change back)', () => {
  let T: string;
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let pool: Pool;
  let cases: CasesService;
  let queues: QueueService;
  let households: string[];
  const auth = (role: keyof TestApp['tokens']) => ({ Authorization: `Bearer ${t.tokens[role]}` });

  /** The audit inserts of these actions fail from now on (none: every insert passes). */
  const refuse = async (...actions: string[]) => {
    await pool.query(`DELETE FROM test_refused_audit`);
    if (actions.length) await pool.query(`INSERT INTO test_refused_audit SELECT unnest($1::text[])`, [actions]);
  };
  const audits = async (action: string) => (await pool.query<AuditRow>(`SELECT actor, entity_id, detail FROM audit_log WHERE action = $1 ORDER BY id`, [action])).rows;
  const caseRow = async (id: string) =>
    (await pool.query<Record<string, unknown>>(`SELECT status, confirmed_at::text, notice_at::text, deadline::text, closed_at, outcome FROM "case" WHERE id = $1`, [id])).rows[0];
  const events = async (id: string) => (await pool.query<{ action: string; actor: string }>(`SELECT action, actor FROM case_event WHERE case_id = $1 ORDER BY id`, [id])).rows;
  const household = async (code: string) =>
    (await pool.query<Record<string, unknown>>(`SELECT status, category, lease_end::text, (SELECT count(*)::int FROM member m WHERE m.household_id = h.id) AS members FROM household h WHERE household_code = $1`, [code])).rows[0];
  /** An open exit case (资格不符) of a household, made as a run would. */
  const openCase = async (code: string, status = 'open', set: Record<string, string> = {}) => {
    const cols = Object.keys(set);
    return (
      await pool.query<{ id: string }>(
        `INSERT INTO "case" (household_id, kind, status, nature${cols.map((c) => `, ${c}`).join('')})
         SELECT id, 'exit', $2, 'eligibility'${cols.map((_, i) => `, $${i + 3}`).join('')} FROM household WHERE household_code = $1 RETURNING id::text AS id`,
        [code, status, ...cols.map((c) => set[c])],
      )
    ).rows[0].id;
  };
  const expectInternalError = (res: request.Response) => {
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'INTERNAL' });
  };

  beforeAll(async () => {
    T = pinToday();
    const city = tempDir('audit-atomic-city');
    await generateCity({ households: 30, seed: 7, outDir: city, json: false, asOf: T });
    // A configured source (file drop) for the sync triggers; the API role runs no worker, so the jobs stay queued.
    const drop = tempDir('audit-atomic-drop');
    mkdirSync(join(drop, 'civil-affairs'));
    t = await startTestApp('audit_atomic', { APP_ROLE: 'api', FEED_DROP_DIR: drop });
    http = request(t.app.getHttpServer());
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    cases = t.app.get(CasesService);
    queues = t.app.get(QueueService);
    await t.app.get(RegistryImportService).importDirectory(join(city, 'registry'), cliActor());
    households = (
      await pool.query<{ household_code: string }>(
        `SELECT household_code FROM household h WHERE status = 'active' AND unit_id IS NOT NULL
            AND (SELECT count(*) FROM member m WHERE m.household_id = h.id) >= 2 ORDER BY household_code`,
      )
    ).rows.map((r) => r.household_code);
    expect(households.length).toBeGreaterThanOrEqual(6);
    // As the owner: a trigger that refuses the audit entries of the actions listed in a table.
    await pool.query(`CREATE TABLE test_refused_audit (action text PRIMARY KEY)`);
    await pool.query(`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM test_refused_audit WHERE action = NEW.action) THEN
          RAISE EXCEPTION 'audit entry refused by the test: %', NEW.action;
        END IF;
        RETURN NEW;
      END $$`);
    await pool.query(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`);
  }, 120_000);
  afterEach(() => refuse());
  afterAll(async () => {
    await pool.end();
    await t.close();
    unpinToday();
  });

  it('a case action: the case keeps its status, no timeline entry, no measure; then it goes through with exactly one entry', async () => {
    const id = await openCase(households[0]);
    await refuse('case.confirm');
    expectInternalError(await http.post(`/api/cases/${id}/actions/confirm`).set(auth('reviewer')).send({ reason: '联审数据核实属实' }));
    expect(await caseRow(id)).toMatchObject({ status: 'open', confirmed_at: null });
    expect(await events(id)).toEqual([]);
    expect(await audits('case.confirm')).toEqual([]);

    await refuse();
    await http.post(`/api/cases/${id}/actions/confirm`).set(auth('reviewer')).send({ reason: '联审数据核实属实' }).expect(201);
    expect(await caseRow(id)).toMatchObject({ status: 'notified', confirmed_at: T });
    expect(await events(id)).toEqual([{ action: 'confirm', actor: 'reviewer-user' }]);
    expect(await audits('case.confirm')).toEqual([{ actor: 'reviewer-user', entity_id: id, detail: expect.objectContaining({ before: 'open', after: 'notified' }) as unknown }]);

    const overdue = await openCase(households[1], 'overdue');
    await refuse('case.record_measure');
    expectInternalError(await http.post(`/api/cases/${overdue}/actions/record_measure`).set(auth('reviewer')).send({ measure: '催告', takenOn: T, progress: '已送达' }));
    expect((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_measure WHERE case_id = $1`, [overdue])).rows[0].n).toBe(0);
    expect(await events(overdue)).toEqual([]);
  });

  it('a handover over the API: neither the handover, the household 已退出 nor the case closed, whichever of its two entries fails', async () => {
    const code = households[2];
    const id = await openCase(code);
    for (const action of ['handover.record', 'case.handover']) {
      await refuse(action);
      expectInternalError(await http.post(`/api/households/${code}/handover`).set(auth('reviewer')).send({ handedOverOn: T }));
      expect(await household(code)).toMatchObject({ status: 'active' });
      expect((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM handover ho JOIN household h ON h.id = ho.household_id WHERE h.household_code = $1`, [code])).rows[0].n).toBe(0);
      expect(await caseRow(id)).toMatchObject({ status: 'open', closed_at: null });
      expect(await events(id)).toEqual([]);
      expect([...(await audits('handover.record')), ...(await audits('case.handover'))]).toEqual([]);
    }
    await refuse();
    await http.post(`/api/households/${code}/handover`).set(auth('reviewer')).send({ handedOverOn: T }).expect(201);
    expect(await caseRow(id)).toMatchObject({ status: 'closed', outcome: 'exited' });
    expect([(await audits('handover.record')).length, (await audits('case.handover')).map((a) => a.entity_id)]).toEqual([1, [id]]);
  });

  it('the deadline pass and the ledger handovers: a refused entry rolls back the whole set; then every case moves with one entry each', async () => {
    const ids = [await openCase(households[3], 'notified', { contest_deadline: addDays(T, -1) }), await openCase(households[4], 'notified', { contest_deadline: addDays(T, -2) })];
    await refuse('case.issue_notice');
    await expect(cases.deadlines(T)).rejects.toThrow(/audit entry refused/);
    for (const id of ids) {
      expect(await caseRow(id)).toMatchObject({ status: 'notified', notice_at: null, deadline: null });
      expect(await events(id)).toEqual([]);
    }
    await refuse();
    expect(await cases.deadlines(T)).toMatchObject({ noticesIssued: 2, noticeCaseIds: ids });
    for (const id of ids) expect(await caseRow(id)).toMatchObject({ status: 'notice_issued', notice_at: T, deadline: addDays(T, 90) });
    expect((await audits('case.issue_notice')).map((a) => [a.actor, a.entity_id])).toEqual(ids.map((id) => ['system', id]));

    // A handover from the ledger closes its case in the pass: not when its entry is refused.
    const code = households[5];
    const id = await openCase(code);
    await pool.query(`INSERT INTO handover (household_id, unit_id, handed_over_on) SELECT id, unit_id, $2 FROM household WHERE household_code = $1`, [code, T]);
    await refuse('case.handover');
    await expect(cases.applyHandovers()).rejects.toThrow(/audit entry refused/);
    expect(await caseRow(id)).toMatchObject({ status: 'open', closed_at: null });
    expect(await household(code)).toMatchObject({ status: 'active' });
    await refuse();
    expect(await cases.applyHandovers()).toBe(1);
    expect(await caseRow(id)).toMatchObject({ status: 'closed', outcome: 'exited' });
    expect(await household(code)).toMatchObject({ status: 'exited' });
  });

  it('registry edits: the household and its members are left as they were', async () => {
    const code = households[0];
    const before = await household(code);
    await refuse('household.update', 'household.members.replace');
    expectInternalError(await http.patch(`/api/households/${code}`).set(auth('admin')).send({ leaseEnd: '2031-12-31', reason: '续租' }));
    const tenant = (
      await pool.query<{ id_no: string }>(`SELECT p.id_no FROM member m JOIN person p ON p.id = m.person_id JOIN household h ON h.id = m.household_id WHERE h.household_code = $1 AND m.relation = 'tenant'`, [code])
    ).rows[0].id_no;
    expectInternalError(await http.put(`/api/households/${code}/members`).set(auth('admin')).send({ members: [{ idNo: tenant, name: '承租人', relation: '承租人' }], reason: '成员变更' }));
    expect(await household(code)).toEqual(before);
    await refuse();
    await http.patch(`/api/households/${code}`).set(auth('admin')).send({ leaseEnd: '2031-12-31', reason: '续租' }).expect(200);
    expect(await household(code)).toEqual({ ...before, lease_end: '2031-12-31' });
  });

  it('tokens: a token whose entry fails is not created; a revocation whose entry fails leaves the token working', async () => {
    await refuse('token.create');
    expectInternalError(await http.post('/api/tokens').set(auth('admin')).send({ name: 'atomic-token', role: 'viewer' }));
    expect((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_token WHERE name = 'atomic-token'`)).rows[0].n).toBe(0);
    await refuse();
    const created = bodyOf<{ id: number; token: string }>(await http.post('/api/tokens').set(auth('admin')).send({ name: 'atomic-token', role: 'viewer' }).expect(201));
    await refuse('token.revoke');
    expectInternalError(await http.delete(`/api/tokens/${created.id}`).set(auth('admin')));
    await http.get('/api/cases').set({ Authorization: `Bearer ${created.token}` }).expect(200);
    await refuse();
    await http.delete(`/api/tokens/${created.id}`).set(auth('admin')).expect(200);
    await http.get('/api/cases').set({ Authorization: `Bearer ${created.token}` }).expect(401);
  });

  it('policy versions and sampling: no version, no sample, no check without its entry', async () => {
    await refuse('policy.create');
    expectInternalError(await http.post('/api/policies').set(auth('admin')).send({ ...REFERENCE_POLICY, version: 'atomic-2026.9' }));
    expect((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM policy_version WHERE version = 'atomic-2026.9'`)).rows[0].n).toBe(0);

    await refuse('sample.draw');
    expectInternalError(await http.post('/api/samples').set(auth('reviewer')).send({ seed: 'atomic', rate: 0.5 }));
    expect((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sample`)).rows[0].n).toBe(0);
    await refuse();
    const sample = bodyOf<{ id: number }>(await http.post('/api/samples').set(auth('reviewer')).send({ seed: 'atomic', rate: 0.5 }).expect(201));
    const item = bodyOf<{ householdCode: string }[]>(await http.get(`/api/samples/${sample.id}`).set(auth('viewer')).expect(200))[0];
    await refuse('sample.check');
    expectInternalError(await http.put(`/api/samples/${sample.id}/households/${item.householdCode}`).set(auth('reviewer')).send({ rules: ['SUBLET'] }));
    expect((await pool.query<{ any: boolean | null }>(`SELECT bool_or(checked) AS any FROM sample_item WHERE sample_id = $1`, [sample.id])).rows[0].any).toBe(false);
  });

  it('recompute requests and source syncs: no job is enqueued when the entry fails', async () => {
    await refuse('recompute.request', 'source.sync');
    expectInternalError(await http.post('/api/recompute').set(auth('admin')).set('Idempotency-Key', 'atomic-r').send({}));
    expect(await queues.jobFor(JobName.RecomputePlan, { full: false, trigger: 'api', requestKey: 'atomic-r' })).toBeUndefined();
    expectInternalError(await http.post('/api/sources/civil-affairs/sync').set(auth('admin')).set('Idempotency-Key', 'atomic-s').send({}));
    expectInternalError(await http.post('/api/sources/sync').set(auth('admin')).set('Idempotency-Key', 'atomic-all').send({}));
    for (const requestKey of ['atomic-s', 'atomic-all']) {
      expect(await queues.jobFor(JobName.SyncSource, { source: 'civil-affairs', mode: 'incremental', trigger: 'api', requestKey })).toBeUndefined();
    }
    expect([...(await audits('recompute.request')), ...(await audits('source.sync'))]).toEqual([]);

    await refuse();
    const r = bodyOf<{ jobId: string }>(await http.post('/api/recompute').set(auth('admin')).set('Idempotency-Key', 'atomic-r').send({}).expect(201));
    expect((await queues.jobFor(JobName.RecomputePlan, { full: false, trigger: 'api', requestKey: 'atomic-r' }))?.id).toBe(r.jobId);
    expect((await audits('recompute.request')).map((a) => a.detail.jobId)).toEqual([r.jobId]);
    const s = bodyOf<{ jobs: { id: string }[] }>(await http.post('/api/sources/civil-affairs/sync').set(auth('admin')).set('Idempotency-Key', 'atomic-s').send({}).expect(201));
    expect((await audits('source.sync')).map((a) => a.detail.jobId)).toEqual([s.jobs[0].id]);
  });
});
