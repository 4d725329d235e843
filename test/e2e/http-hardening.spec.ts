import request from 'supertest';
import { Pool } from 'pg';
import { bodyOf, CreatedToken, ErrorBody } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';

/** What an endpoint that enqueues a job answers. */
interface Enqueued {
  jobId: string;
}

describe('HTTP hardening: headers, bad requests, rate limits, token expiry (e2e)', () => {
  let t: TestApp;
  let api: ReturnType<typeof request>;
  const auth = (role: keyof TestApp['tokens']) => ({ Authorization: `Bearer ${t.tokens[role]}` });

  beforeAll(async () => {
    t = await startTestApp('hardening');
    api = request(t.app.getHttpServer());
  });
  afterAll(() => t.close());

  it('sends security headers, no X-Powered-By, and no-store on the API', async () => {
    const res = await api.get('/api/sources').set(auth('viewer')).expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    // Plain HTTP: no HSTS (it would pin a deployment that terminates TLS elsewhere).
    expect(res.headers['strict-transport-security']).toBeUndefined();
    const err = await api.get('/api/sources/nope').set(auth('viewer')).expect(404);
    expect(err.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['NUL in the path', '/api/households/H%00X', '(url)'],
    ['NUL in a query value', '/api/findings?town=%00', '(url)'],
    ['an impossible date', '/api/findings?asOf=2026-02-30', 'asOf'],
    ['a date before 1900', '/api/findings?asOf=1899-12-31', 'asOf'],
    ['a non-numeric case id', '/api/cases/abc', 'id'],
    ['a case id beyond bigint', '/api/cases/99999999999999999999', 'id'],
    ['a run id with letters', '/api/recompute/runs/1e3/changes', 'id'],
    ['a sample id beyond int', '/api/samples/2147483648', 'id'],
    ['a zero sample id', '/api/samples/0', 'id'],
    ['an unknown enum value', '/api/cases?status=frozen', 'status'],
    ['an unknown query parameter', '/api/cases?colour=red', 'colour'],
    ['a page beyond range', '/api/cases?page=99999999999', 'page'],
    ['a code with spaces', '/api/units/A%20B', 'code'],
  ])('%s is a 400 naming the field', async (_label, path, field) => {
    const res = await api.get(path).set(auth('admin'));
    expect(res.status).toBe(400);
    const body = bodyOf<ErrorBody>(res);
    expect(body.code).toBe('VALIDATION');
    expect(body.details.map((d) => d.field)).toContain(field);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('the case action %s is a 400, not a 500', async (action) => {
    const res = await api.post(`/api/cases/1/actions/${action}`).set(auth('reviewer')).send({});
    expect(res.status).toBe(400);
    expect(bodyOf<ErrorBody>(res).details[0].field).toBe('action');
  });

  it('an Idempotency-Key makes one job of repeated requests; a malformed one is a 400', async () => {
    const first = bodyOf<Enqueued>(await api.post('/api/recompute').set(auth('admin')).set('Idempotency-Key', 'monday-1').send({ asOf: '2026-11-01' }).expect(201));
    const again = bodyOf<Enqueued>(await api.post('/api/recompute').set(auth('admin')).set('Idempotency-Key', 'monday-1').send({ asOf: '2026-11-01' }).expect(201));
    expect(again.jobId).toBe(first.jobId);
    expect(first.jobId).toMatch(/\.monday-1$/);
    const other = bodyOf<Enqueued>(await api.post('/api/recompute').set(auth('admin')).send({ asOf: '2026-11-01' }).expect(201));
    expect(other.jobId).not.toBe(first.jobId);
    const bad = await api.post('/api/recompute').set(auth('admin')).set('Idempotency-Key', 'monday 1/2').send({}).expect(400);
    expect(bodyOf<ErrorBody>(bad).details).toEqual([{ field: 'Idempotency-Key', reason: '只能含字母、数字、_ . -，最多60个字符' }]);
  });

  it('an unknown body field is a 400', async () => {
    const res = await api.post('/api/tokens').set(auth('admin')).send({ name: 'x', role: 'viewer', admin: true }).expect(400);
    expect(bodyOf<ErrorBody>(res).details).toEqual([{ field: 'admin', reason: '未知参数' }]);
  });

  it('refuses an expired token like a revoked one', async () => {
    const created = bodyOf<CreatedToken>(await api.post('/api/tokens').set(auth('admin')).send({ name: 'temp', role: 'viewer', expiresInDays: 1 }).expect(201));
    const expiresAt = new Date(created.expiresAt!).getTime();
    expect(Math.abs(expiresAt - (Date.now() + 86_400_000))).toBeLessThan(60_000);
    await api.get('/api/sources').set({ Authorization: `Bearer ${created.token}` }).expect(200);
    const pool = new Pool({ connectionString: t.dbUrl, max: 1 });
    await pool.query(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.id]);
    await pool.end();
    const res = await api.get('/api/sources').set({ Authorization: `Bearer ${created.token}` }).expect(401);
    expect(bodyOf<ErrorBody>(res).message).toContain('已过期');
  });
});

describe('rate limits shared through Redis (e2e)', () => {
  let t: TestApp;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    t = await startTestApp('ratelimit', { RATE_LIMIT_AUTH_FAILURES: '5', RATE_LIMIT_REQUESTS: '20' });
    api = request(t.app.getHttpServer());
  });
  afterAll(() => t.close());

  it('limits authenticated calls per token, not per route, and leaves other tokens and /health alone', async () => {
    const viewer = { Authorization: `Bearer ${t.tokens.viewer}` };
    const paths = ['/api/sources', '/api/cases', '/api/policies', '/api/recompute/runs'];
    for (let i = 0; i < 20; i++) await api.get(paths[i % paths.length]).set(viewer).expect(200);
    const limited = await api.get('/api/sources').set(viewer).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(bodyOf<ErrorBody>(limited).code).toBe('TOO_MANY_REQUESTS');
    await api.get('/api/sources').set({ Authorization: `Bearer ${t.tokens.auditor}` }).expect(200);
    await api.get('/health').expect(200);
  });

  it('limits failed authentications per IP: after 5 in a minute, even a good token waits', async () => {
    for (let i = 0; i < 5; i++) await api.get('/api/sources').set({ Authorization: `Bearer wrong-${i}` }).expect(401);
    await api.get('/api/sources').expect(429);
    const blocked = await api.get('/api/sources').set({ Authorization: `Bearer ${t.tokens.admin}` }).expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await api.get('/health').expect(200);
  });

  it('answers at most the limit of 401s to one IP, even to requests arriving at once', async () => {
    const other = await startTestApp('ratelimit_burst', { RATE_LIMIT_AUTH_FAILURES: '5' });
    try {
      const burst = request(other.app.getHttpServer());
      const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => burst.get('/api/sources').set({ Authorization: `Bearer wrong-${i}` }).then((r) => r.status)));
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    } finally {
      await other.close();
    }
  });
});
