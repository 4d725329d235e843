import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import { AppModule } from '../../src/app.module';
import { cliActor } from '../../src/auth/actor';
import { loadConfig } from '../../src/config/config';
import { DatabaseService } from '../../src/database/database.service';
import { generateCity } from '../../src/generator/city-generator';
import { makeIdNo } from '../../src/common/identity';
import { ImportReport, RegistryImportService } from '../../src/registry/registry-import.service';
import { RecomputeService } from '../../src/eligibility/recompute.service';
import { QueueService } from '../../jobs/queue.service';
import { REDIS_URL } from '../support/env';
import { tempDir, writeCsv, writeXlsx } from '../support/files';
import { createTestDatabase } from '../support/test-db';

const byFile = (r: ImportReport, name: string) => r.files.find((f) => f.file === name)!;

describe('registry import (ledger files)', () => {
  let app: INestApplicationContext;
  let importer: RegistryImportService;
  let db: DatabaseService;
  let drop: () => Promise<void>;
  const actor = cliActor();

  beforeAll(async () => {
    const t = await createTestDatabase('registry_import');
    drop = t.drop;
    const config = loadConfig({ DATABASE_URL: t.url, REDIS_URL, QUEUE_PREFIX: `phrtest:import:${process.pid}`, APP_ROLE: 'api' });
    app = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: false });
    importer = app.get(RegistryImportService);
    db = app.get(DatabaseService);
  });
  afterAll(async () => {
    await app.get(QueueService).obliterateAll();
    await app.close();
    await drop();
  });

  const count = async (table: string) => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  it('loads a generated city (UTF-8, BOM and GBK files) and a second load changes nothing', async () => {
    const out = tempDir('city');
    const summary = await generateCity({ households: 150, seed: 3, outDir: out, json: false });
    const first = await importer.importDirectory(join(out, 'registry'), actor);
    for (const f of first.files) expect({ file: f.file, error: f.error, rejected: f.rejected }).toEqual({ file: f.file, error: undefined, rejected: 0 });
    expect(byFile(first, 'households.csv').inserted).toBe(summary.households);
    const members = byFile(first, 'members.csv');
    expect(members.inserted).toBe(members.received);
    expect(await count('household')).toBe(summary.households);
    // The members file is GBK: names survive.
    const { rows } = await db.pool.query(`SELECT name FROM member WHERE name ~ '[\\u4e00-\\u9fff]' LIMIT 1`);
    expect(rows).toHaveLength(1);

    // A recompute as of the ledger's date, run here shard by shard (this process has no workers).
    const recompute = app.get(RecomputeService);
    const run = async (full: boolean) => {
      const plan = await recompute.plan({ asOf: summary.asOf, full, trigger: 'test' });
      for (let shard = 0; shard < plan.shards; shard++) await recompute.shard(plan.runId, shard);
      await recompute.finish(plan.runId);
      return plan;
    };
    expect((await run(true)).households).toBe(summary.households - (await count(`household WHERE status = 'exited'`)));
    // Every registry row as stored, updated_at included.
    const tables: [string, string][] = [
      ['project', 'id'], ['unit', 'id'], ['household', 'id'], ['person', 'id'], ['member', 'household_id, person_id'],
      ['declaration', 'household_id, person_id, matter, declared_on'], ['arrears', 'household_id, as_of'], ['handover', 'id'],
    ];
    const snapshot = async () => Promise.all(tables.map(async ([table, key]) => ({ table, rows: (await db.pool.query(`SELECT * FROM ${table} ORDER BY ${key}`)).rows })));
    const before = await snapshot();
    for (const t of before) expect({ table: t.table, empty: t.rows.length === 0 }).toEqual({ table: t.table, empty: false });

    const second = await importer.importDirectory(join(out, 'registry'), actor);
    for (const f of second.files) {
      expect({ file: f.file, inserted: f.inserted, updated: f.updated, deleted: f.deleted, unchanged: f.unchanged }).toEqual({
        file: f.file, inserted: 0, updated: 0, deleted: 0, unchanged: f.received,
      });
    }
    // Not only the report: the database is as it was, and the next incremental recompute has nothing to do.
    expect(await snapshot()).toEqual(before);
    const next = await run(false);
    expect({ mode: next.mode, households: next.households, shards: next.shards }).toEqual({ mode: 'incremental', households: 0, shards: 0 });
    expect(await count(`recompute_scope WHERE run_id = ${Number(next.runId)}`)).toBe(0);
  });

  it('rejects bad rows with file, line and reason, keeps them, and loads the rest', async () => {
    const dir = tempDir('bad');
    const good = makeIdNo('350581', '19800101', 1);
    const spouse = makeIdNo('350581', '19820202', 2);
    const badChecksum = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    writeCsv(join(dir, 'projects.csv'), [
      ['项目编号', '项目名称', '行政区划代码', '所属镇街', '管理方式', '项目业主'],
      ['TP1', '测试项目', '350581', '湖滨街道', '市直管', ''],
      ['TP2', '', '3505', '湖滨街道', '直管', ''],
    ]);
    writeCsv(join(dir, 'units.csv'), [
      ['房源编号', '项目编号', '楼栋', '房号', '标准地址编码', '房屋坐落', '建筑面积', '居室数', '月租金'],
      ['TU1', 'TP1', '1幢', '101', 'A1', '石狮市湖滨街道测试路1号1幢101室', '45.5', '2', '1,200.50'],
      ['TU2', 'NOPE', '1幢', '102', 'A2', 'x', '45', '2', '300'],
      ['TU3', 'TP1', '1幢', '103', 'A3', 'x', '四十', '2', '300'],
    ]);
    writeCsv(join(dir, 'households.csv'), [
      ['家庭编号', '保障状态', '保障类别', '房源编号', '租赁起始', '租赁截止', '轮候登记日期'],
      ['TH1', '在保', '低保', 'TU1', '2023/6/1', '20260531', ''],
      ['TH2', '轮候', '低收入', '', '', '', '2025-01-01'],
      ['TH3', '在保', '低保', 'TU9', '2023-06-01', '', ''],
      ['TH4', '在保', '低保', '', '', '', ''],
      ['TH1', '在保', '低保', 'TU1', '2023/6/1', '20260531', ''],
    ], 'gbk');
    writeCsv(join(dir, 'members.csv'), [
      ['家庭编号', '身份证号', '姓名', '与承租人关系'],
      ['TH1', good.toLowerCase(), '张三', '承租人'],
      ['TH1', spouse, '李四', '配偶'],
      ['TH2', badChecksum, '王五', '承租人'],
      ['TH2', makeIdNo('350581', '19700101', 5), '赵六', '承租人'],
      ['TH2', makeIdNo('350581', '19710101', 6), '钱七', '承租人'],
      ['TH9', makeIdNo('350581', '19720101', 7), '孙八', '承租人'],
    ]);
    const report = await importer.importDirectory(dir, actor);
    const reasons = (file: string) => byFile(report, file).rejections.map((r) => `${r.line}: ${r.reason}`);
    expect(reasons('projects.csv')).toEqual(['3: 行政区划代码应为6位数字: 3505；缺少必填字段: 项目名称；管理方式: 取值无效「直管」，应为 市直管/非市直管']);
    expect(reasons('units.csv')).toEqual(['3: 未知项目编号: NOPE', expect.stringMatching(/^4: 建筑面积: 数值无法识别/)]);
    expect(reasons('households.csv')).toEqual([
      '4: 未知房源编号: TU9',
      '5: 在保家庭缺少房源编号；在保家庭缺少租赁起始日期',
      '6: 文件内重复记录（与第2行的键相同）',
    ]);
    expect(reasons('members.csv')).toEqual([
      '4: 身份证号: 身份证号校验位错误',
      '5: 同户有被拒收的成员行（第4行），该户成员保持不变',
      '6: 同户有被拒收的成员行（第4行），该户成员保持不变',
      '7: 未知家庭编号: TH9',
    ]);
    expect(byFile(report, 'members.csv')).toMatchObject({ received: 6, inserted: 2, rejected: 4 });
    expect(byFile(report, 'households.csv')).toMatchObject({ inserted: 2, rejected: 3 });
    // Kept in the database with their raw values.
    const stored = await db.prisma.importRejection.findMany({ where: { batchId: report.batchId }, orderBy: [{ fileName: 'asc' }, { line: 'asc' }] });
    expect(stored).toHaveLength(10);
    expect(stored.find((s) => s.fileName === 'members.csv' && s.line === 4)!.raw).toMatchObject({ 姓名: '王五' });
    // The unit amount with a thousands separator, the dates in their three forms.
    const unit = await db.prisma.unit.findUnique({ where: { unitCode: 'TU1' } });
    expect(Number(unit!.monthlyRent)).toBe(1200.5);
    const h = await db.prisma.household.findUnique({ where: { householdCode: 'TH1' } });
    expect(h!.leaseStart!.toISOString().slice(0, 10)).toBe('2023-06-01');
    expect(h!.leaseEnd!.toISOString().slice(0, 10)).toBe('2026-05-31');
  });

  it('rejects a whole file without its required columns, and reports a household without tenant', async () => {
    const dir = tempDir('cols');
    writeCsv(join(dir, 'projects.csv'), [['项目编号', '项目名称'], ['X1', 'x']]);
    writeCsv(join(dir, 'members.csv'), [
      ['家庭编号', '身份证号', '姓名', '与承租人关系'],
      ['TH1', makeIdNo('350581', '19900101', 9), '周九', '子女'],
    ]);
    const report = await importer.importDirectory(dir, actor);
    expect(byFile(report, 'projects.csv').error).toBe('缺少必需的列: 行政区划代码');
    expect(byFile(report, 'members.csv').rejections).toEqual([{ line: 2, reason: '家庭没有承租人（每户须恰有一名承租人）: TH1' }]);
    // TH1 keeps its members from before.
    expect(await db.prisma.member.count({ where: { household: { householdCode: 'TH1' } } })).toBe(2);
  });

  it('reads XLSX ledgers and applies a newer ledger by key (update, member replaced)', async () => {
    const dir = tempDir('xlsx');
    const tenant = makeIdNo('350581', '19800101', 1);
    const child = makeIdNo('350581', '20100101', 3);
    await writeXlsx(join(dir, 'households.xlsx'), [
      ['家庭编号', '保障状态', '保障类别', '房源编号', '租赁起始', '租赁截止', '轮候登记日期'],
      ['TH1', '在保', '低收入', 'TU1', new Date('2023-06-01T00:00:00Z'), '2027/5/31', null],
    ]);
    await writeXlsx(join(dir, 'members.xlsx'), [
      ['家庭编号', '身份证号', '姓名', '与承租人关系'],
      ['TH1', tenant, '张三', '承租人'],
      ['TH1', child, '张小三', '子女'],
    ]);
    const report = await importer.importDirectory(dir, actor);
    expect(byFile(report, 'households.xlsx')).toMatchObject({ updated: 1, rejected: 0 });
    expect(byFile(report, 'members.xlsx')).toMatchObject({ inserted: 1, unchanged: 1, deleted: 1, rejected: 0 });
    const h = await db.prisma.household.findUnique({ where: { householdCode: 'TH1' }, include: { members: { include: { person: true } } } });
    expect(h!.category).toBe('low_income');
    expect(h!.members.map((m) => m.person.idNo).sort()).toEqual([tenant, child].sort());
  });

  it('records the import in the audit log', async () => {
    const entries = await db.prisma.auditLog.findMany({ where: { action: 'registry.import' }, orderBy: { id: 'asc' } });
    // One entry per import batch, each naming its batch; none holds an ID number.
    const batches = await db.prisma.importBatch.findMany({ orderBy: { id: 'asc' } });
    expect(batches.length).toBe(5);
    expect(entries.map((e) => e.entityId)).toEqual(batches.map((b) => String(b.id)));
    expect(entries.filter((e) => /\d{17}[\dX]/.test(JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))))).toEqual([]);
  });

  it('a household with a rejected member row (bad checksum, mis-encoded name) keeps its registered members whole', async () => {
    const dir = tempDir('members-held');
    const [a, b, c, d] = [31, 32, 33, 34].map((i) => makeIdNo('350581', `19${i}0101`, i));
    writeCsv(join(dir, 'households.csv'), [
      ['家庭编号', '保障状态', '保障类别', '房源编号', '租赁起始', '租赁截止', '轮候登记日期'],
      ['TH6', '轮候', '低收入', '', '', '', '2025-01-01'],
      ['TH7', '轮候', '低收入', '', '', '', '2025-01-01'],
    ]);
    writeCsv(join(dir, 'members.csv'), [
      ['家庭编号', '身份证号', '姓名', '与承租人关系'],
      ['TH6', a, '吴一', '承租人'],
      ['TH6', b, '吴二', '子女'],
      ['TH6', c, '吴三', '配偶'],
    ]);
    expect(byFile(await importer.importDirectory(dir, actor), 'members.csv')).toMatchObject({ inserted: 3, rejected: 0 });

    // The next ledger: b's ID number has a wrong check character, c's name arrives in GBK inside a
    // UTF-8 file. Neither row reaches the staging table: without the fix, b and c look absent and are deleted.
    const badB = b.slice(0, 17) + (b[17] === '1' ? '2' : '1');
    const utf8 = (t: string) => Buffer.from(t, 'utf8');
    writeFileSync(
      join(dir, 'members.csv'),
      Buffer.concat([
        utf8(`\uFEFF家庭编号,身份证号,姓名,与承租人关系\r\nTH6,${a},吴一,承租人\r\nTH6,${badB},吴二,子女\r\nTH6,${c},`),
        iconv.encode('吴三', 'gbk'),
        utf8(`,配偶\r\nTH7,${d},郑四,承租人\r\nTH7,${makeIdNo('350581', '19350101', 35)},郑五,承租人\r\n`),
      ]),
    );
    rmSync(join(dir, 'households.csv'));
    const report = await importer.importDirectory(dir, actor);
    const members = byFile(report, 'members.csv');
    expect(members.rejections).toEqual([
      { line: 2, reason: '同户有被拒收的成员行（第3、4行），该户成员保持不变' },
      { line: 3, reason: '身份证号: 身份证号校验位错误' },
      { line: 4, reason: '姓名: 含有无法识别的字符（文件编码错误或数据损坏）' },
      { line: 5, reason: '家庭有两名及以上承租人（每户须恰有一名承租人）: TH7' },
      { line: 6, reason: '家庭有两名及以上承租人（每户须恰有一名承租人）: TH7' },
    ]);
    expect(members).toMatchObject({ received: 5, inserted: 0, updated: 0, deleted: 0, rejected: 5 });
    const kept = await db.pool.query(
      `SELECT p.id_no, m.name, m.relation FROM member m JOIN household h ON h.id = m.household_id JOIN person p ON p.id = m.person_id
        WHERE h.household_code = 'TH6' ORDER BY p.id_no`,
    );
    expect(kept.rows).toEqual(
      [
        { id_no: a, name: '吴一', relation: 'tenant' },
        { id_no: b, name: '吴二', relation: 'child' },
        { id_no: c, name: '吴三', relation: 'spouse' },
      ].sort((x, y) => x.id_no.localeCompare(y.id_no)),
    );
  });

  it('rejects impossible and oversized ledger values with their reason, loading the rest of the file', async () => {
    const dir = tempDir('limits');
    // About 10 MB of UTF-8 text that does not compress (PostgreSQL would compress a repeated character).
    const block = Array.from({ length: 65536 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join('');
    const huge = block.repeat(54);
    const header = ['房源编号', '项目编号', '楼栋', '房号', '标准地址编码', '房屋坐落', '建筑面积', '居室数', '月租金'];
    writeCsv(join(dir, 'units.csv'), [
      header,
      ['TU21', 'TP1', '2幢', '101', 'B1', '石狮市湖滨街道测试路2号2幢101室', '60', '2', '500'],
      ['TU22', 'TP1', '2幢', '102', 'B2', 'x', '12345678901234', '2', '500'],
      ['TU23', 'TP1', '2幢', '103', 'B3', huge, '60', '2', '500'],
      ['TU24', 'TP1', '2幢', '104', 'B4', 'x', '-45', '2', '500'],
      ['TU25', 'TP1', '2幢', '105', 'B5', 'x', '60', '3000000000', '500'],
      ['TU26', 'TP1', '2幢', '106', 'B6', 'x', '60', '2', '9'.repeat(400)],
      ['TU27', 'TP1', '2幢', '107', 'B7', 'x', '99999999.999', '2', '500'],
      ['TU28', 'TP1', '2幢', '108', 'B8', '坐'.repeat(600), '60', '2', '500'],
    ]);
    writeCsv(join(dir, 'households.csv'), [
      ['家庭编号', '保障状态', '保障类别', '房源编号', '租赁起始', '租赁截止', '轮候登记日期'],
      ['TH21', '在保', '低保', 'TU21', '1850-01-01', '', ''],
      ['TH22', '在保', '低保', 'TU21', '2024-01-01', '9999-12-31', ''],
      ['TH23', '在保', '低保', 'TU21', '2024-01-01', '2027-12-31', ''],
    ]);
    const report = await importer.importDirectory(dir, actor);
    expect(byFile(report, 'units.csv').error).toBeUndefined();
    expect(byFile(report, 'units.csv')).toMatchObject({ received: 8, inserted: 1, rejected: 7 });
    expect(byFile(report, 'units.csv').rejections.map((r) => `${r.line}: ${r.reason}`)).toEqual([
      '3: 建筑面积: 数值超出可存储范围（绝对值须小于 100000000）: 12345678901234',
      // The file reader itself refuses a cell this long (its own limit), the row alone.
      expect.stringMatching(/^4: 房屋坐落: 文本过长（/),
      '5: 建筑面积: 不能为负数: -45',
      '6: 居室数: 数值超出可存储范围: 3000000000',
      '7: 月租金: 数值无效',
      '8: 建筑面积: 数值超出可存储范围（绝对值须小于 100000000）: 99999999.999',
      '9: 房屋坐落: 文本过长（600字，上限500字）',
    ]);
    const year = new Date().getUTCFullYear() + 100;
    expect(byFile(report, 'households.csv').rejections).toEqual([
      { line: 2, reason: `租赁起始: 日期超出合理范围（1900-01-01 至 ${year}-12-31）: 1850-01-01；在保家庭缺少租赁起始日期` },
      { line: 3, reason: `租赁截止: 日期超出合理范围（1900-01-01 至 ${year}-12-31）: 9999-12-31` },
    ]);
    // The oversized cell is kept with its rejection, cut.
    const stored = await db.prisma.importRejection.findFirst({ where: { batchId: report.batchId, fileName: 'units.csv', line: 4 } });
    expect(String((stored!.raw as Record<string, string>)['房屋坐落']).length).toBeLessThan(2100);
    const batch = await db.prisma.importBatch.findUnique({ where: { id: report.batchId } });
    expect(batch!.finishedAt).not.toBeNull();
  });

  it('an unexpected failure in one file is that file\'s error: nothing of it loads, the others do, and the batch is closed and audited', async () => {
    const dir = tempDir('boom');
    // A real database error the validation cannot foresee: a trigger refusing one unit.
    await db.pool.query(`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.unit_code = 'TU-BOOM' THEN RAISE EXCEPTION 'simulated failure for 350581198001011234'; END IF; RETURN NEW; END $$`);
    await db.pool.query(`CREATE TRIGGER boom BEFORE INSERT ON unit FOR EACH ROW EXECUTE FUNCTION boom()`);
    try {
      writeCsv(join(dir, 'projects.csv'), [['项目编号', '项目名称', '行政区划代码'], ['TP31', '项目三十一', '350581']]);
      writeCsv(join(dir, 'units.csv'), [
        ['房源编号', '项目编号', '楼栋', '房号', '标准地址编码', '房屋坐落', '建筑面积', '居室数', '月租金'],
        ['TU31', 'TP31', '1幢', '101', 'C1', 'x', '50', '2', '300'],
        ['TU-BOOM', 'TP31', '1幢', '102', 'C2', 'x', '50', '2', '300'],
      ]);
      writeCsv(join(dir, 'households.csv'), [
        ['家庭编号', '保障状态', '保障类别', '房源编号', '租赁起始', '租赁截止', '轮候登记日期'],
        ['TH31', '轮候', '低收入', '', '', '', '2025-01-01'],
      ]);
      const report = await importer.importDirectory(dir, actor);
      expect(byFile(report, 'projects.csv')).toMatchObject({ inserted: 1 });
      expect(byFile(report, 'units.csv')).toMatchObject({ received: 0, inserted: 0 });
      expect(byFile(report, 'units.csv').error).toMatch(/^导入失败（内部错误，整个文件未导入）: .*simulated failure for 350581\*{8}1234/);
      expect(byFile(report, 'households.csv')).toMatchObject({ inserted: 1, rejected: 0 });
      expect(await db.prisma.unit.count({ where: { unitCode: { in: ['TU31', 'TU-BOOM'] } } })).toBe(0);
      const batch = await db.prisma.importBatch.findUnique({ where: { id: report.batchId } });
      expect(batch!.finishedAt).not.toBeNull();
      expect(batch!.summary).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'units.csv', error: expect.stringContaining('内部错误') as unknown })]));
      const audit = await db.prisma.auditLog.findMany({ where: { action: 'registry.import', entityId: String(report.batchId) } });
      expect(audit).toHaveLength(1);
      // Each loaded file's entry committed with its rows; the failed file's rolled back with them.
      const perFile = await db.prisma.auditLog.findMany({ where: { action: 'registry.import.file', entityId: String(report.batchId) }, orderBy: { id: 'asc' } });
      expect(perFile.map((e) => e.detail)).toEqual([
        expect.objectContaining({ file: 'projects.csv', inserted: 1 }),
        expect.objectContaining({ file: 'households.csv', inserted: 1, rejected: 0 }),
      ]);
    } finally {
      await db.pool.query(`DROP TRIGGER boom ON unit; DROP FUNCTION boom()`);
    }
  });

  it('loading the same arrears ledger twice changes nothing the second time', async () => {
    const dir = tempDir('arrears');
    writeCsv(join(dir, 'arrears.csv'), [['家庭编号', '欠租月数', '欠租金额', '统计日期'], ['TH1', '2', '2,400', '2026-10-01']]);
    const a = await importer.importDirectory(dir, actor);
    expect(byFile(a, 'arrears.csv')).toMatchObject({ inserted: 1 });
    const b = await importer.importDirectory(dir, actor);
    expect(byFile(b, 'arrears.csv')).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
  });
});
