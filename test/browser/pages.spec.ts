import type { TestApp } from '../support/test-app';
import { launchBrowser, pickOption, screenshot, signInAs, type Browser } from './support/browser';
import { adminApi, createUser, startConsoleWithCity } from './support/console-app';

/** A page of GET /api/findings, as far as this test reads it. */
interface FindingsPage {
  total: number;
  items: { householdCode: string; rule: string; name: string }[];
}

describe('console pages with a generated city: 工作台, 核查结果, 一户一档 (browser)', () => {
  let t: TestApp;
  let b: Browser;
  let url: string;
  const api = <T>(path: string) => adminApi<T>(t, path);

  beforeAll(async () => {
    ({ t, url } = await startConsoleWithCity('browser_pages', { households: 120, seed: 7 }, { load: 'sync' }));
    await createUser(t, { username: 'wang.admin', role: 'admin', displayName: '王管理' });
    b = await launchBrowser();
    // Signed in afresh: the session survives the reload, and the 密码已修改 toast is gone from the screenshots.
    await signInAs(b.page, url, 'wang.admin', true);
  }, 300_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('工作台 shows findings by rule and town, the case funnel, sources and the latest run, each number a link', async () => {
    const counts = await api<{ byRule: Record<string, number>; byTown: Record<string, Record<string, number>> }>('/api/findings/counts');
    const total = Object.values(counts.byRule).reduce((a, c) => a + c, 0);
    expect(total).toBeGreaterThan(0);
    const p = b.page;
    await p.getByText('各镇（街道）核查结果').waitFor();
    // The total of findings, as a link to the list.
    const totalLink = p.locator('a[href="/findings"]').filter({ hasText: new Intl.NumberFormat('zh-CN').format(total) });
    await totalLink.first().waitFor();
    // A town's count for a rule links to the list filtered by both.
    const [town, byRule] = Object.entries(counts.byTown).find(([name]) => name !== '（轮候）')!;
    const [rule, n] = Object.entries(byRule)[0];
    const cell = p.locator(`a[href="/findings?town=${encodeURIComponent(town).replace(/%20/g, '+')}&rule=${rule}"]`);
    await expect(cell.innerText()).resolves.toBe(String(n));
    // The case queues with their counts (each a link to the queue), the funnel, and the sources' table.
    const queues = await api<{ key: string; count: number }[]>('/api/cases/queues');
    const open = queues.find((q) => q.key === 'open')!;
    expect(open.count).toBeGreaterThan(0);
    await expect(p.locator('a[href="/cases?queue=open"]').innerText()).resolves.toBe(String(open.count));
    await p.getByText('应退未退清零进度（按周）').waitFor();
    await p.getByText('各项目核查结果').waitFor();
    await p.getByText('民政').first().waitFor();
    await p.getByText('最近一次复核').waitFor();
    await p.locator('canvas').first().waitFor();
    await screenshot(p, 'dashboard', { docs: true });
    await screenshot(p, 'dashboard-full', { fullPage: true });
    // Following a number opens the filtered list.
    await cell.click();
    await p.waitForURL(/\/findings\?town=/);
    await expect(p.getByText(`共 ${n} 条`).waitFor()).resolves.toBeUndefined();
  });

  it('核查结果 lists findings paged and filtered on the server, and a row opens the household', async () => {
    const all = await api<FindingsPage>('/api/findings?pageSize=20');
    const p = b.page;
    await p.getByRole('menuitem', { name: '核查结果' }).click();
    await p.waitForURL(`${url}/findings`);
    await p.getByText(`共 ${new Intl.NumberFormat('zh-CN').format(all.total)} 条`).waitFor();
    await p.getByRole('link', { name: all.items[0].householdCode }).first().waitFor();
    await screenshot(p, 'findings', { docs: true });
    // Filter by a rule through the select: the URL and the total follow the server.
    const rule = all.items[0].rule;
    const filtered = await api<FindingsPage>(`/api/findings?rule=${rule}&pageSize=20`);
    await pickOption(p, p.getByLabel('规则'), all.items[0].name);
    await p.waitForURL(new RegExp(`rule=${rule}`));
    await p.getByText(`共 ${new Intl.NumberFormat('zh-CN').format(filtered.total)} 条`).waitFor();
    // Selection.
    await p.locator('.ant-table-row .ant-checkbox-input').first().check();
    await p.getByText('已选择 1 条').waitFor();
    // A click on the row (not on the link) opens the dossier.
    await p.locator('.ant-table-row').first().locator('td').nth(2).click();
    await p.waitForURL(new RegExp(`/households/${filtered.items[0].householdCode}$`));
  });

  it('一户一档 shows lease, members masked, findings with evidence, the case; revealing asks for a purpose and is audited', async () => {
    const p = b.page;
    const code = decodeURIComponent(p.url().split('/households/')[1]);
    await p.getByText(`一户一档 · ${code}`).waitFor();
    await p.getByText('租赁起始').waitFor();
    await p.getByText('核查数值').first().waitFor();
    await p.getByText('政策标准').first().waitFor();
    await p.getByText(/政策版本：/).first().waitFor();
    // Masked ID numbers: first 6 and last 4 kept.
    const ids = await p.locator('td span[style*="monospace"]').allInnerTexts();
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    await screenshot(p, 'household', { docs: true });
    await screenshot(p, 'household-full', { fullPage: true });
    // Reveal: the purpose is required, then the numbers show in clear and the audit log has the purpose.
    await p.getByRole('button', { name: '查看完整身份证号' }).click();
    const dialog = p.getByRole('dialog', { name: '查看完整身份证号' });
    await dialog.getByRole('button', { name: /查\s*看/ }).click();
    await dialog.getByText('请说明用途', { exact: true }).waitFor();
    await dialog.getByLabel('用途').fill('入户核查');
    await dialog.getByRole('button', { name: /查\s*看/ }).click();
    await p.getByText(/已显示完整身份证号（用途：入户核查）/).waitFor();
    const clear = await p.locator('td span[style*="monospace"]').allInnerTexts();
    for (const id of clear) expect(id).toMatch(/^\d{17}[\dX]$/);
    const audit = await api<{ items: { action: string; purpose: string | null }[] }>('/api/audit?action=household.read.reveal&pageSize=5');
    expect(audit.items.some((e) => e.purpose === '入户核查')).toBe(true);
  });
  it('is keyboard navigable: the menu with arrow keys and Enter, a finding’s household link with Enter', async () => {
    const p = b.page;
    await p.goto(`${url}/dashboard`);
    await p.getByText('各镇（街道）核查结果').waitFor();
    const menu = p.getByRole('navigation', { name: '主菜单' }).getByRole('menu');
    await menu.focus();
    // Arrow keys move the menu's focus (rc-menu); Enter opens the focused entry.
    const focused = async () => (await p.locator(':focus').first().innerText()).trim();
    // One key at a time, each waited for (a loaded CI handles key events late: pressing again before
    // focus moved overshot to 案件); from the menu itself or 工作台 down, from anything below up.
    for (let i = 0; i < 6; i++) {
      const now = await focused();
      if (now === '核查结果') break;
      await p.keyboard.press(now === '工作台' || now.includes('\n') ? 'ArrowDown' : 'ArrowUp');
      await p.waitForFunction(`(document.activeElement?.innerText ?? '').trim() !== ${JSON.stringify(now)}`, undefined, { timeout: 3000 }).catch(() => undefined);
    }
    expect(await focused()).toBe('核查结果');
    await p.keyboard.press('Enter');
    await p.waitForURL(`${url}/findings`);
    const first = p.locator('.ant-table-row a[href^="/households/"]').first();
    await first.waitFor();
    const code = await first.innerText();
    await first.focus();
    await p.keyboard.press('Enter');
    await p.waitForURL(`${url}/households/${code}`);
  });

  it('never shows a blank page on a network failure: the service’s state as a Result with 重试, which recovers', async () => {
    const p = b.page;
    await p.route('**/api/dashboard', (r) => r.abort('internetdisconnected'));
    await p.goto(`${url}/dashboard`);
    await p.getByText('无法连接服务器，请检查网络后重试').first().waitFor({ timeout: 15_000 });
    await screenshot(p, 'dashboard-network-error');
    await p.unroute('**/api/dashboard');
    await p.getByRole('button', { name: /重\s*试/ }).first().click();
    await p.getByText('核查结果（条）').waitFor();
  });
});
