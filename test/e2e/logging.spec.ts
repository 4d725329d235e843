import { Logger } from '@nestjs/common';
import request from 'supertest';
import { Pool } from 'pg';
import { PINO_LEVEL } from '../../src/logging/logging';
import { startTestApp, TestApp } from '../support/test-app';

/** A JSON log line, as far as these tests read it. */
interface Line {
  level: string;
  msg: string;
  context?: string;
  route?: string;
  responseTime?: number;
  req?: { id: string; url: string; query: Record<string, string>; headers: Record<string, string> };
  res?: { statusCode: number };
  actor?: { name: string; tokenId?: number; userId?: number; role: string };
  members?: unknown;
  person?: unknown;
}

/** The line that closes a request (written as its response ends): it has the request, the response and the actor. */
type ClosingLine = Line & Required<Pick<Line, 'req' | 'res' | 'actor'>>;
const isClosing = (l: Line): l is ClosingLine => Boolean(l.res);

describe('JSON logs through pino: request id, actor, route, duration, redaction (e2e)', () => {
  let t: TestApp;
  let api: ReturnType<typeof request>;
  const raw: string[] = [];
  const ID = '110101199003071234';
  const MASKED = '110101********1234';
  const lines = (): Line[] => raw.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
  /** The lines logged for a request id, once its closing line is in (written as the response ends). */
  async function requestLines(id: string): Promise<Line[]> {
    for (let i = 0; i < 100; i++) {
      const mine = lines().filter((l) => l.req?.id === id);
      if (mine.some((l) => l.res)) return mine;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no closing log line for request ${id}`);
  }

  beforeAll(async () => {
    t = await startTestApp('logging', { LOG_LEVEL: 'log' }, { logDestination: { write: (s: string) => raw.push(s) } });
    api = request(t.app.getHttpServer());
  });
  afterAll(() => t.close());

  it('maps LOG_LEVEL to pino levels', () => {
    expect(PINO_LEVEL).toEqual({ error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' });
    const log = new Logger('level-check');
    log.log('shown at log');
    log.debug('hidden at log');
    const mine = lines().filter((l) => l.context === 'level-check');
    expect(mine.map((l) => [l.level, l.msg])).toEqual([['info', 'shown at log']]);
  });

  it('writes one JSON line per request with its id (echoed), route template, status, duration and actor, and no ID number, token, cookie or purpose in clear', async () => {
    const res = await api
      .get(`/api/households/${ID}?reveal=true&purpose=${encodeURIComponent('核查资格')}`)
      .set({ Authorization: `Bearer ${t.tokens.reviewer}`, 'X-Request-Id': 'trace-7f3a.01', Cookie: 'session=cookie-secret-value' })
      .expect(404);
    expect(res.headers['x-request-id']).toBe('trace-7f3a.01');
    const mine = await requestLines('trace-7f3a.01');
    const last = mine.find(isClosing)!;
    expect(last.level).toBe('warn');
    expect(last.route).toBe('/api/households/:code');
    expect(last.res.statusCode).toBe(404);
    expect(typeof last.responseTime).toBe('number');
    expect(last.actor).toEqual({ name: 'reviewer-user', tokenId: expect.any(Number) as unknown, role: 'reviewer' });
    expect(last.msg).toBe('GET /api/households/:code 404 ' + `${last.responseTime}ms`);
    expect(last.req.url).toContain(MASKED);
    expect(last.req.url).toContain('purpose=[Redacted]');
    expect(last.req.query.purpose).toBe('[Redacted]');
    expect(last.req.headers.authorization).toBe('[Redacted]');
    expect(last.req.headers.cookie).toBe('[Redacted]');
    const all = raw.join('');
    expect(all).not.toContain(ID);
    expect(all).not.toContain(t.tokens.reviewer);
    expect(all).not.toContain('cookie-secret-value');
    expect(all).not.toContain('核查资格');
    expect(all).not.toContain(encodeURIComponent('核查资格'));
  });

  it('redacts the CSRF token a signed-in browser echoes (X-XSRF-TOKEN) and logs the signed-in user by id', async () => {
    await api.post('/api/users').set({ Authorization: `Bearer ${t.tokens.admin}` }).send({ username: 'log-user', role: 'viewer', password: 'correct-horse-battery-staple' }).expect(201);
    const login = await api.post('/api/auth/login').send({ username: 'log-user', password: 'correct-horse-battery-staple' }).expect(200);
    const cookies = ([] as string[]).concat((login.headers['set-cookie'] as unknown as string[] | undefined) ?? []).map((c) => c.split(';')[0]);
    const xsrf = /XSRF-TOKEN=([^;]+)/.exec(cookies.join('; '))?.[1] ?? '';
    expect(xsrf).not.toBe('');
    await api.post('/api/auth/logout').set({ Cookie: cookies.join('; '), 'X-XSRF-TOKEN': xsrf, 'X-Request-Id': 'xsrf-logged.01' }).expect(200);
    const last = (await requestLines('xsrf-logged.01')).find(isClosing)!;
    expect(last.req.headers['x-xsrf-token']).toBe('[Redacted]');
    expect(last.actor).toMatchObject({ name: 'log-user', role: 'viewer', userId: expect.any(Number) as unknown });
    expect(raw.join('')).not.toContain(xsrf);
  });

  it('replaces an unsafe or missing X-Request-Id with its own', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const given of ['has space', 'x'.repeat(65), '<script>', 'a\u00e9b']) {
      const res = await api.get('/api/sources').set({ Authorization: `Bearer ${t.tokens.viewer}`, 'X-Request-Id': given }).expect(200);
      expect(res.headers['x-request-id']).toMatch(uuid);
      const last = (await requestLines(res.headers['x-request-id'])).find(isClosing)!;
      expect([last.level, last.route, last.actor.role]).toEqual(['info', '/api/sources', 'viewer']);
    }
    const res = await api.get('/api/sources').set({ Authorization: `Bearer ${t.tokens.viewer}` }).expect(200);
    expect(res.headers['x-request-id']).toMatch(uuid);
    // A healthy /health is not logged (probes); it still gets its id.
    const health = await api.get('/health').expect(200);
    expect(health.headers['x-request-id']).toMatch(uuid);
    // A logged request after it: once its closing line is in, a line of the probe would be too.
    const after = await api.get('/api/sources').set({ Authorization: `Bearer ${t.tokens.viewer}` }).expect(200);
    await requestLines(after.headers['x-request-id']);
    expect(lines().filter((l) => l.req?.id === health.headers['x-request-id'])).toEqual([]);
  });

  it('logs a 500 through pino with the ID number of the thrown error masked (the exception filter and the request line)', async () => {
    // A database error that quotes what it was given (as trigger and constraint messages can): a
    // sample check whose note the database refuses.
    const pool = new Pool({ connectionString: t.dbUrl, max: 1 });
    const household = (await pool.query<{ id: number }>(`INSERT INTO household (household_code, status, category) VALUES ('LOG0001', 'active', 'dibao') RETURNING id`)).rows[0].id;
    const sample = (await pool.query<{ id: number }>(`INSERT INTO sample (seed, rate, created_by) VALUES ('s', 1, 'test') RETURNING id`)).rows[0].id;
    await pool.query(`INSERT INTO sample_item (sample_id, household_id) VALUES ($1, $2)`, [sample, household]);
    await pool.query(`CREATE FUNCTION refuse_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'note refused: %', NEW.note; END $$`);
    await pool.query(`CREATE TRIGGER refuse_note BEFORE UPDATE ON sample_item FOR EACH ROW EXECUTE FUNCTION refuse_note()`);
    await pool.end();
    const res = await api
      .put(`/api/samples/${sample}/households/LOG0001`)
      .set({ Authorization: `Bearer ${t.tokens.reviewer}`, 'X-Request-Id': 'err-500' })
      .send({ rules: [], note: `tenant ${ID} moved out` })
      .expect(500);
    expect(JSON.stringify(res.body)).not.toContain(ID);
    const mine = await requestLines('err-500');
    const filter = mine.find((l) => l.context === 'http');
    expect(filter).toBeDefined();
    expect(filter!.level).toBe('error');
    expect(filter!.msg).toBe(`error: note refused: tenant ${MASKED} moved out`);
    const last = mine.find(isClosing)!;
    expect([last.level, last.route, last.res.statusCode, last.actor.role]).toEqual(['error', '/api/samples/:id/households/:code', 500, 'reviewer']);
    expect(raw.join('')).not.toContain(ID);
  });

  it('masks ID numbers and names in logged objects and messages by its redaction rule', () => {
    new Logger('redaction-check').warn({ msg: `member ${ID} changed`, members: [{ name: '张三丰', idNo: '11010119900307123X', relation: '配偶' }], person: { 姓名: '李四', 身份证号: ID } });
    const line = lines().find((l) => l.context === 'redaction-check')!;
    expect(line.msg).toBe(`member ${MASKED} changed`);
    expect(line.members).toEqual([{ name: '张**', idNo: '110101********123X', relation: '配偶' }]);
    expect(line.person).toEqual({ 姓名: '李*', 身份证号: MASKED });
    expect(raw.join('')).not.toMatch(/张三丰|李四|11010119900307123X/);
  });
});
