import request from 'supertest';
import { Pool } from 'pg';
import { bodyOf, ErrorBody, Page } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';

interface UserBody {
  id: number;
  username: string;
  role: string;
  scopeTowns: string[];
  scopeProjects: string[];
  active: boolean;
  mustChangePassword: boolean;
}
interface Created {
  user: UserBody;
  initialPassword?: string;
}
interface Me {
  user: { id: number; username: string } | null;
  role: string;
  scope: { towns: string[]; projects: string[]; city: boolean };
  mustChangePassword: boolean;
}

const GOOD = 'correct-horse-battery-staple';
const SECOND = 'another-long-passphrase-2';

describe('accounts: users, passwords, sessions, sign-in (e2e)', () => {
  let t: TestApp;
  let api: ReturnType<typeof request>;
  let pool: Pool;
  const admin = () => ({ Authorization: `Bearer ${t.tokens.admin}` });
  const setCookieOf = (res: request.Response): string[] => {
    const h = res.headers['set-cookie'] as unknown;
    return Array.isArray(h) ? (h as string[]) : typeof h === 'string' ? [h] : [];
  };
  /** `phr_session=<secret>; XSRF-TOKEN=<token>` from a sign-in's Set-Cookie. */
  const sessionCookie = (res: request.Response) =>
    setCookieOf(res)
      .map((c) => c.split(';')[0])
      .join('; ');
  const xsrfOf = (cookie: string) => /XSRF-TOKEN=([^;]+)/.exec(cookie)?.[1] ?? '';
  /** The headers of a state-changing request from a signed-in browser: the cookies and the echoed CSRF token. */
  const session = (cookie: string) => ({ Cookie: cookie, 'X-XSRF-TOKEN': xsrfOf(cookie) });

  const createUser = async (username: string, role = 'reviewer', extra: Record<string, unknown> = {}) =>
    bodyOf<Created>(await api.post('/api/users').set(admin()).send({ username, role, ...extra }).expect(201));
  /** A user who has signed in and changed the password: their cookie. */
  const signedIn = async (username: string, role = 'reviewer'): Promise<{ id: number; cookie: string }> => {
    const c = await createUser(username, role, { password: GOOD });
    const first = sessionCookie(await api.post('/api/auth/login').send({ username, password: GOOD }).expect(200));
    await api.post('/api/auth/password').set(session(first)).send({ current: GOOD, next: SECOND }).expect(200);
    return { id: c.user.id, cookie: first };
  };

  beforeAll(async () => {
    t = await startTestApp('accounts', { RATE_LIMIT_AUTH_FAILURES: '1000' });
    api = request(t.app.getHttpServer());
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await t.close();
  });

  it('create → first sign-in → forced change → sign-in with the new password → me → logout', async () => {
    const created = await createUser('alice', 'reviewer', { displayName: '张三', towns: ['城关镇'] });
    expect(created.initialPassword).toMatch(/^\S{12,}$/);
    expect(created.user).toMatchObject({ username: 'alice', role: 'reviewer', scopeTowns: ['城关镇'], scopeProjects: [], mustChangePassword: true });
    expect(JSON.stringify(created.user)).not.toMatch(/hash|scrypt/i);

    const login = await api.post('/api/auth/login').send({ username: 'alice', password: created.initialPassword }).expect(200);
    expect(login.body).toMatchObject({ mustChangePassword: true });
    const first = sessionCookie(login);

    // Everything but me, password and logout is refused until the password changes.
    const refused = await api.get('/api/sources').set('Cookie', first).expect(403);
    expect(bodyOf<ErrorBody>(refused).code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(bodyOf<Me>(await api.get('/api/auth/me').set('Cookie', first).expect(200)).mustChangePassword).toBe(true);

    const wrong = await api.post('/api/auth/password').set(session(first)).send({ current: 'not-the-password', next: GOOD }).expect(400);
    expect(bodyOf<ErrorBody>(wrong).details[0].field).toBe('current');
    await api.post('/api/auth/password').set(session(first)).send({ current: created.initialPassword, next: GOOD }).expect(200);
    await api.get('/api/sources').set('Cookie', first).expect(200);

    await api.post('/api/auth/login').send({ username: 'alice', password: created.initialPassword }).expect(401);
    const second = sessionCookie(await api.post('/api/auth/login').send({ username: 'alice', password: GOOD }).expect(200));
    const me = bodyOf<Me>(await api.get('/api/auth/me').set('Cookie', second).expect(200));
    expect(me).toMatchObject({ user: { username: 'alice' }, role: 'reviewer', scope: { towns: ['城关镇'], projects: [], city: false }, mustChangePassword: false });

    const out = await api.post('/api/auth/logout').set(session(second)).expect(200);
    expect(setCookieOf(out).join()).toMatch(/phr_session=;/);
    await api.get('/api/auth/me').set('Cookie', second).expect(401);

    const audit = await pool.query<{ action: string; detail: unknown }>(`SELECT action, detail FROM audit_log WHERE entity_type = 'app_user' ORDER BY id`);
    expect(audit.rows.map((r) => r.action)).toEqual(['user.create', 'auth.login', 'auth.password.change.fail', 'auth.password.change', 'auth.login.fail', 'auth.login', 'auth.logout']);
    const text = JSON.stringify(audit.rows);
    expect(text).not.toContain(GOOD);
    expect(text).not.toContain(created.initialPassword);
  });

  it.each([
    ['short', 'short-pw', '密码至少12个字符'],
    ['equal to the username', 'policyuser-long', '密码不能与用户名相同'],
    ['common', 'password1234', '密码过于常见'],
  ])('a %s password is a 400 naming the field and the reason', async (_label, password, reason) => {
    const res = await api.post('/api/users').set(admin()).send({ username: 'policyuser-long', role: 'viewer', password }).expect(400);
    expect(bodyOf<ErrorBody>(res).details).toEqual([{ field: 'password', reason }]);
  });

  it('a weak new password is refused on change too', async () => {
    await createUser('bob', 'viewer', { password: GOOD });
    const cookie = sessionCookie(await api.post('/api/auth/login').send({ username: 'bob', password: GOOD }).expect(200));
    const res = await api.post('/api/auth/password').set(session(cookie)).send({ current: GOOD, next: 'bob' }).expect(400);
    expect(bodyOf<ErrorBody>(res).details).toEqual([{ field: 'next', reason: '密码至少12个字符' }]);
  });

  it('locks a user after 5 failures for 15 minutes: wrong passwords read like an unknown user, then 423 even for the right one', async () => {
    await createUser('carol', 'viewer', { password: GOOD });
    const unknown = await api.post('/api/auth/login').send({ username: 'nobody-here', password: GOOD }).expect(401);
    const messages = new Set<string>([bodyOf<ErrorBody>(unknown).message]);
    for (let i = 0; i < 5; i++) messages.add(bodyOf<ErrorBody>(await api.post('/api/auth/login').send({ username: 'carol', password: 'wrong-password-123' }).expect(401)).message);
    expect(messages.size).toBe(1);
    // Locked: even the right password is refused, with 423 and the reason in Chinese (429 is only for throttling).
    const locked = await api.post('/api/auth/login').send({ username: 'carol', password: GOOD }).expect(423);
    expect(bodyOf<ErrorBody>(locked)).toMatchObject({ code: 'LOCKED', message: '账号因连续5次密码错误已锁定，请15分钟后再试或联系管理员解锁' });
    const { rows } = await pool.query<{ minutes: number }>(`SELECT extract(epoch FROM locked_until - now()) / 60 AS minutes FROM app_user WHERE username = 'carol'`);
    expect(Number(rows[0].minutes)).toBeGreaterThan(14);
    expect(Number(rows[0].minutes)).toBeLessThanOrEqual(15);
    const actions = await pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'auth.lockout' OR detail->>'username' = 'nobody-here'`);
    expect(actions.rows.map((r) => r.action).sort()).toEqual(['auth.lockout', 'auth.login.fail']);
    // After the lock expires, the right password works.
    await pool.query(`UPDATE app_user SET locked_until = now() - interval '1 second' WHERE username = 'carol'`);
    await api.post('/api/auth/login').send({ username: 'carol', password: GOOD }).expect(200);
  });

  it('an unknown user takes about as long as a wrong password (a dummy hash is checked)', async () => {
    await createUser('dave', 'viewer', { password: GOOD });
    const time = async (username: string) => {
      const start = process.hrtime.bigint();
      await api.post('/api/auth/login').send({ username, password: 'wrong-password-xyz' }).expect(401);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    await time('nobody-2'); // warm the dummy hash
    // Three of each, interleaved, compared by their medians: one stall of a loaded machine in
    // either sample does not decide it (and dave stays below the 5 failures that lock him).
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 3; i++) {
      unknown.push(await time(`nobody-${i + 3}`));
      wrong.push(await time('dave'));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    expect(median(unknown)).toBeGreaterThan(median(wrong) / 3);
  });

  it('disable and reset end the sessions; reset forces a change', async () => {
    const erin = await signedIn('erin');
    await api.get('/api/auth/me').set('Cookie', erin.cookie).expect(200);
    const reset = bodyOf<Created>(await api.post(`/api/users/${erin.id}/reset-password`).set(admin()).send({}).expect(201));
    expect(reset.user.mustChangePassword).toBe(true);
    await api.get('/api/auth/me').set('Cookie', erin.cookie).expect(401);
    const again = sessionCookie(await api.post('/api/auth/login').send({ username: 'erin', password: reset.initialPassword }).expect(200));
    expect(bodyOf<ErrorBody>(await api.get('/api/cases').set('Cookie', again).expect(403)).code).toBe('PASSWORD_CHANGE_REQUIRED');

    const frank = await signedIn('frank');
    await api.get('/api/sources').set('Cookie', frank.cookie).expect(200);
    const disabled = bodyOf<UserBody>(await api.post(`/api/users/${frank.id}/disable`).set(admin()).expect(201));
    expect(disabled.active).toBe(false);
    await api.get('/api/sources').set('Cookie', frank.cookie).expect(401);
    await api.post('/api/auth/login').send({ username: 'frank', password: SECOND }).expect(401);
  });

  it('a session ends after the idle timeout and at its absolute expiry', async () => {
    const gina = await signedIn('gina');
    await api.get('/api/auth/me').set('Cookie', gina.cookie).expect(200);
    await pool.query(`UPDATE user_session SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [gina.id]);
    await api.get('/api/auth/me').set('Cookie', gina.cookie).expect(401);

    const fresh = sessionCookie(await api.post('/api/auth/login').send({ username: 'gina', password: SECOND }).expect(200));
    await pool.query(`UPDATE user_session SET last_seen_at = now() - interval '29 minutes' WHERE user_id = $1 AND revoked_at IS NULL`, [gina.id]);
    await api.get('/api/auth/me').set('Cookie', fresh).expect(200); // active within the idle window: touched
    const { rows } = await pool.query<{ hours: number }>(`SELECT extract(epoch FROM expires_at - created_at) / 3600 AS hours FROM user_session WHERE user_id = $1 AND revoked_at IS NULL`, [gina.id]);
    expect(new Set(rows.map((r) => Math.round(Number(r.hours))))).toEqual(new Set([12]));
    await pool.query(`UPDATE user_session SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [gina.id]);
    await api.get('/api/auth/me').set('Cookie', fresh).expect(401);
  });

  it('sets the cookie HttpOnly, SameSite=Strict, Path=/; Secure behind TLS; the secret is not the stored id', async () => {
    await createUser('hana', 'viewer', { password: GOOD });
    const plain = await api.post('/api/auth/login').send({ username: 'hana', password: GOOD }).expect(200);
    const c = setCookieOf(plain)[0];
    expect(c).toMatch(/^phr_session=[A-Za-z0-9_-]{40,};/);
    expect(c).toMatch(/; HttpOnly/);
    expect(c).toMatch(/; SameSite=Strict/);
    expect(c).toMatch(/; Path=\//);
    expect(c).not.toMatch(/; Secure/);
    const secret = c.split(';')[0].split('=')[1];
    expect((await pool.query(`SELECT 1 FROM user_session WHERE id = $1`, [secret])).rowCount).toBe(0);
    // Over TLS (a trusted proxy's X-Forwarded-Proto is not trusted by default, so use the config flag).
    const secureApp = await startTestApp('accounts-secure', { COOKIE_SECURE: 'true' });
    try {
      const sapi = request(secureApp.app.getHttpServer());
      await sapi.post('/api/users').set({ Authorization: `Bearer ${secureApp.tokens.admin}` }).send({ username: 'hana', role: 'viewer', password: GOOD }).expect(201);
      const res = await sapi.post('/api/auth/login').send({ username: 'hana', password: GOOD }).expect(200);
      expect(setCookieOf(res)[0]).toMatch(/; Secure/);
      expect(setCookieOf(res).find((c) => c.startsWith('XSRF-TOKEN='))).toMatch(/; Secure/);
    } finally {
      await secureApp.close();
    }
  });

  it('an inspector is refused confirm (403); a reviewer is not refused by role', async () => {
    const ivan = await signedIn('ivan', 'inspector');
    const refused = await api.post('/api/cases/1/actions/confirm').set(session(ivan.cookie)).send({});
    expect(refused.status).toBe(403);
    expect(bodyOf<ErrorBody>(refused).code).toBe('FORBIDDEN');
    await api.post('/api/cases/1/actions/dismiss').set(session(ivan.cookie)).send({}).expect(403);
    await api.post('/api/cases/1/actions/decide_contest').set(`Authorization`, `Bearer ${t.tokens.inspector}`).send({}).expect(403);
    const reviewer = await api.post('/api/cases/1/actions/confirm').set('Authorization', `Bearer ${t.tokens.reviewer}`).send({});
    expect(reviewer.status).not.toBe(403);
  });

  it('CSRF: a cookie session\'s state-changing request needs X-XSRF-TOKEN equal to the cookie, and a same Origin', async () => {
    await createUser('kate', 'viewer', { password: GOOD });
    const login = await api.post('/api/auth/login').send({ username: 'kate', password: GOOD }).expect(200);
    const xsrf = setCookieOf(login).find((c) => c.startsWith('XSRF-TOKEN='))!;
    expect(xsrf).toMatch(/^XSRF-TOKEN=[A-Za-z0-9_-]{40,};/);
    expect(xsrf).not.toMatch(/HttpOnly/);
    expect(xsrf).toMatch(/; SameSite=Strict/);
    expect(xsrf).toMatch(/; Path=\//);
    const cookie = sessionCookie(login);
    const token = xsrfOf(cookie);
    const change = { current: GOOD, next: SECOND };

    const missing = await api.post('/api/auth/password').set('Cookie', cookie).send(change).expect(403);
    expect(bodyOf<ErrorBody>(missing).code).toBe('CSRF');
    expect(bodyOf<ErrorBody>(missing).message).toMatch(/[\u4e00-\u9fff]/);
    const wrong = await api.post('/api/auth/password').set('Cookie', cookie).set('X-XSRF-TOKEN', `${token.slice(0, -1)}x`).send(change).expect(403);
    expect(bodyOf<ErrorBody>(wrong).code).toBe('CSRF');
    // Only the session cookie: the header has nothing to match.
    const onlySession = cookie.split('; ')[0];
    expect(bodyOf<ErrorBody>(await api.post('/api/auth/password').set('Cookie', onlySession).set('X-XSRF-TOKEN', token).send(change).expect(403)).code).toBe('CSRF');
    const foreign = await api.post('/api/auth/password').set(session(cookie)).set('Origin', 'https://evil.example').send(change).expect(403);
    expect(bodyOf<ErrorBody>(foreign).code).toBe('CSRF');
    // Refused requests changed nothing: the password is still GOOD. A same-origin request with the token passes.
    await api.post('/api/auth/password').set(session(cookie)).set('Host', 'phr.example').set('Origin', 'http://phr.example').send(change).expect(200);
    // Reads need no token; me sets a missing XSRF cookie again.
    const me = await api.get('/api/auth/me').set('Cookie', onlySession).expect(200);
    expect(setCookieOf(me).join()).toMatch(/XSRF-TOKEN=[A-Za-z0-9_-]{40,};/);
    expect(setCookieOf(await api.get('/api/auth/me').set('Cookie', cookie).expect(200))).toEqual([]);
    // A bearer token needs no CSRF header, whatever the cookies say.
    await api.post('/api/users').set(admin()).set('Cookie', 'XSRF-TOKEN=abc').send({ username: 'kate-2', role: 'viewer' }).expect(201);
    // Sign-in itself is exempt.
    await api.post('/api/auth/login').set('Origin', 'https://evil.example').send({ username: 'kate', password: SECOND }).expect(200);
  });

  it('lists users paged, updates role and scope; only admins manage users', async () => {
    const page = bodyOf<Page<UserBody>>(await api.get('/api/users?page=1&pageSize=2').set(admin()).expect(200));
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
    const jack = await createUser('jack', 'viewer', { password: GOOD });
    const updated = bodyOf<UserBody>(await api.patch(`/api/users/${jack.user.id}`).set(admin()).send({ role: 'auditor', projects: ['P001'] }).expect(200));
    expect(updated).toMatchObject({ role: 'auditor', scopeProjects: ['P001'], scopeTowns: [] });
    await api.get('/api/users').set('Authorization', `Bearer ${t.tokens.reviewer}`).expect(403);
    const bad = await api.post('/api/users').set(admin()).send({ username: 'x y', role: 'boss' }).expect(400);
    expect(bodyOf<ErrorBody>(bad).details.map((d) => d.field).sort()).toEqual(['role', 'username']);
  });
});
