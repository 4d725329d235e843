import request from 'supertest';
import { Pool } from 'pg';
import { generateCity } from '../../src/generator/city-generator';
import { bodyOf, ErrorBody, Page } from '../support/api';
import { dropFeeds } from '../support/city';
import { tempDir } from '../support/files';
import { loadCity } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';

interface Queue {
  key: string;
  label: string;
  count: number;
}
interface CaseItem {
  id: string;
  status: string;
  kind: string;
  town: string;
  assignee: { id: number; username: string } | null;
}
interface Dashboard {
  run: { id: string } | null;
  findings: { byRule: { rule: string; level: string; findings: number }[]; byTown: { town: string; findings: number; households: number }[]; byProject: { projectCode: string; findings: number }[] };
  funnel: { found: number; confirmed: number; overdueNow: number; exited: number; dismissed: number };
  inspectionsPastDue: number;
  overdueByWeek: { weekEnd: string; overdue: number }[];
}

const PASSWORD = 'correct-horse-battery-staple';
const NEXT = 'a-new-long-passphrase-9';

/** The 案件 page's queues, case assignment (我的待办) and the 工作台's figures, against SQL on the same data. */
describe('case queues, assignment and the dashboard (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let pool: Pool;
  let towns: string[];
  const admin = () => ({ Authorization: `Bearer ${t.tokens.admin}` });
  const count = async (sql: string, params: unknown[] = []) => (await pool.query<{ n: number }>(sql, params)).rows[0].n;
  /** A user signed in with a changed password: their session's headers. */
  const signIn = async (username: string, role: string, scope: object = {}) => {
    await http.post('/api/users').set(admin()).send({ username, role, password: PASSWORD, ...scope }).expect(201);
    const res = await http.post('/api/auth/login').send({ username, password: PASSWORD }).expect(200);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const headers = { Cookie: cookie, 'X-XSRF-TOKEN': /XSRF-TOKEN=([^;]+)/.exec(cookie)![1] };
    await http.post('/api/auth/password').set(headers).send({ current: PASSWORD, next: NEXT }).expect(200);
    return headers;
  };

  beforeAll(async () => {
    const city = tempDir('queues-city');
    await generateCity({ households: 260, seed: 12, outDir: city, json: false });
    t = await startTestApp('dashboard_queues', { APP_ROLE: 'all', FEED_DROP_DIR: dropFeeds(city, 'queues-drop'), RATE_LIMIT_REQUESTS: '100000' });
    http = request(t.app.getHttpServer());
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    await loadCity(t.app, city, 'queues');
    towns = (await pool.query<{ town: string }>(`SELECT DISTINCT town FROM project ORDER BY 1`)).rows.map((r) => r.town);
  }, 240_000);

  afterAll(async () => {
    await pool.end();
    await t.close();
  });

  it('counts each queue as its list holds it, in the caller scope', async () => {
    const queues = bodyOf<Queue[]>(await http.get('/api/cases/queues').set(admin()).expect(200));
    expect(queues.map((q) => q.label)).toEqual(['待核实', '待入户核查', '已核查待认定', '申辩期内', '申辩待复核', '已发通知', '应退未退', '承租人变更', '已结案', '核查逾期', '我的待办']);
    for (const q of queues) {
      const page = bodyOf<Page<CaseItem>>(await http.get(`/api/cases?queue=${q.key}&pageSize=1`).set(admin()).expect(200));
      expect([q.key, page.total]).toEqual([q.key, q.count]);
    }
    const open = queues.find((q) => q.key === 'open')!.count;
    expect(open).toBe(await count(`SELECT count(*)::int AS n FROM "case" WHERE status = 'open' AND kind <> 'tenant_change'`));
    expect(open).toBeGreaterThan(0);
    // A town-scoped reader's queues are of its town.
    const scoped = (await http.post('/api/tokens').set(admin()).send({ name: 'town-viewer', role: 'viewer', towns: [towns[0]] }).expect(201)).body as { token: string };
    const inTown = bodyOf<Queue[]>(await http.get('/api/cases/queues').set({ Authorization: `Bearer ${scoped.token}` }).expect(200));
    expect(inTown.find((q) => q.key === 'open')!.count).toBe(
      await count(
        `SELECT count(*)::int AS n FROM "case" c JOIN household h ON h.id = c.household_id JOIN unit u ON u.id = h.unit_id JOIN project p ON p.id = u.project_id
          WHERE c.status = 'open' AND c.kind <> 'tenant_change' AND p.town = $1`,
        [towns[0]],
      ),
    );
  });

  it('assigns a case to a town inspector, who finds it in 我的待办; only users whose scope holds the case may be assigned', async () => {
    const inspector = await signIn('insp.one', 'inspector', { towns: [towns[0]] });
    await signIn('insp.two', 'inspector', { towns: [towns[1]] });
    const reviewer = await signIn('rev.one', 'reviewer');
    const open = bodyOf<Page<CaseItem>>(await http.get(`/api/cases?queue=open&town=${encodeURIComponent(towns[0])}&pageSize=1`).set(admin()).expect(200)).items[0];

    const candidates = bodyOf<{ id: number; username: string }[]>(await http.get(`/api/cases/${open.id}/assignees`).set(reviewer).expect(200));
    const names = candidates.map((c) => c.username);
    expect(names).toContain('insp.one');
    expect(names).toContain('rev.one');
    expect(names).not.toContain('insp.two');
    const other = (await pool.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'insp.two'`)).rows[0].id;
    const refused = await http.put(`/api/cases/${open.id}/assignee`).set(reviewer).send({ userId: other }).expect(400);
    expect(bodyOf<ErrorBody>(refused).details[0].field).toBe('userId');

    const target = candidates.find((c) => c.username === 'insp.one')!;
    const assigned = bodyOf<{ assignee: { username: string }; timeline: { action: string; reason: string }[] }>(
      await http.put(`/api/cases/${open.id}/assignee`).set(reviewer).send({ userId: target.id }).expect(200),
    );
    expect(assigned.assignee.username).toBe('insp.one');
    expect(assigned.timeline.at(-1)).toMatchObject({ action: 'assign' });
    const mine = bodyOf<Page<CaseItem>>(await http.get('/api/cases?queue=mine').set(inspector).expect(200));
    expect(mine.items.map((c) => c.id)).toEqual([open.id]);
    expect(bodyOf<Queue[]>(await http.get('/api/cases/queues').set(inspector).expect(200)).find((q) => q.key === 'mine')!.count).toBe(1);
    // An inspector cannot assign; the assignment is audited.
    await http.put(`/api/cases/${open.id}/assignee`).set(inspector).send({ userId: null }).expect(403);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'case.assign' AND entity_id = $1`, [open.id])).toBe(1);
    // Cleared: 我的待办 is empty again.
    await http.put(`/api/cases/${open.id}/assignee`).set(reviewer).send({ userId: null }).expect(200);
    expect(bodyOf<Page<CaseItem>>(await http.get('/api/cases?queue=mine').set(inspector).expect(200)).total).toBe(0);
  });

  it('gives the dashboard figures that SQL on the same data gives, city-wide and for a town', async () => {
    const d = bodyOf<Dashboard>(await http.get('/api/dashboard').set(admin()).expect(200));
    expect(d.run).not.toBeNull();
    const runId = d.run!.id;
    const byRule = await pool.query<{ rule_code: string; level: string; n: number }>(`SELECT rule_code, level, count(*)::int AS n FROM finding WHERE run_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`, [runId]);
    expect(d.findings.byRule.map((r) => [r.rule, r.level, r.findings])).toEqual(byRule.rows.map((r) => [r.rule_code, r.level, r.n]));
    expect(d.findings.byTown.reduce((s, r) => s + r.findings, 0)).toBe(await count(`SELECT count(*)::int AS n FROM finding WHERE run_id = $1`, [runId]));
    expect(d.findings.byProject.reduce((s, r) => s + r.findings, 0)).toBe(await count(`SELECT count(*)::int AS n FROM finding WHERE run_id = $1`, [runId]));
    expect(d.funnel.found).toBe(await count(`SELECT count(*)::int AS n FROM "case" WHERE kind <> 'tenant_change'`));
    expect(d.overdueByWeek).toHaveLength(12);
    expect(d.overdueByWeek.at(-1)!.overdue).toBe(await count(`SELECT count(*)::int AS n FROM "case" WHERE status = 'overdue'`));

    const scoped = (await http.post('/api/tokens').set(admin()).send({ name: 'town-dash', role: 'viewer', towns: [towns[1]] }).expect(201)).body as { token: string };
    const town = bodyOf<Dashboard>(await http.get('/api/dashboard').set({ Authorization: `Bearer ${scoped.token}` }).expect(200));
    expect(town.findings.byTown.map((r) => r.town)).toEqual([towns[1]]);
    expect(town.funnel.found).toBe(
      await count(
        `SELECT count(*)::int AS n FROM "case" c JOIN household h ON h.id = c.household_id JOIN unit u ON u.id = h.unit_id JOIN project p ON p.id = u.project_id
          WHERE c.kind <> 'tenant_change' AND p.town = $1`,
        [towns[1]],
      ),
    );
    expect(town.funnel.found).toBeLessThan(d.funnel.found);
  });

  it('every funnel figure is the total of the case list behind it (?stage=)', async () => {
    const d = bodyOf<Dashboard & { funnel: Record<string, number> }>(await http.get('/api/dashboard').set(admin()).expect(200));
    for (const stage of ['found', 'confirmed', 'noticed', 'overdue', 'exited', 'dismissed']) {
      const page = bodyOf<Page<CaseItem>>(await http.get(`/api/cases?stage=${stage}&pageSize=1`).set(admin()).expect(200));
      expect([stage, page.total]).toEqual([stage, d.funnel[stage]]);
    }
    await http.get('/api/cases?stage=nowhere').set(admin()).expect(400);
  });

  it('findings sort by score and filter 主动申报/瞒报 in SQL; a household shows its rules in each run', async () => {
    type Item = { householdCode: string; rule: string; score: number | null; declared: boolean | null };
    const byScore = bodyOf<Page<Item>>(await http.get('/api/findings?sort=score&pageSize=200').set(admin()).expect(200)).items;
    const scores = byScore.map((i) => i.score ?? -1);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const all = bodyOf<Page<Item>>(await http.get('/api/findings?pageSize=1').set(admin()).expect(200)).total;
    const declared = bodyOf<Page<Item>>(await http.get('/api/findings?declared=true&pageSize=200').set(admin()).expect(200));
    const concealed = bodyOf<Page<Item>>(await http.get('/api/findings?declared=false&pageSize=200').set(admin()).expect(200));
    expect(declared.total).toBeGreaterThan(0);
    expect(concealed.total).toBeGreaterThan(0);
    expect(declared.items.every((i) => i.declared === true)).toBe(true);
    expect(concealed.items.every((i) => i.declared === false)).toBe(true);
    expect(declared.total + concealed.total).toBeLessThanOrEqual(all);
    await http.get('/api/findings?sort=drop').set(admin()).expect(400);
    const one = byScore[0];
    const history = bodyOf<{ runId: string; rules: string[] }[]>(await http.get(`/api/households/${one.householdCode}/history`).set(admin()).expect(200));
    expect(history.length).toBeGreaterThan(0);
    expect(history[0].rules).toContain(one.rule);
  });
});
