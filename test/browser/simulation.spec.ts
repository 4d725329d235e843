import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import type { Page } from 'playwright-core';
import { setClock } from '../../src/common/clock';
import { addDays } from '../../src/common/dates';
import type { TestApp } from '../support/test-app';
import { launchBrowser, pickOption, screenshot, signInAs, signOut, type Browser } from './support/browser';
import { adminApi, createUser, startConsoleWithCity } from './support/console-app';
/** The draft's income line (the policy in force: 48,000 元). */
const LINE = 52_000;

interface Both {
  inForce: number;
  draft: number;
}
interface Simulation {
  id: string;
  kind: string;
  status: string;
  comparison: { failing: Both; byRule: ({ rule: string; name: string } & Both)[] } | null;
  sweep: { parameter: string; points: { value: number; failing: number }[] } | null;
}
interface Change {
  householdCode: string;
  town: string | null;
  decided: { rule: string; firesUnder: string; values: { incomePerCapita?: number }; thresholds: { inForce: { incomePerCapita?: number }; draft: { incomePerCapita?: number } } }[];
}
interface CaseItem {
  id: string;
  kind: string;
  rules: string[];
}

jest.setTimeout(240_000);

const fmt = (n: number) => new Intl.NumberFormat('zh-CN').format(n);
/** An amount as the console writes it: thousands separators, two decimals unless whole. */
const yuan = (n: number) => `${new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n).replace(/\.00$/, '')} 元`;

describe('console 政策 → 模拟测算 with a generated city: a draft, its comparison, the households that change, a sweep; 登记送达 on a case (browser)', () => {
  let t: TestApp;
  let b: Browser;
  let url: string;
  let pool: Pool;
  let draftId: number;
  const api = <T>(path: string, init?: { method: string; body: unknown }) => adminApi<T>(t, path, init);
  /** The newest simulation of the draft (of a kind), once completed. */
  const latest = async (kind: string): Promise<Simulation> => {
    const list = await api<{ items: { id: string; kind: string; draft: { id: number } }[] }>('/api/simulations?pageSize=50');
    const head = list.items.find((s) => s.kind === kind && s.draft.id === draftId)!;
    return api<Simulation>(`/api/simulations/${head.id}`);
  };
  /** Before a picture: toasts gone, the pointer off the menu. */
  async function settle(p: Page): Promise<void> {
    await p.mouse.move(1300, 740);
    await p.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 10_000 });
    await p.waitForTimeout(300);
  }
  async function openSimulation(p: Page): Promise<void> {
    await p.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '政策' }).click();
    await p.waitForURL(/\/policies/);
    await p.getByRole('tab', { name: '模拟测算' }).click();
    await p.waitForURL(/tab=simulation/);
    await p.getByText('政策草案', { exact: true }).waitFor();
  }
  /** A rule's row of the per-rule comparison: 问题, 现行, 草案, 变化. */
  const ruleRow = (p: Page, rule: string) => p.locator(`.ant-table-row[data-row-key="${rule}"]`);
  /** Buttons by their label (antd spaces two-character labels: 采 纳). */
  const button = (p: Page, label: string) => p.getByRole('button', { name: new RegExp(`^${label.split('').join('\\s*')}$`) });

  beforeAll(async () => {
    ({ t, url } = await startConsoleWithCity('browser_simulation', { households: 300, seed: 21 }, { load: 'full', env: { RATE_LIMIT_REQUESTS: '100000' } }));
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    await createUser(t, { username: 'li.admin', role: 'admin', displayName: '李管理' });
    await createUser(t, { username: 'wang.viewer', role: 'viewer', displayName: '王查看' });
    b = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    setClock(null);
    await b?.close();
    await pool?.end();
    await t?.close();
  });

  it('an admin creates a draft raising the income line, runs it and sees 收入超标 fall and the households between the two lines pass', async () => {
    const p = b.page;
    // The households the raised line passes: failing 收入超标 with an income per head up to the new line.
    const runId = (await pool.query<{ id: string }>(`SELECT max(id)::text AS id FROM recompute_run WHERE status = 'completed'`)).rows[0].id;
    const between = (
      await pool.query<{ household_code: string }>(
        `SELECT h.household_code FROM finding f JOIN household h ON h.id = f.household_id
          WHERE f.run_id = $1 AND f.rule_code = 'INCOME_OVER' AND (f.evidence->'values'->>'incomePerCapita')::numeric <= $2`,
        [runId, LINE],
      )
    ).rows.map((r) => r.household_code);
    expect(between.length).toBeGreaterThan(0);

    await signInAs(p, url, 'li.admin', true);
    await openSimulation(p);
    await p.getByRole('button', { name: '新建草案' }).click();
    const modal = p.locator('.ant-modal');
    // The form checks its fields before anything is sent.
    await modal.getByLabel('收入超标：人均年收入超过').fill('');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await modal.getByText('请填写草案名称').waitFor();
    await modal.getByText('请填写收入超标：人均年收入超过').waitFor();
    await modal.getByLabel('草案名称').fill('收入线调整至 52,000 元');
    await modal.getByLabel('收入超标：人均年收入超过').fill(String(LINE));
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await modal.waitFor({ state: 'hidden' });
    type Doc = { parameters: Record<string, unknown> };
    const drafts = await api<{ id: number; name: string; baseVersion: string; document: Doc }[]>('/api/policies/drafts');
    const base = await api<Doc>(`/api/policies/${drafts[0].baseVersion}`);
    // Only the income line changed: the rest is the policy in force.
    expect(drafts[0]).toMatchObject({ name: '收入线调整至 52,000 元', document: { parameters: { ...base.parameters, incomePerCapita: LINE } } });
    expect(base.parameters.incomePerCapita).toBe(48_000);
    draftId = drafts[0].id;
    // The changed threshold, against the policy in force.
    const changed = p.locator('.ant-table-row').filter({ hasText: '收入超标：人均年收入超过' });
    await changed.getByText('48,000 元').waitFor();
    await changed.getByText('52,000 元').waitFor();

    await p.getByRole('button', { name: '运行测算' }).click();
    await p.waitForURL(/sim=\d+/);
    // Polled until completed: the per-rule table.
    await ruleRow(p, 'INCOME_OVER').waitFor({ timeout: 120_000 });
    const sim = await latest('compare');
    expect(sim.status).toBe('completed');
    const income = sim.comparison!.byRule.find((r) => r.rule === 'INCOME_OVER')!;
    expect(income.inForce - income.draft).toBe(between.length);
    await expect(ruleRow(p, 'INCOME_OVER').locator('td').allInnerTexts()).resolves.toEqual(['收入超标', fmt(income.inForce), fmt(income.draft), `−${fmt(between.length)}`]);

    // 转为符合条件: the households the draft passes, each with its income against both lines.
    await p.getByText('转为符合条件', { exact: true }).click();
    await p.waitForURL(/list=newly_passing/);
    const passing = await api<{ total: number; items: Change[] }>(`/api/simulations/${sim.id}/households?change=newly_passing&page=1&pageSize=10`);
    expect(passing.total).toBeGreaterThan(0);
    await p.getByText(`共 ${fmt(passing.total)} 户`).waitFor();
    const first = passing.items[0];
    expect(between).toContain(first.householdCode);
    const d = first.decided.find((x) => x.rule === 'INCOME_OVER')!;
    const value = d.values.incomePerCapita!;
    expect(value).toBeGreaterThan(48_000);
    expect(value).toBeLessThanOrEqual(LINE);
    const row = p.locator('.ant-table-row').filter({ has: p.getByRole('link', { name: first.householdCode }) });
    await row.getByText(`人均收入 ${yuan(value)}：现行标准 48,000 元（超标），草案标准 52,000 元（不超标）`).waitFor();
    // The picture: the comparison (收入超标) above the households that pass.
    await settle(p);
    await p.mouse.wheel(0, 390);
    await p.waitForTimeout(300);
    await screenshot(p, 'simulation', { docs: true });
    // 导出 CSV: the service's 政策模拟测算逐户变化表 with the list's filters.
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: '导出 CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`模拟测算${sim.id}逐户变化.csv`);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv[0]).toBe('序号,家庭编号,所属镇街,项目编号,变化,现行政策下的问题,草案下的问题,决定结果的数值与标准');
    expect(csv.length).toBe(1 + passing.total);
    expect(csv.find((l) => l.includes(`,${first.householdCode},`))).toContain(`转为符合条件,收入超标,,"收入超标：人均收入 ${yuan(value)}：现行标准 48,000 元（超标），草案标准 52,000 元（不超标）"`);
    // The code opens 一户一档.
    await row.getByRole('link', { name: first.householdCode }).click();
    await p.waitForURL(new RegExp(`/households/${first.householdCode}`));
    await p.goBack();
    await ruleRow(p, 'INCOME_OVER').waitFor();
  });

  it('an admin sweeps the income line and sees the curve', async () => {
    const p = b.page;
    await p.getByRole('tab', { name: '参数扫描' }).click();
    await p.waitForURL(/view=sweep/);
    await p.getByLabel('从', { exact: true }).fill('40000');
    await p.getByLabel('到', { exact: true }).fill('60000');
    await p.getByLabel('步长').fill('2000');
    await p.getByRole('button', { name: '运行扫描' }).click();
    await p.waitForURL(/sweep=\d+/);
    const chart = p.getByRole('img', { name: /参数扫描/ });
    await chart.locator('canvas').waitFor({ timeout: 120_000 });
    const sweep = await latest('sweep');
    expect(sweep.status).toBe('completed');
    expect(sweep.sweep!.points.map((x) => x.value)).toEqual([40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60].map((k) => k * 1000));
    // A higher line fails no more households.
    const failing = sweep.sweep!.points.map((x) => x.failing);
    for (let i = 1; i < failing.length; i++) expect(failing[i]).toBeLessThanOrEqual(failing[i - 1]);
    expect(failing[0]).toBeGreaterThan(failing[failing.length - 1]);
    const box = await chart.boundingBox();
    expect(box!.height).toBeGreaterThan(300);
    await chart.scrollIntoViewIfNeeded();
    await settle(p);
    await screenshot(p, 'simulation-sweep', { docs: true });
    await signOut(p);
  });

  it('a viewer reads the drafts and results without 新建, 运行 or 采纳', async () => {
    const p = b.page;
    await signInAs(p, url, 'wang.viewer', true);
    await openSimulation(p);
    await p.getByRole('link', { name: '收入线调整至 52,000 元' }).or(p.getByText('收入线调整至 52,000 元').first()).first().waitFor();
    await ruleRow(p, 'INCOME_OVER').waitFor({ timeout: 30_000 });
    for (const name of ['新建草案', '运行测算', '采纳', '修改草案', '运行扫描']) expect(await button(p, name).count()).toBe(0);
    await p.getByRole('tab', { name: '参数扫描' }).click();
    await p.getByRole('img', { name: /参数扫描/ }).locator('canvas').waitFor();
    expect(await button(p, '运行扫描').count()).toBe(0);
    await signOut(p);
  });

  it('an admin adopts the draft after a confirmation; it becomes a version and can no longer change', async () => {
    const p = b.page;
    await signInAs(p, url, 'li.admin', false);
    await openSimulation(p);
    await button(p, '采纳').click();
    const modal = p.locator('.ant-modal').filter({ hasText: '采纳草案' });
    await modal.getByLabel('政策版本号').fill('2027 新版');
    await modal.getByRole('button', { name: /采\s*纳/ }).click();
    await modal.getByText('只能含字母、数字、_ . -，最多 60 个字符').waitFor();
    await modal.getByLabel('政策版本号').fill('2027.1');
    await modal.getByLabel('生效日期').fill('2027-01-01');
    await modal.getByLabel('生效日期').press('Enter');
    await modal.getByRole('button', { name: /采\s*纳/ }).click();
    await p.locator('.ant-modal-confirm-title').getByText('确认采纳草案？').waitFor();
    await p.getByRole('button', { name: '确认采纳' }).click();
    await p.getByText('已采纳为 2027.1').first().waitFor();
    expect(await button(p, '修改草案').count()).toBe(0);
    const versions = await api<{ version: string; effectiveFrom: string }[]>('/api/policies');
    expect(versions).toContainEqual(expect.objectContaining({ version: '2027.1', effectiveFrom: '2027-01-01' }));
  });

  it('登记送达 of the 退出认定告知书 on a notified case moves its contest deadline', async () => {
    // A case confirmed yesterday (the service's clock), served today: the window runs from today.
    const open = await api<{ items: CaseItem[] }>('/api/cases?queue=open&pageSize=50');
    const k = open.items.find((c) => c.kind === 'exit' && !c.rules.some((r) => r === 'SUBLET' || r === 'VACANT'))!;
    setClock(new Date(Date.now() - 86_400_000));
    await api(`/api/cases/${k.id}/actions/confirm`, { method: 'POST', body: { reason: '核查属实' } });
    setClock(null);
    const before = await api<{ status: string; confirmedAt: string; contestDeadline: string }>(`/api/cases/${k.id}`);
    expect(before.status).toBe('notified');
    const moved = addDays(before.contestDeadline, 1);

    const p = b.page;
    await b.context.clearCookies();
    await signInAs(p, url, 'li.admin', false);
    await p.goto(`${url}/cases?case=${k.id}`);
    const drawer = p.locator('.ant-drawer');
    await drawer.locator('tr').filter({ hasText: '申辩期限' }).getByText(before.contestDeadline).waitFor();
    await drawer.locator('tr').filter({ hasText: '告知书送达' }).getByText('未登记').first().waitFor();
    await drawer.getByRole('button', { name: '登记送达' }).click();
    const modal = p.locator('.ant-modal');
    await pickOption(p, modal.getByLabel('送达文书'), '退出认定告知书');
    await pickOption(p, modal.getByLabel('送达方式'), '邮寄送达');
    await modal.getByLabel('送达日期').click();
    await p.locator('.ant-picker-dropdown').getByText('今天').click();
    await modal.getByRole('button', { name: /提\s*交/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await drawer.locator('tr').filter({ hasText: '申辩期限' }).getByText(moved).waitFor();
    const after = await api<{ contestDeadline: string; service: { determination: { servedOn: string; method: string } | null } }>(`/api/cases/${k.id}`);
    expect(after.contestDeadline).toBe(moved);
    await drawer.locator('tr').filter({ hasText: '告知书送达' }).getByText(`${after.service.determination!.servedOn}（邮寄送达）`).waitFor();
    await drawer.getByText('登记送达', { exact: true }).first().waitFor();
    expect(await drawer.locator('.ant-timeline').getByText('登记送达', { exact: true }).count()).toBe(1);
    await settle(p);
    await screenshot(p, 'case-service');
  });
});
