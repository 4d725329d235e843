import request from 'supertest';
import { Pool } from 'pg';
import { generateCity } from '../../src/generator/city-generator';
import { bodyOf, ErrorBody, Page } from '../support/api';
import { dropFeeds } from '../support/city';
import { tempDir } from '../support/files';
import { loadCity, readScenarios, Scenario } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';

interface Both {
  inForce: number;
  draft: number;
}
interface Result {
  status: string;
  comparison: { failing: Both; byRule: ({ rule: string } & Both)[]; byTown: ({ town: string } & Both)[] } | null;
  sweep: { parameter: string; points: { value: number; failing: number; byRule: Record<string, number> }[] } | null;
}
interface Change {
  householdCode: string;
  change: string;
  decided: { rule: string; firesUnder: string; values: { incomePerCapita?: number }; thresholds: { inForce: { incomePerCapita?: number }; draft: { incomePerCapita?: number } } }[];
}

/**
 * What-if: drafts and simulations on a generated city, against the real run's findings on the same
 * data: an identical draft gives exactly the real findings; moving the income line changes exactly
 * the households between the two lines; nothing reaches cases, findings or runs.
 */
describe('policy drafts and simulations (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let pool: Pool;
  let scenarios: Scenario[];
  let runId: string;
  const admin = () => ({ Authorization: `Bearer ${t.tokens.admin}` });
  const count = async (sql: string) => (await pool.query<{ n: number }>(sql)).rows[0].n;
  /** The tables a simulation must never write: their row counts. */
  const realState = async () => ({
    cases: await count(`SELECT count(*)::int AS n FROM "case"`),
    events: await count(`SELECT count(*)::int AS n FROM case_event`),
    findings: await count(`SELECT count(*)::int AS n FROM finding`),
    results: await count(`SELECT count(*)::int AS n FROM household_result`),
    runs: await count(`SELECT count(*)::int AS n FROM recompute_run`),
  });

  const draft = async (name: string, parameters: object) => bodyOf<{ id: number }>(await http.post('/api/policies/drafts').set(admin()).send({ name, parameters }).expect(201)).id;
  /** Starts a simulation and waits until its shards are done. */
  const simulate = async (body: object): Promise<{ id: string; result: Result }> => {
    const { id } = bodyOf<{ id: string }>(await http.post('/api/simulations').set(admin()).send(body).expect(201));
    const deadline = Date.now() + 120_000;
    for (;;) {
      const result = bodyOf<Result>(await http.get(`/api/simulations/${id}`).set(admin()).expect(200));
      if (result.status === 'completed') return { id, result };
      if (Date.now() > deadline) throw new Error(`simulation ${id} still ${result.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const changes = async (id: string, query = '') => bodyOf<Page<Change>>(await http.get(`/api/simulations/${id}/households?pageSize=500${query}`).set(admin()).expect(200));
  const realByRule = async () =>
    Object.fromEntries((await pool.query<{ rule_code: string; n: number }>(`SELECT rule_code, count(*)::int AS n FROM finding WHERE run_id = $1 GROUP BY 1`, [runId])).rows.map((r) => [r.rule_code, r.n]));

  beforeAll(async () => {
    const city = tempDir('simulation-city');
    await generateCity({ households: 300, seed: 21, outDir: city, json: false });
    scenarios = readScenarios(city);
    t = await startTestApp('simulation', { APP_ROLE: 'all', FEED_DROP_DIR: dropFeeds(city, 'simulation-drop'), RATE_LIMIT_REQUESTS: '100000' });
    http = request(t.app.getHttpServer());
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    await loadCity(t.app, city, 'simulation');
    runId = (await pool.query<{ id: string }>(`SELECT max(id)::text AS id FROM recompute_run WHERE status = 'completed'`)).rows[0].id;
  }, 240_000);

  afterAll(async () => {
    await pool.end();
    await t.close();
  });

  it('a draft identical to the policy in force gives exactly the real run, and writes nothing real', async () => {
    const before = await realState();
    const { id, result } = await simulate({ draft: await draft('原样', {}) });
    const real = await realByRule();
    expect(Object.keys(real).length).toBeGreaterThan(5);
    for (const r of result.comparison!.byRule) expect([r.rule, r.inForce, r.draft]).toEqual([r.rule, real[r.rule], real[r.rule]]);
    expect(result.comparison!.byRule.map((r) => r.rule).sort()).toEqual(Object.keys(real).sort());
    expect(result.comparison!.failing.draft).toBe(await count(`SELECT count(DISTINCT household_id)::int AS n FROM finding WHERE run_id = ${runId}`));
    expect((await changes(id)).total).toBe(0);
    expect(await realState()).toEqual(before);
  });

  it('raising the income line passes exactly the households between the two lines, with the values that decided it', async () => {
    const line = 48_010;
    const expected = (
      await pool.query<{ household_code: string }>(
        `SELECT h.household_code FROM finding f JOIN household h ON h.id = f.household_id
          WHERE f.run_id = $1 AND f.rule_code = 'INCOME_OVER' AND (f.evidence->'values'->>'incomePerCapita')::numeric <= $2 ORDER BY 1`,
        [runId, line],
      )
    ).rows.map((r) => r.household_code);
    expect(expected.length).toBeGreaterThan(0);
    const before = await realState();
    const { id, result } = await simulate({ draft: await draft('收入线 48,010', { incomePerCapita: line }) });
    const income = result.comparison!.byRule.find((r) => r.rule === 'INCOME_OVER')!;
    expect(income.inForce - income.draft).toBe(expected.length);
    const changed = (await changes(id, '&rule=INCOME_OVER')).items;
    expect(changed.map((c) => c.householdCode).sort()).toEqual(expected);
    for (const c of changed) {
      const d = c.decided.find((x) => x.rule === 'INCOME_OVER')!;
      expect(d.firesUnder).toBe('inForce');
      expect([d.thresholds.inForce.incomePerCapita, d.thresholds.draft.incomePerCapita]).toEqual([48_000, line]);
      expect(d.values.incomePerCapita).toBeGreaterThan(48_000);
      expect(d.values.incomePerCapita).toBeLessThanOrEqual(line);
    }
    // The same list as 政策模拟测算逐户变化表: one row per changed household, the values in words.
    const csv = (await http.get(`/api/simulations/${id}/export?format=csv&rule=INCOME_OVER`).set(admin()).expect(200)).text.trim().split('\r\n');
    expect(csv[0].replace(/^\uFEFF/, '')).toBe('序号,家庭编号,所属镇街,项目编号,变化,现行政策下的问题,草案下的问题,决定结果的数值与标准');
    expect(csv.length - 1).toBe(expected.length);
    expect(csv.slice(1).join('\n')).toMatch(/收入超标：人均收入 48,0\d\d(\.\d+)? 元：现行标准 48,000 元（超标），草案标准 48,010 元（不超标）/);
    // The list says the same in its `text`.
    const listed = bodyOf<Page<Change & { decided: { text: string }[] }>>(await http.get(`/api/simulations/${id}/households?rule=INCOME_OVER&pageSize=1`).set(admin()).expect(200)).items[0];
    expect(listed.decided[0].text).toMatch(/^人均收入 [\d,.]+ 元：现行标准 48,000 元（超标），草案标准 48,010 元（不超标）$/);
    const xlsx = await http.get(`/api/simulations/${id}/export`).set(admin()).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'export.simulation'`)).toBe(2);
    // Households failing nothing else now pass: newly_passing.
    const passing = (await changes(id, '&change=newly_passing')).items;
    expect(passing.length).toBeGreaterThan(0);
    for (const p of passing) expect(expected).toContain(p.householdCode);
    expect(await realState()).toEqual(before);
  });

  it('lowering the line fails the households planted exactly at it, and no household outside the two lines', async () => {
    const { id } = await simulate({ draft: await draft('收入线 47,999', { incomePerCapita: 47_999 }) });
    const failing = (await changes(id, '&rule=INCOME_OVER')).items;
    const atLine = scenarios.filter((s) => s.scenario === 'income_at_threshold').map((s) => s.householdCode);
    expect(atLine.length).toBeGreaterThan(0);
    for (const code of atLine) expect(failing.map((f) => f.householdCode)).toContain(code);
    for (const f of failing) {
      const d = f.decided.find((x) => x.rule === 'INCOME_OVER')!;
      expect(d.firesUnder).toBe('draft');
      expect(d.values.incomePerCapita).toBeGreaterThan(47_999);
      expect(d.values.incomePerCapita).toBeLessThanOrEqual(48_000);
    }
  });

  it('sweeps the income line: one curve, the in-force point equal to the real run', async () => {
    const { result } = await simulate({ draft: await draft('扫描', {}), sweep: { parameter: 'incomePerCapita', from: 46_000, to: 50_000, step: 1_000 } });
    const points = result.sweep!.points;
    expect(points.map((p) => p.value)).toEqual([46_000, 47_000, 48_000, 49_000, 50_000]);
    const real = await realByRule();
    expect(points[2].byRule.INCOME_OVER ?? 0).toBe(real.INCOME_OVER);
    for (let i = 1; i < points.length; i++) expect(points[i].byRule.INCOME_OVER ?? 0).toBeLessThanOrEqual(points[i - 1].byRule.INCOME_OVER ?? 0);
    // Rules the income line does not touch are the same at every point.
    for (const p of points) expect(p.byRule.VEHICLE ?? 0).toBe(real.VEHICLE ?? 0);
  });

  it('refuses bad requests with their reason, and a run whose evaluation throws ends failed, not running for ever', async () => {
    const id = await draft('坏请求', {});
    const reasons = async (body: object) => bodyOf<ErrorBody>(await http.post('/api/simulations').set(admin()).send(body).expect(400)).details;
    expect((await reasons({ draft: 'x' }))[0].field).toBe('draft');
    expect((await reasons({ draft: id, sweep: { parameter: 'nonsense', from: 1, to: 2, step: 1 } }))[0].field).toBe('sweep.parameter');
    expect((await reasons({ draft: id, sweep: { parameter: 'incomePerCapita', from: 0, to: 1_000_000, step: 1 } }))[0].field).toBe('sweep.step');
    // Every point must be a valid policy: 0 months of income is not.
    const bad = await reasons({ draft: id, sweep: { parameter: 'incomeMonths', from: 0, to: 2, step: 1 } });
    expect(bad).toEqual([{ field: 'sweep', reason: expect.stringContaining('incomeMonths = 0') as unknown }]);
    await http.post('/api/simulations').set(admin()).send({ draft: 999_999 }).expect(404);
    const sweep = bodyOf<{ id: string }>(await http.post('/api/simulations').set(admin()).send({ draft: id, sweep: { parameter: 'vehiclePrice', from: 1, to: 2, step: 1 } }).expect(201)).id;
    await http.get(`/api/simulations/${sweep}/households`).set(admin()).expect(400);
    await http.get(`/api/simulations/${sweep}/export?format=pdf`).set(admin()).expect(400);
    // A draft whose stored document lost a group (a corrupted row): its shards throw; the run fails with the reason.
    const broken = await draft('损坏', {});
    await pool.query(`UPDATE policy_draft SET document = document #- '{parameters,sublet}' WHERE id = $1`, [broken]);
    const failed = bodyOf<{ id: string }>(await http.post('/api/simulations').set(admin()).send({ draft: broken }).expect(201)).id;
    let status = 'running';
    let error: string | null = null;
    for (let i = 0; i < 300 && status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      ({ status, error } = bodyOf<{ status: string; error: string | null }>(await http.get(`/api/simulations/${failed}`).set(admin()).expect(200)));
    }
    expect(status).toBe('failed');
    expect(error).toContain('测算失败');
  });

  it('validates drafts like versions, and freezes one once adopted', async () => {
    const bad = await http.post('/api/policies/drafts').set(admin()).send({ name: '坏', parameters: { incomePerCapita: -1, sublet: { highScore: 'x' } } }).expect(400);
    expect(bodyOf<ErrorBody>(bad).details.map((d) => d.field).sort()).toEqual(['parameters.incomePerCapita', 'parameters.sublet.highScore']);
    const id = await draft('采纳', { vehiclePrice: 250_000 });
    const patched = bodyOf<{ document: { parameters: { vehiclePrice: number; incomePerCapita: number } } }>(
      await http.patch(`/api/policies/drafts/${id}`).set(admin()).send({ parameters: { incomePerCapita: 50_000 } }).expect(200),
    );
    expect(patched.document.parameters).toMatchObject({ vehiclePrice: 250_000, incomePerCapita: 50_000 });
    await http.post(`/api/policies/drafts/${id}/adopt`).set(admin()).send({ version: 'test-2027.1', effectiveFrom: '2027-01-01' }).expect(201);
    const version = bodyOf<{ parameters: { vehiclePrice: number } }>(await http.get('/api/policies/test-2027.1').set(admin()).expect(200));
    expect(version.parameters.vehiclePrice).toBe(250_000);
    const frozen = await http.patch(`/api/policies/drafts/${id}`).set(admin()).send({ name: '改' }).expect(409);
    expect(bodyOf<ErrorBody>(frozen).message).toContain('test-2027.1');
    // Drafts are listed apart from versions; a simulation needs a city-wide admin.
    expect(bodyOf<{ version: string }[]>(await http.get('/api/policies').set(admin()).expect(200)).map((v) => v.version)).not.toContain(`draft-${id}`);
    await http.post('/api/simulations').set({ Authorization: `Bearer ${t.tokens.reviewer}` }).send({ draft: id }).expect(403);
  });
});
