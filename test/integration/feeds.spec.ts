import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { Redis } from 'ioredis';
import { generateCity } from '../../src/generator/city-generator';
import { SourcesProcessor } from '../../src/worker/processors/sources.processor';
import { ALL_QUEUES, QueueName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { SourcesService } from '../../src/sources/sources.service';
import { SyncService, SyncSummary } from '../../src/sources/sync.service';
import { DepartmentSimulator } from '../support/department-simulator';
import { idFor, vehicle } from '../support/vehicle-records';
import { drainQueues } from '../support/lifecycle';
import { spawnTs } from '../support/run-ts';
import { REDIS_URL } from '../support/env';
import { tempDir, writeCsv, writeXlsx } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';


describe('department feeds: sync pipeline against a department simulator', () => {
  let t: TestApp;
  let sim: DepartmentSimulator;
  let pool: Pool;
  let drop: string;
  let sources: SourcesService;

  let requests = 0;
  const sync = async (source: string, mode: 'incremental' | 'full' = 'incremental'): Promise<SyncSummary> => {
    const [job] = await sources.trigger([source], { mode, trigger: 'test', requestKey: `t-${++requests}` });
    return sources.waitFor(job);
  };
  const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[];
  /** The department's current set less the records we reject as malformed. */
  const departmentValid = () => [...sim.current().keys()].filter((k) => !['', 'CG005002', 'CG005003', 'CG005004'].includes(k)).sort();
  const current = async (source: string) =>
    (await q<{ record_id: string; data: Record<string, unknown> }>(`SELECT record_id, data FROM source_record WHERE source = $1 AND NOT deleted ORDER BY record_id`, [source]));

  beforeAll(async () => {
    sim = new DepartmentSimulator('vehicle');
    const url = await sim.start();
    drop = tempDir('drop');
    mkdirSync(join(drop, 'property'));
    t = await startTestApp(
      'feeds',
      { APP_ROLE: 'all', SOURCE_VEHICLE_URL: url, SOURCE_VEHICLE_TOKEN: sim.token, FEED_DROP_DIR: drop, HTTP_TIMEOUT_MS: '400', SYNC_BATCH_RECORDS: '1000' },
      { listen: false },
    );
    t.app.get(SyncService).retryBaseMs = 30;
    sources = t.app.get(SourcesService);
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await t.close();
    await sim.stop();
  });

  it('pulls every page, stores the cursor, and the next sync gets only what changed', async () => {
    sim.put(...Array.from({ length: 2500 }, (_, i) => vehicle(i)));
    const first = await sync('vehicle');
    expect(first).toMatchObject({ status: 'succeeded', received: 2500, inserted: 2500, updated: 0, deleted: 0, rejected: 0 });
    // 2,500 records in pages of at most 1,000.
    expect(first.pages).toBe(3);
    const state = (await q<{ cursor: string; status: string }>(`SELECT cursor, status FROM source_state WHERE source = 'vehicle'`))[0];
    expect(state).toEqual({ cursor: 'c_1_2500', status: 'ok' });

    // Changes: one update, one older version arriving late (must lose), one delete, one new record.
    sim.put(vehicle(1, { invoicePrice: 120000, updatedAt: '2026-10-05T10:00:00+08:00' }));
    sim.put(vehicle(2, { invoicePrice: 1, updatedAt: '2026-09-01T10:00:00+08:00' }));
    sim.remove('CG000003', '2026-10-06T10:00:00+08:00');
    sim.put(vehicle(9000));
    const before = sim.requests.length;
    const second = await sync('vehicle');
    expect(sim.requests[before].cursor).toBe('c_1_2500');
    expect(second).toMatchObject({ received: 4, inserted: 1, updated: 1, deleted: 1, unchanged: 1, rejected: 0 });
    const rows = new Map((await current('vehicle')).map((r) => [r.record_id, r.data]));
    expect(rows.get('CG000001')!.invoicePrice).toBe(120000);
    expect(rows.get('CG000002')!.invoicePrice).toBe(90000);
    expect(rows.has('CG000003')).toBe(false);
    expect(rows.size).toBe(2500);

    // Nothing new: nothing changes.
    const third = await sync('vehicle');
    expect(third).toMatchObject({ received: 0, inserted: 0, updated: 0, deleted: 0 });
  });

  it('records which persons changed (the change feed for recompute)', async () => {
    const lastRun = (await q<{ id: string }>(`SELECT max(id) AS id FROM sync_run WHERE source = 'vehicle' AND received > 0`))[0].id;
    const changed = await q<{ id_no: string }>(`SELECT DISTINCT p.id_no FROM change_log c JOIN person p ON p.id = c.person_id WHERE c.run_id = $1 ORDER BY 1`, [lastRun]);
    expect(changed.map((c) => c.id_no)).toEqual([idFor(1), idFor(3), idFor(9000)].sort());
  });

  it('waits Retry-After after a 429 (delta seconds), survives 5xx and a timeout, and takes a repeated page with records in the same attempt', async () => {
    sim.maxPageSize = 10;
    try {
      sim.put(...Array.from({ length: 30 }, (_, i) => vehicle(3000 + i)));
      // Page 1 is asked for five times (429, 503, 502, too slow, answered), then comes again.
      sim.inject({ status: 429, retryAfter: '1' }, { status: 503 }, { status: 502 }, { delayMs: 1500 }, { pass: true }, { repeatPrevious: true });
      const from = sim.requests.length;
      const runBefore = (await q<{ id: string }>(`SELECT coalesce(max(id), 0) AS id FROM sync_run`))[0].id;
      const [job] = await sources.trigger(['vehicle'], { mode: 'incremental', trigger: 'test', requestKey: 'faults-1' });
      const r = await sources.waitFor(job);
      const reqs = sim.requests.slice(from);
      // (A page that times out on a loaded machine is asked for again: only the faults are counted.)
      expect(reqs.filter((x) => x.status !== 200).map((x) => x.status)).toEqual([429, 503, 502]);
      expect(reqs.slice(0, 3).map((x) => x.status)).toEqual([429, 503, 502]);
      // Retry-After: 1 is at least 1000 ms, where the backoff alone would have waited 60 ms.
      expect(reqs[1].at - reqs[0].at).toBeGreaterThanOrEqual(1000);
      expect(reqs[1].at - reqs[0].at).toBeLessThan(5000);
      // The repeated page's 10 records are received again and change nothing; one attempt, one run.
      expect(r).toMatchObject({ status: 'succeeded', received: 40, inserted: 30, updated: 0, unchanged: 10, rejected: 0, pages: 4 });
      expect((await t.app.get(QueueService).job(QueueName.Sources, job.id))!.attemptsMade).toBe(1);
      expect(await q(`SELECT status, received, inserted FROM sync_run WHERE id > $1 AND source = 'vehicle' ORDER BY id`, [runBefore])).toEqual([
        { status: 'succeeded', received: 40, inserted: 30 },
      ]);
      expect((await current('vehicle')).length).toBe(2530);
    } finally {
      sim.maxPageSize = 1000;
    }
  });

  it('waits until the HTTP date of Retry-After after a 429', async () => {
    sim.put(...Array.from({ length: 5 }, (_, i) => vehicle(3030 + i)));
    const until = Math.ceil(Date.now() / 1000) * 1000 + 2000;
    sim.inject({ status: 429, retryAfter: new Date(until).toUTCString() });
    const from = sim.requests.length;
    const r = await sync('vehicle');
    const reqs = sim.requests.slice(from);
    expect(reqs.filter((x) => x.status !== 200).map((x) => x.status)).toEqual([429]);
    expect(reqs[0].status).toBe(429);
    // Not before the date (to the clock's millisecond rounding), and not long after it.
    expect(reqs[1].at).toBeGreaterThanOrEqual(until - 5);
    expect(reqs[1].at).toBeLessThan(until + 4000);
    expect(r).toMatchObject({ status: 'succeeded', received: 5, inserted: 5, pages: 1 });
  });

  it('rejects malformed records with their reason, keeps them for review, and stores the rest', async () => {
    const badId = idFor(5000).slice(0, 17) + (idFor(5000)[17] === '1' ? '2' : '1');
    sim.putRaw(
      vehicle(5001),
      { ...vehicle(5002), ownerIdNo: badId },
      { ...vehicle(5003), registeredOn: '2024-02-30' },
      { ...vehicle(5004), vehicleType: '坦克' },
      { ...vehicle(5005), recordId: '' },
      'not an object',
      { ...vehicle(5006), ownerIdNo: ` ${idFor(5006).toLowerCase()}`, invoicePrice: '98,000.50' },
    );
    const r = await sync('vehicle');
    expect(r).toMatchObject({ received: 7, inserted: 2, rejected: 5 });
    const rej = await sources.rejections('vehicle', { page: 1, pageSize: 10, runId: r.runId });
    const reasons = rej.items.map((i) => i.reason).sort();
    expect(reasons).toEqual(
      [
        '车主身份证号: 身份证号校验位错误',
        '初次登记日期: 日期无效: 2024-02-30',
        '车辆类型: 取值无效「坦克」，应为 小型汽车/大型汽车/货车/摩托车/其他',
        '缺少必填字段: 记录编号',
        '记录不是对象',
      ].sort(),
    );
    // Pages follow each other, newest first, within the run.
    const paged = await Promise.all([1, 2, 3].map((page) => sources.rejections('vehicle', { page, pageSize: 2, runId: r.runId })));
    expect(paged.map((p) => p.total)).toEqual([5, 5, 5]);
    expect(paged.flatMap((p) => p.items)).toEqual(rej.items);
    const withId = rej.items.find((i) => i.reason.startsWith('车主身份证号'))!;
    expect(withId.recordId).toBe('CG005002');
    expect((withId.raw as Record<string, string>).ownerIdNo).toBe(badId.slice(0, 6) + '********' + badId.slice(-4));
    const stored = (await current('vehicle')).find((x) => x.record_id === 'CG005006')!;
    expect(stored.data).toMatchObject({ ownerIdNo: idFor(5006), invoicePrice: 98000.5 });
  });

  it('on 410 Gone resyncs in full and ends with exactly the department\'s current set', async () => {
    // The department loses a record silently (no delete event) and forgets our cursor.
    const kept = sim.current();
    const lost = [...kept.keys()][10];
    const log = (sim as unknown as { log: { recordId: string }[] }).log;
    for (let i = log.length - 1; i >= 0; i--) if (log[i] && log[i].recordId === lost) log.splice(i, 1);
    sim.expireCursors();
    const r = await sync('vehicle');
    expect(r.status).toBe('succeeded');
    expect(r.withdrawn).toBe(1);
    expect(r.inserted).toBe(0);
    const ids = (await current('vehicle')).map((x) => x.record_id).sort();
    expect(ids).toEqual(departmentValid());
    const state = (await q<{ resync_run_id: string | null; cursor: string }>(`SELECT resync_run_id, cursor FROM source_state WHERE source = 'vehicle'`))[0];
    expect(state.resync_run_id).toBeNull();
    expect(state.cursor).toMatch(/^c_2_/);
  });

  it('two syncs of one source at once give the result of one', async () => {
    sim.put(...Array.from({ length: 300 }, (_, i) => vehicle(6000 + i)));
    const jobs = await Promise.all([1, 2].map((k) => sources.trigger(['vehicle'], { mode: 'incremental', trigger: 'test', requestKey: `twin-${k}` })));
    const results = await Promise.all(jobs.map(([j]) => sources.waitFor(j)));
    expect(results.map((r) => r.inserted).sort((a, b) => a - b)).toEqual([0, 300]);
    expect((await current('vehicle')).map((x) => x.record_id).sort()).toEqual(departmentValid());
  });

  it('a bad token marks the source failing with the reason, without a retry loop; other sources go on', async () => {
    const good = sim.token;
    sim.token = 'rotated';
    const before = sim.requests.length;
    const [job] = await sources.trigger(['vehicle'], { mode: 'incremental', trigger: 'test', requestKey: 'bad-token' });
    await expect(sources.waitFor(job)).rejects.toThrow(/401/);
    expect(sim.requests.length - before).toBe(1);
    const state = (await sources.list()).find((s) => s.source === 'vehicle')!;
    expect(state.status).toBe('failing');
    expect(state.error!.message).toContain('401');
    const failedJob = await t.app.get(QueueService).job(QueueName.Sources, job.id);
    expect(failedJob!.attemptsMade).toBe(1);
    // The file source still syncs.
    writeCsv(join(drop, 'property', 'p1.csv'), [
      ['记录编号', '操作', '更新时间', '权利人身份证号', '权利人', '不动产权证号', '坐落', '行政区划代码', '用途', '建筑面积', '共有份额', '登记日期', '取得方式', '状态', '注销日期'],
      ['BDC1', '', '2026-10-01T10:00:00+08:00', idFor(1), '张三', 'X1', '石狮市某地', '350581', '住宅', '1,080.5', '', '2021/6/30', '购买', 'valid', ''],
    ]);
    expect(await sync('property')).toMatchObject({ status: 'succeeded', inserted: 1 });
    sim.token = good;
    expect((await sync('vehicle')).status).toBe('succeeded');
    expect((await sources.list()).find((s) => s.source === 'vehicle')!.status).toBe('ok');
  });

  it('reads dropped files (GBK CSV, XLSX, every date and amount form) exactly once, whatever their name', async () => {
    const headers = ['记录编号', '操作', '更新时间', '权利人身份证号', '权利人', '不动产权证号', '坐落', '行政区划代码', '用途', '建筑面积', '共有份额', '登记日期', '取得方式', '状态', '注销日期'];
    const row = (id: string, date: string, area: string, extra: Partial<Record<string, string>> = {}) => {
      const r = [id, '', '2026-10-02T10:00:00+08:00', idFor(2), '李四', 'X', '石狮市宝盖镇某地', '350581', '住宅', area, '50', date, '继承', 'valid', ''];
      if (extra.id) r[3] = extra.id;
      return r;
    };
    const gbk = writeCsv(join(drop, 'property', 'p2.csv'), [headers, row('BDC2', '20210630', '88'), row('BDC3', '2021-06-30', '1,200.50'), row('BDC4', '2021/6/30', '', { id: '１１０１０５４９１２３１００２' })], 'gbk');
    await writeXlsx(join(drop, 'property', 'p3.xlsx'), [headers, row('BDC5', '2022/1/5', '70'), [...row('BDC6', '2022-13-01', '70')]]);
    const r = await sync('property');
    expect(r).toMatchObject({ files: 2, received: 5, inserted: 4, rejected: 1, skipped: 1 });
    const why = await sources.rejections('property', { page: 1, pageSize: 5, runId: r.runId });
    expect(why.items.map((i) => `${i.location} ${i.reason}`)).toEqual(['p3.xlsx:3 登记日期: 日期无效: 2022-13-01']);
    const rows = new Map((await current('property')).map((x) => [x.record_id, x.data]));
    expect(rows.get('BDC2')!.acquiredOn).toBe('2021-06-30');
    expect(rows.get('BDC3')!).toMatchObject({ acquiredOn: '2021-06-30', floorArea: 1200.5, sharePercent: 50, ownerName: '李四' });
    expect(rows.get('BDC4')!).toMatchObject({ ownerIdNo: '11010519491231002X', floorArea: null });
    expect(rows.get('BDC5')!.acquiredOn).toBe('2022-01-05');
    // The same bytes dropped again under another name: skipped.
    copyFileSync(gbk, join(drop, 'property', 'again-renamed.csv'));
    const again = await sync('property');
    expect(again).toMatchObject({ files: 0, received: 0, skipped: 4 });
  });

  it('keeps the latest version when one delivery repeats a record (a delete wins a tie)', async () => {
    const headers = ['记录编号', '操作', '更新时间', '权利人身份证号', '权利人', '不动产权证号', '坐落', '行政区划代码', '用途', '建筑面积', '共有份额', '登记日期', '取得方式', '状态', '注销日期'];
    const row = (id: string, op: string, at: string, area: string) => [id, op, at, idFor(3), '王五', 'Y', '石狮市宝盖镇某地', '350581', '住宅', area, '', '2020-01-01', '购买', 'valid', ''];
    writeCsv(join(drop, 'property', 'p4.csv'), [
      headers,
      row('BDC7', '', '2026-10-03T10:00:00+08:00', '70'),
      row('BDC7', '', '2026-10-01T10:00:00+08:00', '60'),
      row('BDC8', '', '2026-10-01T10:00:00+08:00', '80'),
      row('BDC8', 'delete', '2026-10-01T10:00:00+08:00', ''),
    ]);
    const r = await sync('property');
    expect(r).toMatchObject({ files: 1, received: 4, inserted: 1, updated: 0, deleted: 1, unchanged: 2, rejected: 0 });
    const stored = await pool.query(`SELECT record_id, deleted, data->>'floorArea' AS area FROM source_record WHERE record_id IN ('BDC7', 'BDC8') ORDER BY 1`);
    expect(stored.rows).toEqual([
      { record_id: 'BDC7', deleted: false, area: '70' },
      { record_id: 'BDC8', deleted: true, area: null },
    ]);
  });

  it('rejects a whole file without its required columns, recorded, and goes on', async () => {
    writeCsv(join(drop, 'property', 'p4-bad.csv'), [['权利人', '坐落'], ['张三', 'x']]);
    const r = await sync('property');
    expect(r).toMatchObject({ status: 'succeeded', files: 1, received: 0 });
    const rej = await sources.rejections('property', { page: 1, pageSize: 5, runId: r.runId });
    expect(rej.items[0]).toMatchObject({ location: 'p4-bad.csv', reason: '整个文件被拒收: 缺少必需的列: 记录编号、更新时间' });
  });

  it('reports a source with neither transport as not configured, not failing', async () => {
    const status = await sources.list();
    expect(status.find((s) => s.source === 'utilities')).toMatchObject({ transport: 'none', status: 'not_configured' });
    expect(status.find((s) => s.source === 'property')).toMatchObject({ transport: 'file', status: 'ok' });
    await expect(sources.trigger(['utilities'], { mode: 'incremental', trigger: 'test', requestKey: 'x' })).rejects.toThrow(/未配置/);
  });

  it('keeps ID numbers and names out of Redis: every key of every queue, whatever its type', async () => {
    // Every queue has had jobs: the syncs' delayed recomputes run now, and their runs' cases passes.
    await drainQueues(t.app.get(QueueService));
    const redis = new Redis(REDIS_URL);
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${t.config.queuePrefix}:*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      const read = async (k: string): Promise<unknown> => {
        const type = await redis.type(k);
        if (type === 'string') return redis.get(k);
        if (type === 'hash') return redis.hgetall(k);
        if (type === 'list') return redis.lrange(k, 0, -1);
        if (type === 'set') return redis.smembers(k);
        if (type === 'zset') return redis.zrange(k, '0', '-1', 'WITHSCORES');
        if (type === 'stream') return redis.xrange(k, '-', '+');
        return type === 'none' ? null : `unread type ${type}`;
      };
      const queuesSeen = new Set(keys.map((k) => k.slice(t.config.queuePrefix.length + 1).split(':')[0]));
      // The queues this test's jobs used are among those read (every queue's workers leave keys too).
      expect(ALL_QUEUES.filter((name) => queuesSeen.has(name))).toEqual(expect.arrayContaining([QueueName.Sources, QueueName.Recompute, QueueName.Cases]));
      expect(keys.length).toBeGreaterThan(20);
      const leaks: string[] = [];
      for (const k of keys) {
        const text = JSON.stringify(await read(k));
        expect(text).not.toMatch(/^"unread type/);
        const found = [1, 2, 5006, 6000, 3000, 3030].some((i) => text.includes(idFor(i)))
          || /(?<!\d)\d{6}(19|20)\d{2}(0[1-9]|1[0-2])\d{5}[\dXx](?!\d)/.test(text)
          || /张三|李四/.test(text);
        if (found) leaks.push(k);
      }
      expect(leaks).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('a worker killed with SIGKILL mid-sync loses and duplicates nothing once a worker runs again', async () => {
    const base = 20000;
    sim.put(...Array.from({ length: 3000 }, (_, i) => vehicle(base + i)));
    sim.maxPageSize = 100;
    sim.pageDelayMs = 40;
    // The worker runs the sources under test (not a build in dist/ that may be older).
    const child = spawnTs(
      'src/main.ts',
      [],
      { ...t.config.env, DATABASE_URL: t.dbUrl, REDIS_URL, QUEUE_PREFIX: t.config.queuePrefix, APP_ROLE: 'worker', LOG_LEVEL: 'error', SYNC_BATCH_RECORDS: '300', SOURCE_VEHICLE_URL: t.config.env.SOURCE_VEHICLE_URL!, SOURCE_VEHICLE_TOKEN: sim.token, FEED_DROP_DIR: drop },
      'ignore',
    );
    // Only the child may take the job: this process's worker stops for good.
    await t.app.get(SourcesProcessor).worker.close();
    const runBefore = (await q<{ id: string }>(`SELECT coalesce(max(id), 0) AS id FROM sync_run`))[0].id;
    await sources.trigger(['vehicle'], { mode: 'incremental', trigger: 'test', requestKey: 'kill-me' });
    // Wait until the child has committed some batches, then kill it hard.
    for (let i = 0; i < 300; i++) {
      const r = await q<{ received: number; worker: boolean }>(`SELECT received FROM sync_run WHERE id > $1 AND source = 'vehicle' ORDER BY id DESC LIMIT 1`, [runBefore]);
      if (r[0] && r[0].received >= 600) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    child.kill('SIGKILL');
    await new Promise((res) => child.once('exit', res));
    sim.pageDelayMs = 0;
    const partial = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM source_record WHERE source = 'vehicle' AND record_id >= 'CG020000'`))[0].n;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(3000);
    // A worker runs again (here, the same service in this process): it resumes from the committed cursor.
    const r = await t.app.get(SyncService).run({ source: 'vehicle', mode: 'incremental', trigger: 'test' });
    expect(r.status).toBe('succeeded');
    const total = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM source_record WHERE source = 'vehicle' AND record_id >= 'CG020000'`))[0].n;
    expect(total).toBe(3000);
    const inserted = (await q<{ n: number }>(`SELECT sum(inserted)::int AS n FROM sync_run WHERE id > $1 AND source = 'vehicle'`, [runBefore]))[0].n;
    expect(inserted).toBe(3000);
    const statuses = (await q<{ status: string }>(`SELECT status FROM sync_run WHERE id > $1 AND source = 'vehicle' ORDER BY id`, [runBefore])).map((x) => x.status);
    expect(statuses[0]).toBe('interrupted');
    sim.maxPageSize = 1000;
  });

  it('ingests a generated city\'s feed files for all eight sources, rejecting exactly the planted malformed records', async () => {
    const city = tempDir('feedcity');
    const summary = await generateCity({ households: 120, seed: 9, outDir: city, json: false });
    const dir = tempDir('drop2');
    for (const s of readdirSync(join(city, 'feeds'))) {
      mkdirSync(join(dir, s), { recursive: true });
      for (const f of readdirSync(join(city, 'feeds', s))) copyFileSync(join(city, 'feeds', s, f), join(dir, s, f));
    }
    const t2 = await startTestApp('feedcity', { APP_ROLE: 'all', FEED_DROP_DIR: dir }, { listen: false });
    try {
      const svc = t2.app.get(SourcesService);
      const jobs = await svc.trigger('all', { mode: 'incremental', trigger: 'test', requestKey: 'city' });
      expect(jobs).toHaveLength(8);
      const results = await Promise.all(jobs.map((j) => svc.waitFor(j)));
      for (const r of results) {
        expect({ source: r.source, status: r.status, received: r.received, rejected: r.rejected }).toEqual({
          source: r.source,
          status: 'succeeded',
          received: summary.records[r.source] + summary.malformed[r.source],
          rejected: summary.malformed[r.source],
        });
      }
    } finally {
      await t2.close();
    }
  });
});
