import request from 'supertest';
import { bodyOf, ErrorBody } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';

/** Bad input to the accounts and token routes is a 400 naming its field, never a 500 from PostgreSQL. */
describe('accounts: bad input (e2e)', () => {
  let t: TestApp;
  let api: ReturnType<typeof request>;
  const admin = () => ({ Authorization: `Bearer ${t.tokens.admin}` });

  beforeAll(async () => {
    t = await startTestApp('accounts_input', { RATE_LIMIT_AUTH_FAILURES: '1000' });
    api = request(t.app.getHttpServer());
  });
  afterAll(async () => {
    await t.close();
  });

  const fieldOf = (res: request.Response) => bodyOf<ErrorBody>(res).details?.map((d) => d.field);

  it.each([
    ['a NUL', { username: 'a\u0000b', password: 'whatever-password' }],
    ['an ID number', { username: '110101199003071234', password: 'whatever-password' }],
  ])('sign-in with %s in the username is a 400', async (_label, body) => {
    expect(fieldOf(await api.post('/api/auth/login').send(body).expect(400))).toEqual(['username']);
  });

  it('sign-in with a lone surrogate in the username is a 400', async () => {
    const res = await api.post('/api/auth/login').set('Content-Type', 'application/json').send('{"username":"\\ud800ab","password":"x"}').expect(400);
    expect(fieldOf(res)).toEqual(['username']);
  });

  it('a NUL or zero-width character in a display name or a token name is a 400', async () => {
    expect(fieldOf(await api.post('/api/users').set(admin()).send({ username: 'nul-user', role: 'viewer', displayName: 'a\u0000b' }).expect(400))).toEqual(['displayName']);
    expect(fieldOf(await api.post('/api/users').set(admin()).send({ username: 'zw-user', role: 'viewer', displayName: 'a\u200bb' }).expect(400))).toEqual(['displayName']);
    expect(fieldOf(await api.post('/api/tokens').set(admin()).send({ name: 'a\u0000', role: 'viewer' }).expect(400))).toEqual(['name']);
  });

  it('an ID number is refused as a username', async () => {
    expect(fieldOf(await api.post('/api/users').set(admin()).send({ username: '11010119900307123X', role: 'viewer' }).expect(400))).toEqual(['username']);
  });
});
