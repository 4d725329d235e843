import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import type { Download, Page } from 'playwright-core';
import { QueueService } from '../../jobs/queue.service';
import { drainQueues } from '../support/lifecycle';
import type { TestApp } from '../support/test-app';
import { launchBrowser, pickOption, saveDownload, screenshot, signInAs as signInTo, signOut, type Browser } from './support/browser';
import { adminApi, createUser, startConsoleWithCity } from './support/console-app';

interface CaseItem {
  id: string;
  householdCode: string;
  kind: string;
  town: string | null;
  rules: string[];
}
interface Attachment {
  id: string;
  size: number;
  withdrawn: boolean;
  withdrawReason: string | null;
}
interface FindingsPage {
  total: number;
  items: { householdCode: string; rule: string; score: number | null; declared: boolean | null }[];
}

/** A PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid w×h RGB PNG (a red square), built here so that the test depends on no fixture file. */
function png(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, deflate, no filter, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, Buffer.from([200, 30, 30]))]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const fmt = (n: number) => new Intl.NumberFormat('zh-CN').format(n);
/** bytes() of web/src/common/bytes.ts. */
const size = (n: number) => (n < 1024 ? `${n} 字节` : `${new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }).format(n / 1024)} KB`);

jest.setTimeout(180_000);

describe('console 文书 and 附件 with a generated city: a notice after 退出认定, its audited download, evidence upload and withdrawal, 批量打印 (browser)', () => {
  let t: TestApp;
  let b: Browser;
  let url: string;
  let k: CaseItem;
  const api = <T>(path: string, init?: { method: string; body: unknown }) => adminApi<T>(t, path, init);
  const drawer = (p: Page) => p.locator('.ant-drawer');
  const modal = (p: Page) => p.locator('.ant-modal').last();

  const signInAs = (p: Page, username: string, first: boolean) => signInTo(p, url, username, first);
  /** No modal or toast left on the screen (before a screenshot). */
  async function settled(p: Page): Promise<void> {
    await p.locator('.ant-modal').first().waitFor({ state: 'hidden' });
    await p.locator('.ant-message-notice').first().waitFor({ state: 'hidden', timeout: 10_000 });
  }
  /** Fills the 用途 modal and confirms: resolves with the browser's download. */
  async function downloadWithPurpose(p: Page, purpose: string): Promise<Download> {
    await modal(p).getByLabel('用途').fill(purpose);
    const [download] = await Promise.all([p.waitForEvent('download'), modal(p).getByRole('button', { name: /下\s*载/ }).click()]);
    return download;
  }
  const bytesOf = async (download: Download) => readFileSync(await saveDownload(download));

  beforeAll(async () => {
    ({ t, url } = await startConsoleWithCity('browser_documents', { households: 120, seed: 11 }, { load: 'sync' }));
    const open = await api<{ items: CaseItem[] }>('/api/cases?queue=open&pageSize=50');
    // A case that may be confirmed without an inspection first (转租转借 and 空置 need one).
    k = open.items.find((c) => c.kind === 'exit' && c.town && !c.rules.some((r) => r === 'SUBLET' || r === 'VACANT'))!;
    expect(k).toBeDefined();
    await createUser(t, { username: 'sun.reviewer', role: 'reviewer', displayName: '孙复核' });
    await createUser(t, { username: 'zhou.auditor', role: 'auditor', displayName: '周审计' });
    await createUser(t, { username: 'wu.admin', role: 'admin', displayName: '吴管理' });
    b = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('a reviewer confirms a case by clicking; the 退出认定告知书 appears in the drawer and downloads as DOCX with a purpose', async () => {
    const p = b.page;
    await signInAs(p, 'sun.reviewer', true);
    await p.goto(`${url}/cases?queue=open&case=${k.id}`);
    await drawer(p).getByText('办理过程').waitFor();
    // Before the confirmation: no notice yet.
    await drawer(p).getByText('尚未生成文书（认定、下达通知、催告等步骤会自动生成）').waitFor();
    await drawer(p).getByRole('button', { name: '退出认定', exact: true }).click();
    await modal(p).getByLabel('认定理由').fill('问题属实，予以认定');
    await modal(p).getByRole('button', { name: /提\s*交/ }).click();
    await drawer(p).locator('.ant-descriptions').getByText('已认定待申辩期满').waitFor();
    // The notice is written by a queued job: the list polls until it is there.
    const row = drawer(p).locator('.ant-table-row').filter({ hasText: '退出认定告知书' });
    await row.waitFor({ timeout: 60_000 });
    const docs = await api<{ items: { id: string; number: string; sha256: string; templateVersion: number }[] }>(`/api/cases/${k.id}/documents`);
    expect(docs.items).toHaveLength(1);
    await row.getByText(docs.items[0].number).waitFor();
    await row.getByText(`${docs.items[0].sha256.slice(0, 8)}…`).waitFor();
    await row.getByText(docs.items[0].templateVersion === 0 ? '默认模板' : `第 ${docs.items[0].templateVersion} 版`).waitFor();

    // DOCX: the purpose is asked first and checked like the service checks it.
    await row.getByRole('button', { name: '下载 退出认定告知书 DOCX' }).click();
    await modal(p).getByText('文书含承租人完整身份证号').waitFor();
    await modal(p).getByRole('button', { name: /下\s*载/ }).click();
    await p.locator('.ant-form-item-explain-error').getByText('请说明用途').waitFor();
    const download = await downloadWithPurpose(p, '打印送达承租人');
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const docx = await bytesOf(download);
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    await modal(p).waitFor({ state: 'hidden' });

    // Scroll the drawer to its 文书 section for the screenshot.
    await settled(p);
    await drawer(p).getByRole('heading', { name: '文书', exact: true }).scrollIntoViewIfNeeded();
    await screenshot(p, 'case-documents', { docs: true });
  });

  it('the reviewer uploads a PNG as inspection evidence (a fake one is refused with its reason) and withdraws it with a reason', async () => {
    const p = b.page;
    const image = png(24, 16);
    await drawer(p).getByRole('button', { name: '上传附件' }).click();
    await modal(p).getByText('附件类别').waitFor();
    // A text file named .png: the service reads the content and refuses it by name.
    await modal(p).locator('input[type=file]').setInputFiles({ name: '伪装.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') });
    await modal(p).getByRole('button', { name: /上\s*传/ }).click();
    await modal(p).getByText('「伪装.png」的内容不是 JPEG、PNG 或 PDF（按文件内容识别，不看扩展名）').waitFor();
    expect((await api<{ items: Attachment[] }>(`/api/cases/${k.id}/attachments`)).items).toHaveLength(0);
    // Replace it with a real PNG.
    await modal(p).locator('.ant-upload-list-item').filter({ hasText: '伪装.png' }).hover();
    await modal(p).locator('.ant-upload-list-item').filter({ hasText: '伪装.png' }).getByRole('button', { name: /删除|remove|delete/i }).click();
    await modal(p).locator('input[type=file]').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: image });
    await modal(p).getByLabel('说明').fill('入户核查现场照片');
    await modal(p).getByRole('button', { name: /上\s*传/ }).click();
    await modal(p).waitFor({ state: 'hidden' });
    const row = drawer(p).locator('.ant-table-row').filter({ hasText: '入户核查现场照片' });
    await row.getByText('核查取证').waitFor();
    await row.getByText('PNG 图片').waitFor();
    await row.getByText(size(image.length), { exact: true }).waitFor();
    const [uploaded] = (await api<{ items: Attachment[] }>(`/api/cases/${k.id}/attachments`)).items;
    expect(uploaded.size).toBe(image.length);
    await drawer(p).locator('.ant-timeline').getByText('上传附件').first().waitFor();

    // 查看 opens the image in a new tab (a blob of the audited download).
    const [tab] = await Promise.all([p.context().waitForEvent('page'), row.getByRole('button', { name: '查看' }).click()]);
    await tab.waitForURL(/^blob:/);
    await tab.close();

    // 撤回: the reason is required; the row stays, marked.
    await row.getByRole('button', { name: '撤回' }).click();
    await modal(p).getByRole('button', { name: /撤\s*回/ }).click();
    await p.locator('.ant-form-item-explain-error').getByText('请填写撤回原因').waitFor();
    await modal(p).getByLabel('撤回原因').fill('照片拍错了房屋');
    await modal(p).getByRole('button', { name: /撤\s*回/ }).click();
    await modal(p).waitFor({ state: 'hidden' });
    await row.getByText('已撤回').waitFor();
    await row.getByText(/撤回：照片拍错了房屋/).waitFor();
    expect(await row.getByRole('button', { name: '撤回' }).count()).toBe(0);
    await drawer(p).locator('.ant-timeline').getByText('撤回附件').first().waitFor();
    const [withdrawn] = (await api<{ items: Attachment[] }>(`/api/cases/${k.id}/attachments`)).items;
    expect(withdrawn).toMatchObject({ id: uploaded.id, withdrawn: true, withdrawReason: '照片拍错了房屋' });
    await settled(p);
    await drawer(p).getByRole('heading', { name: '附件', exact: true }).scrollIntoViewIfNeeded();
    await screenshot(p, 'case-attachments', { docs: true });
    await drawer(p).locator('.ant-drawer-close').click();
    await drawer(p).waitFor({ state: 'hidden' });
  });

  it('批量打印: the 退出认定告知书 of the confirmed cases as one ZIP, with progress and a purpose', async () => {
    const p = b.page;
    // A second confirmed case (over the API), so that the ZIP holds more than one notice.
    const open = await api<{ items: CaseItem[] }>('/api/cases?queue=open&pageSize=50');
    const k2 = open.items.find((c) => c.id !== k.id && c.kind === 'exit' && !c.rules.some((r) => r === 'SUBLET' || r === 'VACANT'))!;
    await api(`/api/cases/${k2.id}/actions/confirm`, { method: 'POST', body: { reason: '问题属实' } });
    await drainQueues(t.app.get(QueueService));
    expect((await api<{ items: unknown[] }>(`/api/cases/${k2.id}/documents`)).items).toHaveLength(1);
    const confirmed = await api<{ total: number }>('/api/cases?status=notified&pageSize=1');
    expect(confirmed.total).toBe(2);
    await p.getByRole('button', { name: '批量打印' }).click();
    await pickOption(p, modal(p).getByLabel('案件状态'), '已认定待申辩期满');
    await modal(p).getByText('退出认定告知书').waitFor();
    await modal(p).getByRole('button', { name: /生\s*成/ }).click();
    await modal(p).getByText('退出认定告知书：已生成').waitFor({ timeout: 60_000 });
    await modal(p).getByText(`${fmt(confirmed.total)} / ${fmt(confirmed.total)}`).waitFor();
    await modal(p).getByText(`共 ${fmt(confirmed.total)} 份`, { exact: false }).waitFor();
    // The bar's width moves with a transition: let it finish before the screenshot.
    await modal(p).locator('.ant-progress-status-success').waitFor();
    await p.waitForTimeout(600);
    await screenshot(p, 'case-batch-print', { docs: true });
    await modal(p).getByRole('button', { name: /下载 ZIP/ }).click();
    const download = await downloadWithPurpose(p, '批量打印送达');
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const zip = await bytesOf(download);
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    await p.locator('.ant-modal').filter({ hasText: '下载批量文书' }).waitFor({ state: 'hidden' });
    await modal(p).locator('.ant-modal-footer').getByRole('button', { name: /关\s*闭/ }).click();
    await p.locator('.ant-modal').first().waitFor({ state: 'hidden' });
  });

  it('核查结果 sorted by score and filtered 瞒报 in the URL; 一户一档 shows 历次核查 and the case’s notices and attachments; the funnel links to its cases', async () => {
    const p = b.page;
    await p.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '核查结果' }).click();
    await p.waitForURL(`${url}/findings`);
    await pickOption(p, p.getByLabel('申报情况'), '瞒报');
    await p.waitForURL(/declared=false/);
    await pickOption(p, p.getByLabel('排序'), '按评分高低');
    await p.waitForURL(/sort=score/);
    const expected = await api<FindingsPage>('/api/findings?declared=false&sort=score&pageSize=20');
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.items.every((f) => f.declared === false)).toBe(true);
    await p.getByText(`共 ${fmt(expected.total)} 条`).waitFor();
    // The previous page stays on screen until the sorted one has come.
    await p.locator('.ant-table-row').first().locator('td:nth-child(2)').getByText(expected.items[0].householdCode, { exact: true }).waitFor();
    await p.locator('.ant-spin-blur').waitFor({ state: 'detached' });
    const firstCodes = await p.locator('.ant-table-row td:nth-child(2)').allInnerTexts();
    expect(firstCodes.map((s) => s.trim())).toEqual(expected.items.map((f) => f.householdCode));
    expect(await p.locator('.ant-table-row').filter({ hasText: '瞒报' }).count()).toBe(expected.items.length);
    await p.locator('.ant-message-notice').first().waitFor({ state: 'hidden', timeout: 10_000 });
    await screenshot(p, 'findings-sorted', { docs: true });

    await p.goto(`${url}/households/${k.householdCode}`);
    const history = await api<{ runId: string; rules: string[] }[]>(`/api/households/${k.householdCode}/history`);
    expect(history.length).toBeGreaterThan(0);
    const card = p.locator('.ant-card').filter({ has: p.getByText('历次核查', { exact: true }) });
    await card.getByRole('link', { name: `#${history[0].runId}` }).waitFor();
    expect(await card.locator('.ant-table-row').count()).toBe(Math.min(5, history.length));
    const caseCard = p.locator('.ant-card').filter({ has: p.locator('.ant-card-head-title', { hasText: /^案件$/ }) });
    await caseCard.getByText('退出认定告知书').waitFor();
    await caseCard.getByText('已撤回').waitFor();
    expect(await caseCard.getByRole('button', { name: '上传附件' }).count()).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await screenshot(p, 'household-history', { docs: true });

    // 工作台: 已认定 links to the cases that reached that stage; the tag removes the filter.
    await p.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '工作台' }).click();
    const stage = await api<{ total: number }>('/api/cases?stage=confirmed&pageSize=1');
    await p.getByRole('link', { name: `已认定 ${fmt(stage.total)} 件` }).click();
    await p.waitForURL(/\/cases\?stage=confirmed/);
    await p.getByText('工作台：已认定').waitFor();
    await p.getByText(`共 ${fmt(stage.total)} 件`).waitFor();
    await p.locator('.ant-tag').filter({ hasText: '工作台：已认定' }).locator('.ant-tag-close-icon').click();
    await p.waitForURL((u) => !u.search.includes('stage='));
    await signOut(p);
  });

  it('an auditor finds the notice’s download in the 审计日志 with its purpose', async () => {
    const p = b.page;
    await signInAs(p, 'zhou.auditor', true);
    await p.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '审计日志' }).click();
    await p.waitForURL(/\/audit/);
    // The reviewer's entries, by the actions' Chinese names (the filter lives in the URL).
    for (const [action, name, purpose] of [
      ['document.download', '下载文书', '打印送达承租人'],
      ['document.batch_download', '下载批量文书', '批量打印送达'],
      ['attachment.withdraw', '撤回附件', null],
    ] as const) {
      await p.goto(`${url}/audit?action=${action}`);
      const row = p.locator('.ant-table-row').filter({ hasText: name }).filter({ hasText: /sun\.reviewer|孙复核/ }).first();
      await row.waitFor();
      if (purpose) await row.getByText(purpose).waitFor();
      if (action === 'document.download') await screenshot(p, 'audit-documents');
    }
    await signOut(p);
  });

  it('an admin sees the notices’ templates under 政策 → 文书模板 and uploads a new version (a broken file is refused with its reason)', async () => {
    const p = b.page;
    await signInAs(p, 'wu.admin', true);
    await p.goto(`${url}/policies?tab=templates`);
    const table = p.locator('.ant-table').first();
    await table.locator('.ant-table-row').filter({ hasText: '退出认定告知书' }).getByText('使用中').waitFor();
    expect(await table.getByText('使用中').count()).toBe(4);
    // Not a DOCX: the service's reason is shown.
    await p.locator('input[type=file]').setInputFiles({ name: '告知书.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: Buffer.from('plain text') });
    await p.getByRole('button', { name: /^上\s*传$/ }).click();
    await p.locator('.ant-alert').getByText('模板无效').waitFor();
    expect((await api<{ items: unknown[] }>('/api/templates')).items).toHaveLength(0);
    // The built-in template is valid as it is: uploaded, it becomes version 1 and in use.
    const res = await fetch(`${url}/api/templates/defaults/exit_determination`, { headers: { Authorization: `Bearer ${t.tokens.admin}` } });
    const docx = Buffer.from(await res.arrayBuffer());
    await p.locator('input[type=file]').setInputFiles({ name: '退出认定告知书（本局）.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: docx });
    await p.getByRole('button', { name: /^上\s*传$/ }).click();
    const row = table.locator('.ant-table-row').filter({ hasText: '退出认定告知书（本局）.docx' });
    await row.getByText('第 1 版').waitFor();
    await row.getByText('使用中').waitFor();
    expect(await table.getByText('使用中').count()).toBe(4);
    await p.locator('.ant-message-notice').first().waitFor({ state: 'hidden', timeout: 10_000 });
    await screenshot(p, 'policy-templates', { docs: true });
    await signOut(p);
  });
});
