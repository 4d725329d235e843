import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { QueueService } from '../../jobs/queue.service';
import { cliActor } from '../../src/auth/actor';
import { makeIdNo } from '../../src/common/identity';
import { FindingsService } from '../../src/eligibility/findings.service';
import { RegistryImportService } from '../../src/registry/registry-import.service';
import { SourcesService } from '../../src/sources/sources.service';
import { recomputeAndWait } from '../support/city';
import { tempDir, writeCsv } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Impossible values from a department (issue 9, item 8): a negative building area must not cancel
 * a real housing finding, and a version dated 2099 must not block every later correction.
 */
describe('implausible department values are rejected, real findings stay', () => {
  let t: TestApp;
  let drop: string;
  const tenant = makeIdNo('350581', '19700505', 55);
  const asOf = new Date().toISOString().slice(0, 10);
  const headers = ['记录编号', '操作', '更新时间', '权利人身份证号', '权利人', '不动产权证号', '坐落', '行政区划代码', '用途', '建筑面积', '共有份额', '登记日期', '取得方式', '状态', '注销日期'];
  const home = (id: string, updatedAt: string, area: string, over: { share?: string; acquired?: string; status?: string } = {}) => [
    id, '', updatedAt, tenant, '林一', `C-${id}`, '石狮市湖滨街道某路1号', '350581', '住宅', area, over.share ?? '', over.acquired ?? '2019-06-30', '购买', over.status ?? 'valid', '',
  ];

  beforeAll(async () => {
    drop = tempDir('implausible-drop');
    mkdirSync(join(drop, 'property'));
    t = await startTestApp('implausible', { APP_ROLE: 'all', FEED_DROP_DIR: drop }, { listen: false });
    const ledger = tempDir('implausible-ledger');
    writeCsv(join(ledger, 'projects.csv'), [['项目编号', '项目名称', '行政区划代码', '所属镇街', '管理方式'], ['IP1', '测试项目', '350581', '湖滨街道', '市直管']]);
    writeCsv(join(ledger, 'units.csv'), [
      ['房源编号', '项目编号', '楼栋', '房号', '标准地址编码', '房屋坐落', '建筑面积', '居室数', '月租金'],
      ['IU1', 'IP1', '1幢', '101', 'IA1', '石狮市湖滨街道测试路1号1幢101室', '45', '2', '300'],
    ]);
    writeCsv(join(ledger, 'households.csv'), [
      ['家庭编号', '保障状态', '保障类别', '房源编号', '租赁起始', '租赁截止', '轮候登记日期'],
      ['IH1', '在保', '低保', 'IU1', '2020-01-01', '', ''],
    ]);
    writeCsv(join(ledger, 'members.csv'), [['家庭编号', '身份证号', '姓名', '与承租人关系'], ['IH1', tenant, '林一', '承租人']]);
    const report = await t.app.get(RegistryImportService).importDirectory(ledger, cliActor());
    for (const f of report.files) expect({ file: f.file, rejected: f.rejected, error: f.error }).toEqual({ file: f.file, rejected: 0, error: undefined });
  });
  afterAll(() => t.close());

  it('rejects a negative area, a share over 100, a 1850 date and a 2099 updatedAt with their reasons; the housing finding stays', async () => {
    writeCsv(join(drop, 'property', 'p1.csv'), [
      headers,
      home('BDC1', '2026-10-01T10:00:00+08:00', '120'),
      // Would cancel the finding: 120 - 110 = 10 m² for one person.
      home('BDC2', '2026-10-01T10:00:00+08:00', '-110'),
      home('BDC3', '2026-10-01T10:00:00+08:00', '50', { share: '150' }),
      home('BDC4', '2026-10-01T10:00:00+08:00', '50', { acquired: '1850-01-01' }),
      // A "correction" from the future would win over every later version (later updatedAt wins).
      home('BDC1', '2099-01-01T00:00:00+08:00', '120', { status: 'cancelled' }),
    ]);
    const sources = t.app.get(SourcesService);
    const [job] = await sources.trigger(['property'], { mode: 'incremental', trigger: 'test', requestKey: 'implausible-1' });
    const run = await sources.waitFor(job);
    expect(run).toMatchObject({ status: 'succeeded', received: 5, inserted: 1, rejected: 4 });
    const rej = await sources.rejections('property', { page: 1, pageSize: 10, runId: run.runId });
    const year = new Date().getUTCFullYear() + 100;
    expect(rej.items.map((i) => `${i.recordId} ${i.reason}`).sort()).toEqual([
      '建筑面积: 不能为负数: -110',
      '共有份额: 数值超出范围 0-100: 150',
      `登记日期: 日期超出合理范围（1900-01-01 至 ${year}-12-31）: 1850-01-01`,
      '更新时间: 晚于当前时间（允许的时钟偏差为10分钟）: 2098-12-31T16:00:00.000Z',
    ].map((r, i) => `${['BDC2', 'BDC3', 'BDC4', 'BDC1'][i]} ${r}`).sort());

    const result = await recomputeAndWait(t.app.get(QueueService), { asOf, full: true, trigger: 'test', requestKey: 'implausible' });
    expect(result.mode).toBe('full');
    const { items } = await t.app.get(FindingsService).householdsWithFindings(asOf);
    expect(items.find((i) => i.householdCode === 'IH1')?.rules).toContain('HOUSING_AREA');
  });
});
