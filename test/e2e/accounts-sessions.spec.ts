import request from 'supertest';
import { Pool } from 'pg';
import { bodyOf, ErrorBody } from '../support/api';
import { UsersRepository } from '../../src/accounts/users.repository';
import { startTestApp, TestApp } from '../support/test-app';

const GOOD = 'correct-horse-battery-staple';

describe('accounts: sessions and the password change (e2e)', () => {
  let t: TestApp;
  let api: ReturnType<typeof request>;
  let pool: Pool;
  const admin = () => ({ Authorization: `Bearer ${t.tokens.admin}` });
  const cookiesOf = (res: request.Response): string => {
    const h = res.headers['set-cookie'] as unknown;
    const list = Array.isArray(h) ? (h as string[]) : typeof h === 'string' ? [h] : [];
    return list.map((c) => c.split(';')[0]).join('; ');
  };
  const session = (cookie: string) => ({ Cookie: cookie, 'X-XSRF-TOKEN': /XSRF-TOKEN=([^;]+)/.exec(cookie)?.[1] ?? '' });
  const signIn = async (username: string) => {
    await api.post('/api/users').set(admin()).send({ username, role: 'viewer', password: GOOD }).expect(201);
    return cookiesOf(await api.post('/api/auth/login').send({ username, password: GOOD }).expect(200));
  };

  beforeAll(async () => {
    t = await startTestApp('accounts_sessions', { RATE_LIMIT_AUTH_FAILURES: '1000' });
    api = request(t.app.getHttpServer());
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await t.close();
  });

  it('wrong current passwords on a password change count towards the lockout, which then refuses the change', async () => {
    const cookie = await signIn('erin');
    for (let i = 0; i < 5; i++) {
      const res = await api.post('/api/auth/password').set(session(cookie)).send({ current: `wrong-guess-${i}-xxxx`, next: 'a-brand-new-passphrase' }).expect(400);
      expect(bodyOf<ErrorBody>(res).details).toEqual([{ field: 'current', reason: '当前密码不正确' }]);
    }
    const { rows } = await pool.query<{ locked: boolean }>(`SELECT locked_until > now() AS locked FROM app_user WHERE username = 'erin'`);
    expect(rows[0].locked).toBe(true);
    // Locked: even the right current password no longer changes it, and sign-in is refused.
    const locked = await api.post('/api/auth/password').set(session(cookie)).send({ current: GOOD, next: 'a-brand-new-passphrase' }).expect(400);
    expect(bodyOf<ErrorBody>(locked).details).toEqual([{ field: 'current', reason: '账号已锁定，请稍后重试' }]);
    await api.post('/api/auth/login').send({ username: 'erin', password: GOOD }).expect(423);
    const audit = await pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'app_user' AND action IN ('auth.password.change.fail', 'auth.lockout') ORDER BY id`,
    );
    const fail = 'auth.password.change.fail';
    expect(audit.rows.map((r) => r.action)).toEqual([fail, fail, fail, fail, fail, 'auth.lockout', fail]);
  });

  it("a request writes the session's last_seen_at at most once a minute, and still keeps an active session alive", async () => {
    const cookie = await signIn('fred');
    const seen = async () => (await pool.query<{ t: Date; xmin: string }>(`SELECT last_seen_at AS t, xmin::text FROM user_session WHERE revoked_at IS NULL AND user_id = (SELECT id FROM app_user WHERE username = 'fred')`)).rows[0];
    const before = await seen();
    for (let i = 0; i < 5; i++) await api.get('/api/auth/me').set('Cookie', cookie).expect(200);
    // No write: the row version (xmin) is the same.
    expect(await seen()).toEqual(before);
    await pool.query(`UPDATE user_session SET last_seen_at = now() - interval '29 minutes' WHERE user_id = (SELECT id FROM app_user WHERE username = 'fred')`);
    await api.get('/api/auth/me').set('Cookie', cookie).expect(200);
    const after = await seen();
    expect(Date.now() - after.t.getTime()).toBeLessThan(60_000);
  });

  it('the right password in a burst of guesses gets no session once the lockout has begun (after its read)', async () => {
    await api.post('/api/users').set(admin()).send({ username: 'gail', role: 'viewer', password: GOOD }).expect(201);
    const repo = t.app.get(UsersRepository);
    // The burst: this request read "not locked" before its hash was checked; another guess locked the user meanwhile.
    const read = await repo.credentials('gail');
    await pool.query(`UPDATE app_user SET locked_until = now() + interval '15 minutes' WHERE username = 'gail'`);
    const spy = jest.spyOn(repo, 'credentials').mockResolvedValueOnce(read);
    try {
      await api.post('/api/auth/login').send({ username: 'gail', password: GOOD }).expect(423);
    } finally {
      spy.mockRestore();
    }
    const { rows } = await pool.query<{ locked: boolean; sessions: number }>(
      `SELECT locked_until > now() AS locked, (SELECT count(*)::int FROM user_session s WHERE s.user_id = u.id) AS sessions FROM app_user u WHERE username = 'gail'`,
    );
    expect(rows[0]).toEqual({ locked: true, sessions: 0 });
  });
});
