import { startTestApp, type TestApp } from '../support/test-app';
import { CHANGED_PASSWORD as CHANGED, ensureConsoleBuilt, INITIAL_PASSWORD as INITIAL, launchBrowser, menuLabels, screenshot, signIn, signInAs, signOut, type Browser } from './support/browser';
import { baseUrlOf, createUser } from './support/console-app';

const MENU = ['工作台', '核查结果', '案件', '应退未退', '数据源', '抽查核实', '审计日志', '政策', '用户'];

describe('console: sign-in, password change, menu by role (browser)', () => {
  let t: TestApp;
  let b: Browser;
  let url: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startTestApp('browser_signin');
    url = baseUrlOf(t);
    await createUser(t, { username: 'zhang.admin', role: 'admin', displayName: '张管理' });
    await createUser(t, { username: 'li.viewer', role: 'viewer', displayName: '李只读', towns: ['城东街道', '湖滨街道'] });
    await createUser(t, { username: 'zhao.locked', role: 'reviewer' });
    b = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('serves the console at / and its routes, with a CSP for it, and leaves the API’s answers alone', async () => {
    for (const path of ['/', '/findings?rule=VEHICLE', '/households/HH0000001']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('<div id="root"></div>');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("frame-ancestors 'none'");
    }
    const api = await fetch(`${url}/api/no-such-route`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${url}/assets/no-such-file.js`)).status).toBe(404);
    expect((await fetch(`${url}/health`)).headers.get('content-type')).toMatch(/json/);
  });

  it('shows the server’s message for a wrong password', async () => {
    await signIn(b.page, url, 'zhang.admin', 'not-the-password-123');
    const alert = b.page.getByRole('alert');
    await alert.waitFor();
    // The service's own 401 message (the same for an unknown user and a wrong password).
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'nobody.here', password: 'not-the-password-123' }) });
    const { message } = (await login.json()) as { message: string };
    expect(login.status).toBe(401);
    expect((await alert.innerText()).trim()).toBe(message);
    await screenshot(b.page, 'login-error');
  });

  it('shows the lockout message (423) after five failed sign-ins, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'zhao.locked', password: `wrong-password-${i}-xyz` }) });
    }
    const probe = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'zhao.locked', password: INITIAL }) });
    expect(probe.status).toBe(423);
    const { message } = (await probe.json()) as { message: string };
    await signIn(b.page, url, 'zhao.locked', INITIAL);
    const alert = b.page.getByRole('alert');
    await alert.filter({ hasText: message }).waitFor();
    await screenshot(b.page, 'login-locked');
  });

  it('validates the form before sending it', async () => {
    await b.page.goto(`${url}/login`);
    await b.page.getByRole('button', { name: /登\s*录/ }).click();
    await b.page.getByText('请输入用户名').waitFor();
    await b.page.getByText('请输入密码').waitFor();
    await screenshot(b.page, 'login', { docs: true });
  });

  it('forces a password change at the first sign-in, then shows the admin every menu entry', async () => {
    await signIn(b.page, url, 'zhang.admin', INITIAL);
    await b.page.getByText('首次登录或密码已被重置').waitFor();
    await screenshot(b.page, 'change-password', { docs: true });
    // Too short: refused in the form; then the real change.
    await b.page.getByLabel('当前密码').fill(INITIAL);
    await b.page.getByLabel('新密码', { exact: true }).fill('short');
    await b.page.getByText('新密码至少12个字符').waitFor();
    await b.page.getByLabel('新密码', { exact: true }).fill(CHANGED);
    await b.page.getByLabel('确认新密码').fill(CHANGED);
    await b.page.getByRole('button', { name: '确认修改' }).click();
    expect(await menuLabels(b.page)).toEqual(MENU);
    const header = b.page.getByTestId('user-info');
    await expect(header.innerText()).resolves.toMatch(/张管理[\s\S]*管理员[\s\S]*范围：全市[\s\S]*退出登录/);
    await b.page.waitForURL(`${url}/dashboard`);
  });

  it('navigates with the menu and signs out', async () => {
    await b.page.getByRole('menuitem', { name: '用户' }).click();
    await b.page.waitForURL(`${url}/users`);
    await signOut(b.page);
    // Signed out for real: the API refuses the old session.
    const me = await b.page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
  });

  it('shows a town-scoped viewer their scope, not 用户 or 审计日志, and refuses the page when typed in', async () => {
    await signInAs(b.page, url, 'li.viewer', true);
    const labels = await menuLabels(b.page);
    expect(labels).toEqual(MENU.filter((l) => l !== '用户' && l !== '审计日志'));
    await expect(b.page.getByTestId('user-info').innerText()).resolves.toMatch(/李只读[\s\S]*只读[\s\S]*范围：城东街道、湖滨街道/);
    await b.page.goto(`${url}/users`);
    await b.page.getByText('无权访问').waitFor();
  });
});
