import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { CasesService } from '../../src/cases/cases.service';
import { addDays } from '../../src/common/dates';
import type { TestApp } from '../support/test-app';
import { launchBrowser, pickOption, saveDownload, screenshot, signInAs as signInTo, signOut as signOutOf, type Browser } from './support/browser';
import { adminApi, createUser, startConsoleWithCity } from './support/console-app';

/** The 16 columns of the 应退未退整改情况表 (policy.md section D), as test/e2e/cases-api.spec.ts has them. */
const SECTION_D = ['序号', '项目名称', '房屋坐落', '承租人', '身份证号', '家庭人数', '退出性质', '退出原因', '认定日期', '通知日期', '应退日期', '逾期天数', '是否主动申报', '整改措施', '整改进展', '备注'];

interface CaseItem {
  id: string;
  householdCode: string;
  kind: string;
  nature: string | null;
  town: string | null;
  projectCode: string;
  rules: string[];
}
interface CaseDetail {
  status: string;
  contestDeadline: string | null;
  deadline: string | null;
  measures: { measure: string; progress: string | null }[];
  timeline: { action: string; actor: string }[];
}

jest.setTimeout(180_000);

const fmt = (n: number) => new Intl.NumberFormat('zh-CN').format(n);

describe('console 案件 and 应退未退 with a generated city: a case from 待核实 to 应退未退 by clicking (browser)', () => {
  let t: TestApp;
  let b: Browser;
  let url: string;
  let k: CaseItem;
  /** A second case, without 转租转借/空置 (which need an inspection first), for the four-eyes rule. */
  let k2: CaseItem;
  const api = <T>(path: string) => adminApi<T>(t, path);
  const detail = () => api<CaseDetail>(`/api/cases/${k.id}`);

  /** Signs in (a first sign-in changes the password) and lands on 工作台. */
  const signInAs = (p: Page, username: string, first: boolean) => signInTo(p, url, username, first);
  async function signOut(p: Page): Promise<void> {
    if (await drawer(p).isVisible()) await closeDrawer(p);
    await signOutOf(p);
  }
  /** 案件 → a queue → the case's row: opens the drawer. */
  async function openFromQueue(p: Page, queue: string, id = k.id): Promise<void> {
    await p.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '案件' }).click();
    await p.waitForURL(/\/cases/);
    await p.locator('[aria-label="案件队列"]').getByText(queue, { exact: true }).click();
    await p.getByRole('button', { name: `#${id}`, exact: true }).click();
    await p.getByText(`案件 #${id}`).waitFor();
  }
  /** Submits the open modal form; unless a refusal is expected, waits until it has closed (a next modal is then the only one). */
  async function submitModal(p: Page, outcome: 'done' | 'refused' = 'done'): Promise<void> {
    await p.locator('.ant-modal').getByRole('button', { name: /提\s*交/ }).click();
    if (outcome === 'done') await p.locator('.ant-modal').waitFor({ state: 'hidden' });
  }
  const drawer = (p: Page) => p.locator('.ant-drawer');
  /** No modal or toast left on the screen (before a screenshot). */
  async function settled(p: Page): Promise<void> {
    await p.locator('.ant-modal').waitFor({ state: 'hidden' });
    await p.locator('.ant-message-notice').first().waitFor({ state: 'hidden', timeout: 10_000 });
  }
  async function closeDrawer(p: Page): Promise<void> {
    await drawer(p).getByRole('button', { name: 'Close' }).or(drawer(p).locator('.ant-drawer-close')).first().click();
    await drawer(p).waitFor({ state: 'hidden' });
  }

  beforeAll(async () => {
    ({ t, url } = await startConsoleWithCity('browser_cases', { households: 120, seed: 11 }, { load: 'sync' }));
    const open = await api<{ items: CaseItem[] }>('/api/cases?queue=open&pageSize=20');
    const exit = open.items.filter((c) => c.kind === 'exit' && c.town && c.nature);
    expect(exit.length).toBeGreaterThan(1);
    k = exit[0];
    k2 = exit.find((c) => c !== k && !c.rules.some((r) => r === 'SUBLET' || r === 'VACANT'))!;
    expect(k2).toBeDefined();
    await createUser(t, { username: 'li.reviewer', role: 'reviewer', displayName: '李复核' });
    await createUser(t, { username: 'zhao.inspector', role: 'inspector', displayName: '赵核查', towns: [k.town!] });
    await createUser(t, { username: 'qian.reviewer', role: 'reviewer', displayName: '钱复核' });
    b = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('a reviewer sees the queues with their counts and orders an inspection of a case from 待核实', async () => {
    const p = b.page;
    await signInAs(p, 'li.reviewer', true);
    await p.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '案件' }).click();
    await p.waitForURL(`${url}/cases`);
    const queues = await api<{ key: string; label: string; count: number }[]>('/api/cases/queues');
    const menu = p.locator('[aria-label="案件队列"]');
    for (const q of queues) {
      await expect(menu.getByRole('menuitem').filter({ hasText: q.label }).first().locator('.ant-badge').innerText()).resolves.toBe(fmt(q.count));
    }
    await menu.getByText('待核实', { exact: true }).click();
    await p.waitForURL(/queue=open/);
    const open = queues.find((q) => q.key === 'open')!;
    await p.getByText(`共 ${fmt(open.count)} 件`).waitFor();
    await p.getByRole('link', { name: k.householdCode }).first().waitFor();
    // A fresh load: the 密码已修改 toast is gone from the screenshot, and the queue stays in the URL.
    await p.reload();
    await p.getByRole('link', { name: k.householdCode }).first().waitFor();
    await screenshot(p, 'cases', { docs: true });
    // The row opens the case in a drawer; the reviewer may order an inspection, not record one.
    await p.getByRole('button', { name: `#${k.id}`, exact: true }).click();
    await drawer(p).getByText('办理过程').waitFor();
    await drawer(p).getByText('立案').first().waitFor();
    expect(await drawer(p).getByRole('button', { name: '登记核查结果' }).count()).toBe(0);
    await drawer(p).getByRole('button', { name: '安排入户核查' }).click();
    await p.locator('.ant-modal').getByLabel('说明').fill('疑似转租，请入户核实');
    await submitModal(p);
    await drawer(p).locator('.ant-descriptions').getByText('入户核查中').waitFor();
    await drawer(p).getByText('疑似转租，请入户核实').waitFor();
    await expect(detail().then((d) => d.status)).resolves.toBe('inspection');
    // 指派: the inspection goes to the town's inspector (their 我的待办).
    await drawer(p).getByRole('button', { name: /指\s*派/ }).click();
    await pickOption(p, p.locator('.ant-modal').getByLabel('指派给'), '赵核查');
    await p.locator('.ant-modal').getByRole('button', { name: /确\s*定/ }).click();
    await p.locator('.ant-modal').waitFor({ state: 'hidden' });
    await drawer(p).locator('tr').filter({ hasText: '指派给' }).getByText('赵核查').waitFor();
    await drawer(p).getByText('指派', { exact: true }).first().waitFor();
    // The queue counts followed (the list and the queues were invalidated).
    const after = await api<{ key: string; count: number }[]>('/api/cases/queues');
    await expect(menu.getByRole('menuitem').filter({ hasText: '待入户核查' }).locator('.ant-badge').innerText()).resolves.toBe(fmt(after.find((q) => q.key === 'inspection')!.count));
    await signOut(p);
  });

  it('a town-scoped inspector records the inspection by clicking, and is offered no 退出认定', async () => {
    const p = b.page;
    await signInAs(p, 'zhao.inspector', true);
    await openFromQueue(p, '我的待办');
    await drawer(p).getByRole('button', { name: '登记核查结果' }).click();
    // The form checks its fields before anything is sent.
    await submitModal(p, 'refused');
    await p.locator('.ant-form-item-explain-error').getByText('请选择核查结果').waitFor();
    await p.locator('.ant-form-item-explain-error').getByText('请填写核查情况').waitFor();
    await pickOption(p, p.locator('.ant-modal').getByLabel('核查结果'), '核实属实');
    await p.locator('.ant-modal').getByLabel('核查情况').fill('入户核实：实际居住人非承租人家庭成员');
    await submitModal(p);
    await drawer(p).locator('.ant-descriptions').getByText('已核查', { exact: true }).waitFor();
    await drawer(p).getByText('核实属实').waitFor();
    // An inspector never confirms, dismisses or assigns.
    for (const name of ['退出认定', '误报排除', '指派', '安排入户核查']) expect(await drawer(p).getByRole('button', { name, exact: true }).count()).toBe(0);
    await expect(detail().then((d) => d.status)).resolves.toBe('inspected');
    await signOut(p);
  });

  it('the reviewer confirms the case; the four-eyes rule shows the service’s refusal on another case', async () => {
    const p = b.page;
    await signInAs(p, 'li.reviewer', false);
    await openFromQueue(p, '已核查待认定');
    await drawer(p).getByRole('button', { name: '退出认定' }).click();
    await p.locator('.ant-modal').getByLabel('认定理由').fill('核查属实，转租转借');
    await submitModal(p);
    await drawer(p).locator('.ant-descriptions').getByText('已认定待申辩期满').waitFor();
    const d = await detail();
    expect(d.status).toBe('notified');
    await drawer(p).locator('tr').filter({ hasText: '申辩期限' }).getByText(d.contestDeadline!).waitFor();
    await settled(p);
    await screenshot(p, 'case-detail', { docs: true });
    await closeDrawer(p);
    // Four eyes: whoever dismissed a case may not confirm it once reopened. The button is offered;
    // the service refuses and the form shows its reason.
    await openFromQueue(p, '待核实', k2.id);
    await drawer(p).getByRole('button', { name: '误报排除' }).click();
    await p.locator('.ant-modal').getByLabel('误报原因').fill('数据源记录有误');
    await submitModal(p);
    await drawer(p).locator('.ant-descriptions').getByText('已结案').waitFor();
    await drawer(p).getByRole('button', { name: '重新打开' }).click();
    await p.locator('.ant-modal').getByLabel('重新打开的原因').fill('数据源更正后问题仍在');
    await submitModal(p);
    await drawer(p).locator('.ant-descriptions').getByText('待核实').waitFor();
    await drawer(p).getByRole('button', { name: '退出认定' }).click();
    await p.locator('.ant-modal').getByLabel('认定理由').fill('问题属实');
    await submitModal(p, 'refused');
    await p.locator('.ant-modal').getByText('曾作误报排除的人员不能认定同一案件（需另一审核人或管理员）', { exact: true }).waitFor();
    await p.locator('.ant-modal').getByRole('button', { name: /取\s*消/ }).click();
    await p.locator('.ant-modal').waitFor({ state: 'hidden' });
    await expect(api<CaseDetail>(`/api/cases/${k2.id}`).then((c) => c.status)).resolves.toBe('open');
    await closeDrawer(p);
    await signOut(p);
    // Another reviewer may: the second pair of eyes.
    await signInAs(p, 'qian.reviewer', true);
    await openFromQueue(p, '待核实', k2.id);
    await drawer(p).getByRole('button', { name: '退出认定' }).click();
    await p.locator('.ant-modal').getByLabel('认定理由').fill('复核属实');
    await submitModal(p);
    await drawer(p).locator('.ant-descriptions').getByText('已认定待申辩期满').waitFor();
    await closeDrawer(p);
    await signOut(p);
  });

  it('after the contest window the notice is issued, after the deadline the case is 应退未退; the reviewer records a measure and exports the list', async () => {
    const cases = t.app.get(CasesService);
    const notified = await detail();
    // Time moves only through the deadline pass (the service's, as the CLI runs it).
    expect((await cases.deadlines(addDays(notified.contestDeadline!, 1))).noticeCaseIds).toContain(k.id);
    const issued = await detail();
    expect(issued.status).toBe('notice_issued');
    expect((await cases.deadlines(addDays(issued.deadline!, 1))).overdueCaseIds).toContain(k.id);
    expect((await detail()).status).toBe('overdue');

    const p = b.page;
    await signInAs(p, 'li.reviewer', false);
    await p.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '应退未退' }).click();
    await p.waitForURL(`${url}/overdue`);
    const all = await api<{ total: number }>('/api/cases?queue=overdue&pageSize=1');
    await p.getByText(`共 ${fmt(all.total)} 件`).waitFor();
    // The nature filter goes to the URL and to the server.
    const natureLabel = k.nature === 'eligibility' ? '资格不符' : '违规';
    const sameNature = await api<{ total: number }>(`/api/cases?queue=overdue&nature=${k.nature}&pageSize=1`);
    await pickOption(p, p.getByLabel('退出性质'), natureLabel);
    await p.waitForURL(new RegExp(`nature=${k.nature}`));
    await p.getByText(`共 ${fmt(sameNature.total)} 件`).waitFor();
    // The row expands to its measures; 记录整改措施 records one.
    const row = p.locator('.ant-table-row').filter({ has: p.getByRole('button', { name: `#${k.id}`, exact: true }) });
    await row.locator('.ant-table-row-expand-icon').click();
    await p.getByText('尚未登记整改措施').waitFor();
    await p.getByRole('button', { name: '记录整改措施' }).click();
    await pickOption(p, p.locator('.ant-modal').getByLabel('整改措施'), '催告');
    await p.locator('.ant-modal').getByLabel('采取日期').click();
    await p.locator('.ant-picker-dropdown').getByText('今天').click();
    await p.locator('.ant-modal').getByLabel('整改进展').fill('已书面催告，承租人承诺月底前腾退');
    await submitModal(p);
    await p.locator('.ant-table-expanded-row').getByText('已书面催告，承租人承诺月底前腾退').waitFor();
    const measured = await detail();
    expect(measured.measures).toEqual([expect.objectContaining({ measure: '催告', progress: '已书面催告，承租人承诺月底前腾退' })]);
    await settled(p);
    await screenshot(p, 'overdue', { docs: true });

    // 应退未退整改情况表 as XLSX with the page's filters: the browser downloads it with the session.
    await p.getByRole('button', { name: '应退未退整改情况表' }).hover();
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('menuitem', { name: 'Excel（XLSX）' }).click()]);
    expect(download.url()).toContain(`nature=${k.nature}`);
    expect(download.suggestedFilename()).toBe('应退未退整改情况表.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await saveDownload(download));
    const ws = wb.worksheets[0];
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual(SECTION_D);
    expect(ws.actualRowCount).toBe(3 + sameNature.total);
  });
});
