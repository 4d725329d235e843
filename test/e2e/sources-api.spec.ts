import request from 'supertest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeIdNo } from '../../src/common/identity';
import { bodyOf, Page } from '../support/api';
import { tempDir, writeCsv } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';
import { SourcesService } from '../../src/sources/sources.service';

/** A source's status, as far as these tests read it. */
interface SourceStatus {
  source: string;
  lastRun?: { status: string } | null;
  records: { current: number; deleted: number };
}

/** A rejected department record, as GET /api/sources/:source/rejections lists it. */
interface SourceRejection {
  recordId: string;
  location: string;
  reason: string;
  raw: Record<string, unknown>;
}

describe('sources API (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  const auth = (role: keyof TestApp['tokens']) => ({ Authorization: `Bearer ${t.tokens[role]}` });
  const good = makeIdNo('350581', '19850505', 5);
  const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');

  beforeAll(async () => {
    const drop = tempDir('e2e-drop');
    mkdirSync(join(drop, 'vehicle'));
    writeCsv(join(drop, 'vehicle', 'v.csv'), [
      ['记录编号', '操作', '更新时间', '车主身份证号', '车主', '号牌号码', '车辆类型', '使用性质', '初次登记日期', '购置价格', '状态', '注销日期'],
      ['CG1', '', '2026-10-01T10:00:00+08:00', good, '王五', '闽C1', '小型汽车', '非营运', '2024/1/1', '120,000', 'normal', ''],
      ['CG2', '', '2026-10-01T10:00:00+08:00', bad, '赵六', '闽C2', '小型汽车', '非营运', '2024/1/1', '50000', 'normal', ''],
    ], 'gbk');
    t = await startTestApp('sources_api', { APP_ROLE: 'all', FEED_DROP_DIR: drop });
    http = request(t.app.getHttpServer());
  });
  afterAll(() => t.close());

  it('lists every source with its transport; unconfigured ones say so', async () => {
    const r = bodyOf<SourceStatus[]>(await http.get('/api/sources').set(auth('viewer')).expect(200));
    expect(r).toHaveLength(8);
    expect(r.find((s) => s.source === 'vehicle')).toMatchObject({ transport: 'file', label: '公安车管' });
    expect(r.find((s) => s.source === 'property')).toMatchObject({ transport: 'none', status: 'not_configured' });
    await http.get('/api/sources/nope').set(auth('viewer')).expect(404);
  });

  it('triggers a sync (admin only), shows its run, and lists rejected records with masked IDs and names', async () => {
    await http.post('/api/sources/vehicle/sync').set(auth('viewer')).send({}).expect(403);
    await http.post('/api/sources/vehicle/sync').set(auth('admin')).send({ mode: 'sideways' }).expect(400);
    await http.post('/api/sources/property/sync').set(auth('admin')).send({}).expect(409);
    const r = await http.post('/api/sources/vehicle/sync').set(auth('admin')).set('Idempotency-Key', 'e2e-1').send({}).expect(201);
    expect(bodyOf<{ jobs: { id: string }[] }>(r).jobs[0].id).toMatch(/(^|\.)sync\.vehicle\.incremental\.e2e-1$/);
    let status: SourceStatus | undefined;
    for (let i = 0; i < 100; i++) {
      status = bodyOf<SourceStatus>(await http.get('/api/sources/vehicle').set(auth('viewer')).expect(200));
      if (status.lastRun?.status === 'succeeded') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(status!.lastRun).toMatchObject({ status: 'succeeded', received: 2, inserted: 1, rejected: 1, files: 1 });
    expect(status!.records).toEqual({ current: 1, deleted: 0 });
    await http.get('/api/sources/vehicle/rejections').set(auth('viewer')).expect(403);
    const rej = bodyOf<Page<SourceRejection>>(await http.get('/api/sources/vehicle/rejections').set(auth('auditor')).expect(200));
    expect(rej.items[0]).toMatchObject({ recordId: 'CG2', location: 'v.csv:3', reason: '车主身份证号: 身份证号校验位错误' });
    expect(rej.items[0].raw['车主身份证号']).toBe(bad.slice(0, 6) + '********' + bad.slice(-4));
    expect(rej.items[0].raw['车主']).toBe('赵*');
    expect(JSON.stringify(rej)).not.toContain(bad);
  });

  it('shows rejected records with their known columns only: ID numbers masked in any text, unknown columns dropped', async () => {
    const other = makeIdNo('350581', '19900909', 9);
    const fullWidth = [...other].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join('');
    writeCsv(join(t.config.feedDropDir, 'vehicle', 'v2.csv'), [
      ['记录编号', '操作', '更新时间', '车主身份证号', '车主', '号牌号码', '车辆类型', '使用性质', '初次登记日期', '购置价格', '状态', '注销日期', '备注', '联系人'],
      ['CG3', '', '2026-10-01T10:00:00+08:00', good, '王五', `闽C${fullWidth}`, '坦克', '非营运', '2024/1/1', '1', 'normal', '', `代办人 ${other}`, '欧阳锋'],
    ]);
    const [job] = await t.app.get(SourcesService).trigger(['vehicle'], { mode: 'incremental', trigger: 'test', requestKey: 'e2e-2' });
    const run = await t.app.get(SourcesService).waitFor(job);
    expect(run).toMatchObject({ received: 1, rejected: 1 });
    const rej = bodyOf<Page<SourceRejection>>(await http.get(`/api/sources/vehicle/rejections?runId=${run.runId}`).set(auth('auditor')).expect(200));
    const item = rej.items[0];
    expect(item.reason).toBe('车辆类型: 取值无效「坦克」，应为 小型汽车/大型汽车/货车/摩托车/其他');
    expect(Object.keys(item.raw)).not.toEqual(expect.arrayContaining(['备注']));
    expect(Object.keys(item.raw)).not.toEqual(expect.arrayContaining(['联系人']));
    expect(item.raw['车主身份证号']).toBe(good.slice(0, 6) + '********' + good.slice(-4));
    expect(item.raw['车主']).toBe('王*');
    expect(item.raw['号牌号码']).toBe(`闽C${fullWidth.slice(0, 6)}${'*'.repeat(8)}${fullWidth.slice(-4)}`);
    const text = JSON.stringify(rej);
    for (const id of [good, other, fullWidth]) expect(text).not.toContain(id);
    expect(text).not.toContain('欧阳');
  });
});
