import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { Pool } from 'pg';
import { ROLES, type Role } from '../../src/auth/actor';
import { TokenService } from '../../src/auth/token.service';
import { generateCity } from '../../src/generator/city-generator';
import { bodyOf, Page } from '../support/api';
import { dropFeeds } from '../support/city';
import { tempDir } from '../support/files';
import { loadCity } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Every route of the application against a hand-written access table, written from the README's
 * role table (not read from the decorators): no credential, each role city-wide, and each role
 * scoped to one town, in and out of that town. A route the application has and the table lacks
 * fails the first test.
 */

/** Who may call a route: `public` (no credential), `any` (every role), or the roles listed. */
type Allowed = 'public' | 'any' | readonly Role[];

interface Fixture {
  inTown: { household: string; case: string; project: string; unit: string };
  outOfTown: { household: string; case: string; project: string; unit: string };
  sample: number;
  userId: number;
  run: string;
}

interface Route {
  allowed: Allowed;
  /** City-wide accounts only: a scoped account of an allowed role gets 403. */
  cityWide?: boolean;
  /**
   * The route names one household, case, project or unit: a scoped account gets it in its town
   * and 404 out of it. `path` is called with the fixture's in-town or out-of-town objects.
   */
  scoped?: boolean;
  /** The concrete path (with a query when the route needs one). */
  path: (f: Fixture, where: Fixture['inTown']) => string;
  /**
   * The body sent by an allowed role. Writes send a body that fails validation, so that the
   * guard's answer shows (anything but 401/403) without changing data.
   */
  body?: object;
  /** The status an allowed, in-scope caller gets (default 200). */
  ok?: number;
}

const READ: Allowed = 'any';
const ADMIN: readonly Role[] = ['admin'];
const H = (f: Fixture, w: Fixture['inTown']) => w.household;

/** The access table (README "Access control"). Keys: "METHOD /path" as the controllers declare them. */
const TABLE: Record<string, Route> = {
  'GET /health': { allowed: 'public', path: () => '/health' },
  'POST /api/auth/login': { allowed: 'public', path: () => '/api/auth/login', body: {}, ok: 400 },
  'GET /api/auth/me': { allowed: READ, path: () => '/api/auth/me' },
  // A token is not a session: logout and password answer 400 to a token, after the guard.
  'POST /api/auth/logout': { allowed: READ, path: () => '/api/auth/logout', body: {}, ok: 400 },
  'POST /api/auth/password': { allowed: READ, path: () => '/api/auth/password', body: {}, ok: 400 },

  'GET /api/users': { allowed: ADMIN, cityWide: true, path: () => '/api/users' },
  'GET /api/users/:id': { allowed: ADMIN, cityWide: true, path: (f) => `/api/users/${f.userId}` },
  'POST /api/users': { allowed: ADMIN, cityWide: true, path: () => '/api/users', body: {}, ok: 400 },
  'PATCH /api/users/:id': { allowed: ADMIN, cityWide: true, path: (f) => `/api/users/${f.userId}`, body: { role: 'king' }, ok: 400 },
  'POST /api/users/:id/disable': { allowed: ADMIN, cityWide: true, path: () => '/api/users/999999/disable', body: {}, ok: 404 },
  'POST /api/users/:id/reset-password': { allowed: ADMIN, cityWide: true, path: (f) => `/api/users/${f.userId}/reset-password`, body: { password: 'short' }, ok: 400 },
  'GET /api/tokens': { allowed: ADMIN, cityWide: true, path: () => '/api/tokens' },
  'POST /api/tokens': { allowed: ADMIN, cityWide: true, path: () => '/api/tokens', body: {}, ok: 400 },
  'DELETE /api/tokens/:id': { allowed: ADMIN, cityWide: true, path: () => '/api/tokens/0', ok: 400 },
  'GET /metrics': { allowed: ADMIN, cityWide: true, path: () => '/metrics' },
  'GET /api/audit': { allowed: ['admin', 'auditor'], cityWide: true, path: () => '/api/audit?pageSize=5' },

  'GET /api/policies': { allowed: READ, path: () => '/api/policies' },
  'GET /api/policies/:version': { allowed: READ, path: () => '/api/policies/0', ok: 404 },
  'POST /api/policies': { allowed: ADMIN, cityWide: true, path: () => '/api/policies', body: {}, ok: 400 },
  'GET /api/policies/drafts': { allowed: READ, path: () => '/api/policies/drafts' },
  'POST /api/policies/drafts': { allowed: ADMIN, cityWide: true, path: () => '/api/policies/drafts', body: {}, ok: 400 },
  'GET /api/policies/drafts/:id': { allowed: READ, path: () => '/api/policies/drafts/999999', ok: 404 },
  'PATCH /api/policies/drafts/:id': { allowed: ADMIN, cityWide: true, path: () => '/api/policies/drafts/999999', body: { name: '' }, ok: 400 },
  'POST /api/policies/drafts/:id/adopt': { allowed: ADMIN, cityWide: true, path: () => '/api/policies/drafts/999999/adopt', body: {}, ok: 400 },

  'POST /api/simulations': { allowed: ADMIN, cityWide: true, path: () => '/api/simulations', body: {}, ok: 400 },
  'GET /api/simulations': { allowed: READ, path: () => '/api/simulations' },
  'GET /api/simulations/:id': { allowed: READ, path: () => '/api/simulations/999999', ok: 404 },
  'GET /api/simulations/:id/households': { allowed: READ, path: () => '/api/simulations/999999/households', ok: 404 },
  'GET /api/simulations/:id/export': { allowed: READ, path: () => '/api/simulations/999999/export?format=csv', ok: 404 },

  'GET /api/sources': { allowed: READ, path: () => '/api/sources' },
  'GET /api/sources/:name': { allowed: READ, path: () => '/api/sources/vehicle' },
  'GET /api/sources/:name/rejections': { allowed: ['admin', 'reviewer', 'auditor'], cityWide: true, path: () => '/api/sources/vehicle/rejections' },
  'POST /api/sources/sync': { allowed: ADMIN, cityWide: true, path: () => '/api/sources/sync', body: { mode: 'sideways' }, ok: 400 },
  'POST /api/sources/:name/sync': { allowed: ADMIN, cityWide: true, path: () => '/api/sources/vehicle/sync', body: { mode: 'sideways' }, ok: 400 },

  'GET /api/projects': { allowed: READ, path: () => '/api/projects' },
  'GET /api/projects/:code': { allowed: READ, scoped: true, path: (f, w) => `/api/projects/${w.project}` },
  'GET /api/units': { allowed: READ, path: () => '/api/units' },
  'GET /api/units/:code': { allowed: READ, scoped: true, path: (f, w) => `/api/units/${w.unit}` },
  'GET /api/households': { allowed: READ, path: () => '/api/households' },
  'GET /api/households/:code': { allowed: READ, scoped: true, path: (f, w) => `/api/households/${H(f, w)}` },
  'PATCH /api/households/:code': { allowed: ADMIN, cityWide: true, path: (f) => `/api/households/${f.inTown.household}`, body: { status: 'gone' }, ok: 400 },
  'PUT /api/households/:code/members': { allowed: ADMIN, cityWide: true, path: (f) => `/api/households/${f.inTown.household}/members`, body: {}, ok: 400 },
  'POST /api/registry/import': { allowed: ADMIN, cityWide: true, path: () => '/api/registry/import', body: {}, ok: 400 },
  'GET /api/registry/imports/:id/rejections': { allowed: ['admin', 'reviewer', 'auditor'], cityWide: true, path: () => '/api/registry/imports/1/rejections' },

  'POST /api/recompute': { allowed: ADMIN, cityWide: true, path: () => '/api/recompute', body: { full: 'maybe' }, ok: 400 },
  'GET /api/recompute/runs': { allowed: READ, path: () => '/api/recompute/runs' },
  'GET /api/recompute/runs/:id/changes': { allowed: READ, path: (f) => `/api/recompute/runs/${f.run}/changes` },
  'GET /api/findings': { allowed: READ, path: () => '/api/findings' },
  'GET /api/findings/counts': { allowed: READ, path: () => '/api/findings/counts' },
  'GET /api/households/:code/verdict': { allowed: READ, scoped: true, path: (f, w) => `/api/households/${H(f, w)}/verdict` },
  'GET /api/households/:code/history': { allowed: READ, scoped: true, path: (f, w) => `/api/households/${H(f, w)}/history` },

  'GET /api/cases': { allowed: READ, path: () => '/api/cases' },
  'GET /api/cases/queues': { allowed: READ, path: () => '/api/cases/queues' },
  'GET /api/cases/:id/assignees': { allowed: ['admin', 'reviewer'], scoped: true, path: (f, w) => `/api/cases/${w.case}/assignees` },
  // Assigning to a user who does not exist: 400 after the guard and the scope (no change).
  'PUT /api/cases/:id/assignee': { allowed: ['admin', 'reviewer'], scoped: true, path: (f, w) => `/api/cases/${w.case}/assignee`, body: { userId: 999999 }, ok: 400 },
  'GET /api/dashboard': { allowed: READ, path: () => '/api/dashboard' },
  'GET /api/cases/:id/documents': { allowed: READ, scoped: true, path: (f, w) => `/api/cases/${w.case}/documents` },
  // A notice carries the full ID number: reviewer or admin, with a purpose; no such notice: 404 after the guard.
  'GET /api/cases/:id/documents/:docId': { allowed: ['admin', 'reviewer'], scoped: true, path: (f, w) => `/api/cases/${w.case}/documents/999999?purpose=核查打印`, ok: 404 },
  'POST /api/documents/batch': { allowed: ['admin', 'reviewer'], path: () => '/api/documents/batch', body: {}, ok: 400 },
  'GET /api/documents/batches/:id': { allowed: ['admin', 'reviewer'], path: () => '/api/documents/batches/999999', ok: 404 },
  'GET /api/documents/batches/:id/file': { allowed: ['admin', 'reviewer'], path: () => '/api/documents/batches/999999/file?purpose=打印', ok: 404 },
  'POST /api/templates': { allowed: ADMIN, cityWide: true, path: () => '/api/templates', body: {}, ok: 400 },
  'GET /api/templates': { allowed: ADMIN, cityWide: true, path: () => '/api/templates' },
  'GET /api/templates/defaults/:kind': { allowed: ADMIN, cityWide: true, path: () => '/api/templates/defaults/reminder' },
  // Attachments: a JSON body has no files and no kind (400 after the guard and the scope); no such attachment: 404.
  'POST /api/cases/:id/attachments': { allowed: ['admin', 'reviewer', 'inspector'], scoped: true, path: (f, w) => `/api/cases/${w.case}/attachments`, body: {}, ok: 400 },
  'GET /api/cases/:id/attachments': { allowed: READ, scoped: true, path: (f, w) => `/api/cases/${w.case}/attachments` },
  'GET /api/cases/:id/attachments/:attachmentId': { allowed: ['admin', 'reviewer', 'inspector', 'auditor'], scoped: true, path: (f, w) => `/api/cases/${w.case}/attachments/999999`, ok: 404 },
  'POST /api/cases/:id/attachments/:attachmentId/withdraw': {
    allowed: ['admin', 'reviewer'],
    scoped: true,
    path: (f, w) => `/api/cases/${w.case}/attachments/999999/withdraw`,
    body: { reason: '核对撤回' },
    ok: 404,
  },
  'GET /api/cases/:id': { allowed: READ, scoped: true, path: (f, w) => `/api/cases/${w.case}` },
  // record_inspection is a step every case-working role has; a body without its fields is a 400.
  'POST /api/cases/:id/actions/:action': {
    allowed: ['admin', 'reviewer', 'inspector'],
    scoped: true,
    path: (f, w) => `/api/cases/${w.case}/actions/record_inspection`,
    body: {},
    ok: 400,
  },
  // A handover dated in the future passes the body's schema and is refused by the service (400) after the scope's 404.
  'POST /api/households/:code/handover': { allowed: ['admin', 'reviewer'], scoped: true, path: (f, w) => `/api/households/${H(f, w)}/handover`, body: { handedOverOn: '2099-01-01' }, ok: 400 },

  'POST /api/samples': { allowed: ['admin', 'reviewer'], path: () => '/api/samples', body: {}, ok: 400 },
  'GET /api/samples': { allowed: READ, path: () => '/api/samples' },
  'GET /api/samples/:id': { allowed: READ, path: (f) => `/api/samples/${f.sample}` },
  'PUT /api/samples/:id/households/:code': { allowed: ['admin', 'reviewer'], path: (f) => `/api/samples/${f.sample}/households/${f.inTown.household}`, body: {}, ok: 400 },
  'GET /api/samples/:id/discrepancies': { allowed: READ, path: (f) => `/api/samples/${f.sample}/discrepancies` },

  'GET /api/exports/overdue': { allowed: READ, path: () => '/api/exports/overdue?format=csv' },
  'GET /api/exports/cases': { allowed: READ, path: () => '/api/exports/cases?format=csv' },
  'GET /api/exports/summary': { allowed: READ, path: () => '/api/exports/summary?format=csv' },
};

const METHODS: Record<number, string> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
};

/** The application's routes, as "METHOD /path", from its controllers' metadata. */
function routesOf(app: TestApp['app']): string[] {
  const found: string[] = [];
  const join = (...parts: string[]) => '/' + parts.flatMap((p) => p.split('/')).filter(Boolean).join('/');
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
      const proto = type.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (method === undefined || path === undefined) continue;
        found.push(`${METHODS[method]} ${join(base, path)}`);
      }
    }
  }
  return found.sort();
}

describe('access table: every route × every credential, in and out of scope (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let pool: Pool;
  let f: Fixture;
  let town: string;
  /** A token per role, scoped to `town`. */
  const scopedTokens = {} as Record<Role, string>;

  const call = (key: string, route: Route, token: string | null, where: Fixture['inTown']) => {
    const [method] = key.split(' ');
    const path = route.path(f, where);
    let req = http[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    return route.body !== undefined ? req.send(route.body) : req;
  };
  const allows = (route: Route, role: Role) => route.allowed === 'any' || route.allowed === 'public' || route.allowed.includes(role);

  beforeAll(async () => {
    const city = tempDir('access-city');
    // 200 households a project, a town a project: 260 make two towns.
    await generateCity({ households: 260, seed: 11, outDir: city, json: false });
    t = await startTestApp('access_table', { APP_ROLE: 'all', FEED_DROP_DIR: dropFeeds(city, 'access-drop'), RATE_LIMIT_REQUESTS: '100000', RATE_LIMIT_AUTH_FAILURES: '100000' });
    http = request(t.app.getHttpServer());
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    await loadCity(t.app, city, 'access');
    // The town with the most open cases is the scoped accounts' town; a case and a household in it and out of it.
    const cases = await pool.query<{ town: string; case_id: string; household_code: string; project_code: string; unit_code: string }>(
      `SELECT p.town, c.id::text AS case_id, h.household_code, p.project_code, u.unit_code
         FROM "case" c JOIN household h ON h.id = c.household_id JOIN unit u ON u.id = h.unit_id JOIN project p ON p.id = u.project_id
        ORDER BY c.id`,
    );
    const byTown = new Map<string, number>();
    for (const r of cases.rows) byTown.set(r.town, (byTown.get(r.town) ?? 0) + 1);
    town = [...byTown.entries()].sort((a, b) => b[1] - a[1])[0][0];
    if (byTown.size < 2) throw new Error(`cases in ${byTown.size} town(s): ${JSON.stringify([...byTown])}`);
    const pick = (inTown: boolean) => {
      const r = cases.rows.find((x) => (x.town === town) === inTown)!;
      return { household: r.household_code, case: r.case_id, project: r.project_code, unit: r.unit_code };
    };
    const tokens = t.app.get(TokenService);
    for (const role of ROLES) scopedTokens[role] = (await tokens.create(`${role}-town`, role, 'test', null, undefined, { towns: [town], projects: [] })).token;
    const sample = bodyOf<{ id: number }>(await http.post('/api/samples').set('Authorization', `Bearer ${t.tokens.admin}`).send({ seed: 'access', rate: 0.5 }).expect(201));
    const user = bodyOf<{ user: { id: number } }>(
      await http.post('/api/users').set('Authorization', `Bearer ${t.tokens.admin}`).send({ username: 'access.viewer', role: 'viewer', password: 'correct-horse-battery-staple' }).expect(201),
    );
    const run = (await pool.query<{ id: string }>(`SELECT max(id)::text AS id FROM recompute_run WHERE status = 'completed'`)).rows[0].id;
    f = { inTown: pick(true), outOfTown: pick(false), sample: sample.id, userId: user.user.id, run };
  }, 240_000);

  afterAll(async () => {
    await pool.end();
    await t.close();
  });

  it('lists every route of the application, and no route the application lacks', () => {
    expect(routesOf(t.app)).toEqual(Object.keys(TABLE).sort());
  });

  it('refuses every non-public route without a credential (401), and answers public ones', async () => {
    for (const [key, route] of Object.entries(TABLE)) {
      const res = await call(key, route, null, f.inTown);
      if (route.allowed === 'public') expect([key, res.status]).toEqual([key, route.ok ?? 200]);
      else expect([key, res.status]).toEqual([key, 401]);
    }
  });

  it('answers each city-wide role as the table says: the expected status when allowed, 403 otherwise', async () => {
    for (const [key, route] of Object.entries(TABLE)) {
      if (route.allowed === 'public') continue;
      for (const role of ROLES) {
        const res = await call(key, route, t.tokens[role], f.inTown);
        expect([key, role, res.status]).toEqual([key, role, allows(route, role) ? (route.ok ?? 200) : 403]);
      }
    }
  });

  it('answers each town-scoped role: 403 on city-wide routes, 404 out of its town, as a city-wide account in it', async () => {
    for (const [key, route] of Object.entries(TABLE)) {
      if (route.allowed === 'public') continue;
      for (const role of ROLES) {
        const token = scopedTokens[role];
        const inside = await call(key, route, token, f.inTown);
        const expected = !allows(route, role) || route.cityWide ? 403 : (route.ok ?? 200);
        expect([key, role, 'in town', inside.status]).toEqual([key, role, 'in town', expected]);
        if (!route.scoped) continue;
        const outside = await call(key, route, token, f.outOfTown);
        expect([key, role, 'out of town', outside.status]).toEqual([key, role, 'out of town', allows(route, role) ? 404 : 403]);
      }
    }
  });

  it('filters every list, count and export of a scoped account in SQL: pages and totals of its town only', async () => {
    const scoped = { Authorization: `Bearer ${scopedTokens.viewer}` };
    const city = { Authorization: `Bearer ${t.tokens.viewer}` };
    const inTown = async (sql: string) => (await pool.query<{ n: number }>(sql, [town])).rows[0].n;

    const cases = bodyOf<Page<{ town: string }>>(await http.get('/api/cases?pageSize=200').set(scoped).expect(200));
    expect(cases.total).toBe(await inTown(`SELECT count(*)::int AS n FROM "case" c JOIN household h ON h.id = c.household_id JOIN unit u ON u.id = h.unit_id JOIN project p ON p.id = u.project_id WHERE p.town = $1`));
    expect(cases.total).toBeGreaterThan(0);
    expect(new Set(cases.items.map((c) => c.town))).toEqual(new Set([town]));
    const all = bodyOf<Page<unknown>>(await http.get('/api/cases?pageSize=1').set(city).expect(200));
    expect(all.total).toBeGreaterThan(cases.total);

    const findings = bodyOf<Page<{ town: string }>>(await http.get(`/api/findings?runId=${f.run}&pageSize=500`).set(scoped).expect(200));
    expect(findings.total).toBe(await inTown(`SELECT count(*)::int AS n FROM finding x JOIN household h ON h.id = x.household_id JOIN unit u ON u.id = h.unit_id JOIN project p ON p.id = u.project_id WHERE x.run_id = ${f.run} AND p.town = $1`));
    expect(new Set(findings.items.map((x) => x.town))).toEqual(new Set([town]));
    const counts = bodyOf<{ byTown: Record<string, unknown> }>(await http.get('/api/findings/counts').set(scoped).expect(200));
    expect(Object.keys(counts.byTown)).toEqual([town]);

    const households = bodyOf<Page<{ town: string }>>(await http.get('/api/households?pageSize=200').set(scoped).expect(200));
    expect(households.total).toBe(await inTown(`SELECT count(*)::int AS n FROM household h JOIN unit u ON u.id = h.unit_id JOIN project p ON p.id = u.project_id WHERE p.town = $1`));
    expect(new Set(households.items.map((h) => h.town))).toEqual(new Set([town]));
    const projects = bodyOf<Page<{ town: string }>>(await http.get('/api/projects?pageSize=200').set(scoped).expect(200));
    expect(new Set(projects.items.map((p) => p.town))).toEqual(new Set([town]));

    // Exports: every row of the 问题整改清单 is of the town; 成果清单 counts only the town.
    const csv = (await http.get('/api/exports/cases?format=csv').set(scoped).expect(200)).text.trim().split('\r\n');
    expect(csv.length - 1).toBe(cases.total);
    const summary = (await http.get('/api/exports/summary?format=csv').set(scoped).expect(200)).text;
    expect(summary).toContain(town);
    const otherTown = (await pool.query<{ town: string }>(`SELECT DISTINCT town FROM project WHERE town <> $1 LIMIT 1`, [town])).rows[0].town;
    expect(summary).not.toContain(otherTown);

    // A sample drawn by a scoped reviewer holds only the town's households; the city's sample shows a scoped reader its town's part.
    const drawn = bodyOf<{ id: number }>(await http.post('/api/samples').set({ Authorization: `Bearer ${scopedTokens.reviewer}` }).send({ seed: 'town', rate: 1 }).expect(201));
    const items = bodyOf<{ householdCode: string }[]>(await http.get(`/api/samples/${drawn.id}`).set(city).expect(200));
    expect(items.length).toBe(await inTown(`SELECT count(*)::int AS n FROM household h JOIN unit u ON u.id = h.unit_id JOIN project p ON p.id = u.project_id WHERE p.town = $1 AND h.status = 'active'`));
    const part = bodyOf<{ householdCode: string }[]>(await http.get(`/api/samples/${f.sample}`).set(scoped).expect(200));
    const whole = bodyOf<{ householdCode: string }[]>(await http.get(`/api/samples/${f.sample}`).set(city).expect(200));
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThan(whole.length);
    // The list shows a scoped reader the samples touching the town, sized by the town's part.
    const listed = bodyOf<{ items: { id: number; size: number }[] }>(await http.get('/api/samples?pageSize=100').set(scoped).expect(200)).items;
    expect(listed.find((s) => s.id === f.sample)?.size).toBe(part.length);
    expect(bodyOf<{ items: { id: number; size: number }[] }>(await http.get('/api/samples?pageSize=100').set(city).expect(200)).items.find((s) => s.id === f.sample)?.size).toBe(whole.length);
  });

  it('gives a signed-in user their scope: a town inspector sees their town only', async () => {
    const admin = { Authorization: `Bearer ${t.tokens.admin}` };
    await http.post('/api/users').set(admin).send({ username: 'Town.Inspector', role: 'inspector', towns: [town], password: 'correct-horse-battery-staple' }).expect(201);
    // Usernames are case-insensitive: the same name in other letters is the same user.
    await http.post('/api/users').set(admin).send({ username: 'town.inspector', role: 'viewer', password: 'correct-horse-battery-staple' }).expect(409);
    const login = await http.post('/api/auth/login').send({ username: 'TOWN.INSPECTOR', password: 'correct-horse-battery-staple' }).expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const xsrf = /XSRF-TOKEN=([^;]+)/.exec(cookie)![1];
    const headers = { Cookie: cookie, 'X-XSRF-TOKEN': xsrf };
    await http.post('/api/auth/password').set(headers).send({ current: 'correct-horse-battery-staple', next: 'a-new-long-passphrase-9' }).expect(200);
    const me = bodyOf<{ scope: { towns: string[]; city: boolean } }>(await http.get('/api/auth/me').set(headers).expect(200));
    expect(me.scope).toMatchObject({ towns: [town], city: false });
    const cases = bodyOf<Page<{ town: string }>>(await http.get('/api/cases?pageSize=200').set(headers).expect(200));
    expect(new Set(cases.items.map((c) => c.town))).toEqual(new Set([town]));
    await http.get(`/api/cases/${f.outOfTown.case}`).set(headers).expect(404);
    await http.post(`/api/cases/${f.outOfTown.case}/actions/record_inspection`).set(headers).send({}).expect(404);
    await http.post(`/api/cases/${f.inTown.case}/actions/confirm`).set(headers).send({ reason: '越权' }).expect(403);
  });

  it('re-enables a disabled user (PATCH active) and audits both', async () => {
    const admin = { Authorization: `Bearer ${t.tokens.admin}` };
    await http.post(`/api/users/${f.userId}/disable`).set(admin).send({}).expect(201);
    await http.post('/api/auth/login').send({ username: 'access.viewer', password: 'correct-horse-battery-staple' }).expect(401);
    const enabled = bodyOf<{ active: boolean }>(await http.patch(`/api/users/${f.userId}`).set(admin).send({ active: true }).expect(200));
    expect(enabled.active).toBe(true);
    await http.post('/api/auth/login').send({ username: 'access.viewer', password: 'correct-horse-battery-staple' }).expect(200);
    const actions = (await pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_type = 'app_user' AND entity_id = $1 AND action IN ('user.disable', 'user.enable') ORDER BY id`, [String(f.userId)])).rows;
    expect(actions.map((a) => a.action)).toEqual(['user.disable', 'user.enable']);
  });
  it('answers malformed input on every route with a 4xx and its reason, never a 500', async () => {
    const admin = { Authorization: `Bearer ${t.tokens.admin}` };
    // Path parameters of every wrong shape, then bodies and queries no route accepts.
    const badParams = ['x', '-1', '0', '9'.repeat(40), '%E2%80%AE', 'a%20b'];
    const badBodies: unknown[] = [[], 'text', { unknown: 1 }, { page: -1, files: 'x', kind: 'nonsense', userId: 'x', draft: -1, sweep: null }];
    const fivehundreds: string[] = [];
    let sent = 0;
    for (const key of Object.keys(TABLE)) {
      const [method, template] = key.split(' ');
      // Skip the routes a 500 there would not be about input: sign-in is throttled per IP, /metrics and /health take none.
      if (['/api/auth/login', '/metrics', '/health'].includes(template)) continue;
      const paths = template.includes(':') ? badParams.map((v) => template.replace(/:[A-Za-z]+/g, v)) : [`${template}?page=-1&pageSize=abc&unknown=1`];
      for (const path of paths) {
        const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
        const bodies = verb === 'get' || verb === 'delete' ? [undefined] : badBodies;
        for (const body of bodies) {
          let req = http[verb](path).set(admin);
          if (body !== undefined) req = typeof body === 'string' ? req.set('Content-Type', 'application/json').send(body) : req.send(body as object);
          const res = await req;
          sent++;
          if (res.status >= 500) fivehundreds.push(`${method} ${path} ${JSON.stringify(body)} → ${res.status} ${res.text.slice(0, 120)}`);
          else if (res.status >= 400) expect([key, typeof (res.body as { message?: unknown }).message]).toEqual([key, 'string']);
        }
      }
    }
    expect(fivehundreds).toEqual([]);
    expect(sent).toBeGreaterThan(400);
  });
});
