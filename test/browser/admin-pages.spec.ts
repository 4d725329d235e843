import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { QueueService } from '../../jobs/queue.service';
import { drainQueues } from '../support/lifecycle';
import type { TestApp } from '../support/test-app';
import { launchBrowser, menuLabels, pickOption, screenshot, signInAs, type Browser } from './support/browser';
import { adminApi, createUser, startConsoleWithCity } from './support/console-app';

interface AuditPage {
  total: number;
  items: { actor: string; action: string; entityId: string | null; purpose: string | null; detail: Record<string, unknown> }[];
}

describe('console admin pages with a generated city: 数据源, 抽查核实, 审计日志, 政策, 用户 (browser)', () => {
  let t: TestApp;
  let b: Browser;
  let url: string;
  let city: string;
  const api = <T>(path: string) => adminApi<T>(t, path);
  /** Before a picture: toasts gone, modals and dropdowns closed, the pointer off the menu. */
  const settle = async () => {
    const p = b.page;
    await p.mouse.move(1300, 740);
    await p.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 10_000 });
    await p.locator('.ant-modal-wrap:visible, .ant-select-dropdown:visible').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    await p.waitForTimeout(300);
  };
  const openMenu = async (label: string, path: string) => {
    await b.page.getByRole('menuitem', { name: label }).click();
    await b.page.waitForURL(`${url}${path}`);
  };

  beforeAll(async () => {
    ({ t, url, cityDir: city } = await startConsoleWithCity('browser_admin', { households: 100, seed: 13 }, { load: 'sync' }));
    await createUser(t, { username: 'li.admin', role: 'admin', displayName: '李管理' });
    await createUser(t, { username: 'chen.audit', role: 'auditor', displayName: '陈审计' });
    b = await launchBrowser();
    await signInAs(b.page, url, 'li.admin', true);
  }, 300_000);
  afterAll(async () => {
    await b?.close();
    if (t) await drainQueues(t.app.get(QueueService)).catch(() => undefined);
    await t?.close();
  });

  it('数据源 lists the sources with their last runs; 触发同步 enqueues a sync that the audit log records', async () => {
    const p = b.page;
    const list = await api<{ source: string; label: string; status: string; records: { current: number } }[]>('/api/sources');
    const synced = list.find((s) => s.status === 'ok')!;
    await openMenu('数据源', '/sources');
    await p.getByRole('button', { name: '全部同步' }).waitFor();
    const row = p.locator('.ant-table-row').filter({ hasText: synced.label });
    await row.getByText(/接收 [\d,]+/).first().waitFor();
    await settle();
    await screenshot(p, 'sources', { docs: true });
    await row.getByRole('button', { name: /触发同步/ }).click();
    await p.getByText(`已提交同步：${synced.label}`).waitFor();
    const audit = await api<AuditPage>('/api/audit?action=source.sync');
    expect(audit.items.some((e) => e.actor === 'li.admin' && e.entityId === synced.source)).toBe(true);
    // The source's runs in the drawer, and its (masked) rejections tab.
    await row.getByRole('button', { name: '详情' }).click();
    await p.getByText(`数据源 · ${synced.label}`).waitFor();
    await p.getByRole('tab', { name: '同步记录' }).waitFor();
    await p.getByRole('tab', { name: /拒收记录/ }).waitFor();
    await p.getByText('成功').first().waitFor();
    // The drawer slides in: let it settle before the picture.
    await p.waitForTimeout(500);
    await screenshot(p, 'sources-detail');
    await p.keyboard.press('Escape');
    // 上传台账: the projects ledger again (unchanged), its report file by file and the rejected lines.
    const ledger = readdirSync(join(city, 'registry')).find((f) => f.startsWith('projects'))!;
    await p.getByRole('button', { name: /上传台账/ }).click();
    await p.locator('.ant-modal input[type=file]').setInputFiles(join(city, 'registry', ledger));
    await p.getByRole('button', { name: /^上\s*传$/ }).click();
    await p.getByText(/导入报告（批次 #\d+）/).waitFor();
    await p.locator('.ant-modal .ant-table-row').filter({ hasText: ledger }).getByText('项目台账').waitFor();
    await p.getByText('拒收明细').waitFor();
    await p.getByText(/没有拒收的行|共 [\d,]+ 行/).waitFor();
    await screenshot(p, 'sources-import');
    // The report's own modal closes with its primary button (完成), then is gone before the next page.
    const modal = p.locator('.ant-modal').filter({ hasText: /导入报告/ });
    await modal.locator('.ant-modal-footer .ant-btn-primary').click({ timeout: 60_000 });
    await modal.waitFor({ state: 'hidden', timeout: 60_000 });
  });

  it('抽查核实 draws a sample and records a check of one household', async () => {
    const p = b.page;
    await openMenu('抽查核实', '/sampling');
    await p.getByRole('button', { name: /抽取样本/ }).click();
    await p.getByLabel('随机种子').fill('browser-check');
    await p.getByRole('spinbutton', { name: /比例/ }).fill('10');
    await p.getByRole('button', { name: /抽\s*取/ }).last().click();
    await p.getByText(/已抽取 \d+ 户（批次 #\d+）/).waitFor();
    const samples = await api<{ items: { id: number; seed: string; size: number }[] }>('/api/samples');
    const sample = samples.items[0];
    expect(sample.seed).toBe('browser-check');
    await p.getByText(`抽查批次 #${sample.id}`).waitFor();
    await p.getByText(`共 ${sample.size} 户，已核查 0 户`).waitFor();
    const items = await api<{ householdCode: string }[]>(`/api/samples/${sample.id}`);
    const first = p.locator('.ant-table-row').filter({ hasText: items[0].householdCode });
    await first.getByRole('button', { name: '记录核查' }).click();
    await p.getByText(`记录核查 · ${items[0].householdCode}`).waitFor();
    // The modal zooms in: tick once it has settled, and read the box back.
    await p.waitForTimeout(400);
    await p.locator('.ant-modal .ant-checkbox-wrapper').filter({ hasText: /^空置$/ }).click();
    await p.locator('.ant-modal .ant-checkbox-wrapper-checked').filter({ hasText: /^空置$/ }).waitFor();
    await p.getByLabel('备注').fill('入户核实，房屋长期无人居住');
    await p.getByRole('button', { name: /保\s*存/ }).click();
    await p.getByText(`共 ${sample.size} 户，已核查 1 户`).waitFor();
    const after = await api<{ householdCode: string; checked: boolean; checkRules: string[] | null; note: string | null }[]>(`/api/samples/${sample.id}`);
    expect(after.find((i) => i.householdCode === items[0].householdCode)).toMatchObject({ checked: true, checkRules: ['VACANT'], note: '入户核实，房屋长期无人居住' });
    await settle();
    await p.getByText('抽查核实', { exact: true }).last().scrollIntoViewIfNeeded();
    await screenshot(p, 'sampling', { docs: true });
    // The check and the service disagree unless the service also found 空置: a 漏报 or none.
    await p.getByRole('tab', { name: '差异（漏报/误报）' }).click();
    await p.getByRole('link', { name: /下载 CSV/ }).waitFor();
    const d = await api<{ kind: string; rule: string }[]>(`/api/samples/${sample.id}/discrepancies`);
    await p.getByText(`漏报 ${d.filter((x) => x.kind === '漏报').length} 项，误报 ${d.filter((x) => x.kind === '误报').length} 项`).waitFor();
  });

  it('审计日志 filters by action and shows the sample draw', async () => {
    const p = b.page;
    await openMenu('审计日志', '/audit');
    await p.getByText(/共 [\d,]+ 条/).waitFor();
    await p.getByLabel('操作').click();
    await p.keyboard.type('抽取样本');
    await p.locator('.ant-select-item-option').filter({ hasText: /^抽取样本$/ }).click();
    await p.waitForURL(/action=sample\.draw/);
    const draws = await api<AuditPage>('/api/audit?action=sample.draw');
    await p.getByText(`共 ${draws.total} 条`).waitFor();
    const row = p.locator('.ant-table-row').first();
    await row.getByText('抽取样本').waitFor();
    await row.getByText('li.admin').waitFor();
    // The detail JSON opens in the row.
    await row.getByRole('button', { name: /展开行|Expand row/ }).click();
    await p.getByText('"seed": "browser-check"').waitFor();
    await settle();
    await screenshot(p, 'audit', { docs: true });
  });

  it('a reveal on 一户一档 asks a purpose and shows on 审计日志 with it', async () => {
    const p = b.page;
    const households = await api<{ items: { householdCode: string }[] }>('/api/households?status=active&pageSize=1');
    const code = households.items[0].householdCode;
    await p.goto(`${url}/households/${code}`);
    await p.getByText(`一户一档 · ${code}`).waitFor();
    await p.getByRole('button', { name: '查看完整身份证号' }).click();
    await p.getByLabel('用途').fill('抽查复核身份');
    await p.getByRole('button', { name: /查\s*看/ }).last().click();
    await p.getByText(/已显示完整身份证号（用途：抽查复核身份）/).waitFor();
    await p.goto(`${url}/audit?action=household.read.reveal&household=${code}`);
    const row = p.locator('.ant-table-row').first();
    await row.getByText('查看完整身份证号').waitFor();
    await row.getByText('抽查复核身份').waitFor();
    await row.getByRole('link', { name: code }).waitFor();
    await screenshot(p, 'audit-reveal');
  });

  it('政策 shows the versions and a version\'s parameters in words with units', async () => {
    const p = b.page;
    const versions = await api<{ version: string }[]>('/api/policies');
    await openMenu('政策', '/policies');
    await p.getByText(versions[0].version).first().waitFor();
    await p.getByText('收入超标：人均年收入超过').waitFor();
    await p.getByText('48,000 元').waitFor();
    await p.getByText('15 平方米').waitFor();
    await p.getByRole('tab', { name: '模拟测算' }).waitFor();
    await settle();
    await screenshot(p, 'policies', { docs: true });
  });

  it('用户 creates a user and shows the one-time password once', async () => {
    const p = b.page;
    await openMenu('用户', '/users');
    await p.getByText('li.admin').waitFor();
    await p.getByRole('button', { name: /新建用户/ }).click();
    await p.getByLabel('用户名').fill('zhao.reviewer');
    await p.getByLabel('姓名').fill('赵复核');
    await pickOption(p, p.getByLabel('角色'), /^复核员$/);
    const projects = await api<{ items: { town: string | null }[] }>('/api/projects?pageSize=500');
    const town = projects.items.map((x) => x.town).filter((x): x is string => !!x).sort()[0];
    await p.getByLabel('镇（街道）').click();
    await p.locator('.ant-select-item-option').filter({ hasText: new RegExp(`^${town}$`) }).click();
    await p.keyboard.press('Escape');
    await p.getByRole('button', { name: /保\s*存/ }).click();
    await p.getByText('一次性密码', { exact: true }).waitFor();
    const password = await p.getByTestId('one-time-password').innerText();
    expect(password.length).toBeGreaterThanOrEqual(12);
    await screenshot(p, 'users-password');
    await p.getByRole('button', { name: '我已记下' }).click();
    const row = p.locator('.ant-table-row').filter({ hasText: 'zhao.reviewer' });
    await row.getByText('复核员').waitFor();
    await row.getByText('待改密码').waitFor();
    const users = await api<{ items: { username: string; role: string; scopeTowns: string[] }[] }>('/api/users');
    const created = users.items.find((u) => u.username === 'zhao.reviewer')!;
    expect(created.role).toBe('reviewer');
    expect(created.scopeTowns).toEqual([town]);
    await row.getByText(created.scopeTowns[0]).waitFor();
    // The password works once: signing in with it asks for a new one.
    const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'zhao.reviewer', password }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
    await settle();
    await screenshot(p, 'users', { docs: true });
    // Reset password: a new one-time password, shown once; the old one no longer signs in.
    await row.getByRole('button', { name: '重置密码' }).click();
    await p.getByRole('button', { name: /^重\s*置$/ }).click();
    await p.getByText('一次性密码', { exact: true }).waitFor();
    const next = await p.getByTestId('one-time-password').innerText();
    expect(next).not.toBe(password);
    await p.getByRole('button', { name: '我已记下' }).click();
    const old = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'zhao.reviewer', password }) });
    expect(old.status).toBe(401);
    // Disable, then enable again.
    await row.getByRole('button', { name: '停用' }).click();
    await p.getByRole('button', { name: /^停\s*用$/ }).last().click();
    await row.getByText('已停用').waitFor();
    await row.getByRole('button', { name: '启用' }).click();
    await row.getByText('待改密码').waitFor();
    const audit = await api<AuditPage>('/api/audit?actor=li.admin&pageSize=10');
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['user.create', 'user.password.reset', 'user.disable', 'user.enable']));
  });

  it('an auditor sees 审计日志 and not 用户', async () => {
    await b.context.clearCookies();
    await signInAs(b.page, url, 'chen.audit', true);
    const labels = await menuLabels(b.page);
    expect(labels).toContain('审计日志');
    expect(labels).not.toContain('用户');
    await openMenu('审计日志', '/audit');
    await b.page.getByText(/共 [\d,]+ 条/).waitFor();
    await b.page.locator('.ant-table-row').first().waitFor();
  });
});
