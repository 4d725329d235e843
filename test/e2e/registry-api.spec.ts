import request from 'supertest';
import { join } from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Client } from 'pg';
import Papa from 'papaparse';
import { generateCity, GenerateSummary } from '../../src/generator/city-generator';
import { makeIdNo } from '../../src/common/identity';
import type { ImportReport } from '../../src/registry/registry-import.service';
import { AuditEntry, bodyOf, CreatedToken, ErrorBody, Page } from '../support/api';
import { tempDir, writeCsv, writeXlsx } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';

/** A household as the list shows it. */
interface HouseholdItem {
  householdCode: string;
  status: string;
  category: string;
  tenant: { idNo: string };
}

/** A household's detail: its members. */
interface HouseholdDetail {
  members: { idNo: string; name: string; relation: string }[];
}

/** A rejected ledger row, as GET /api/registry/imports/:id/rejections lists it. */
interface LedgerRejection {
  file: string;
  line: number;
  reason: string;
  raw: Record<string, unknown>;
}

describe('registry API, access control, masking and audit (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let city: string;
  let summary: GenerateSummary;
  /** A ledger file of the generated city, as rows keyed by its Chinese headers. */
  const ledger = (name: string) =>
    Papa.parse<Record<string, string>>(readFileSync(join(city, 'registry', `${name}.csv`), 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
  const auth = (role: keyof TestApp['tokens']) => ({ Authorization: `Bearer ${t.tokens[role]}` });

  beforeAll(async () => {
    t = await startTestApp('registry_api');
    http = request(t.app.getHttpServer());
    city = tempDir('api-city');
    summary = await generateCity({ households: 60, seed: 11, outDir: city, json: false });
  });
  afterAll(() => t.close());

  it('serves health and the OpenAPI document without a credential', async () => {
    const h = await http.get('/health').expect(200);
    expect(h.body).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
    const doc = bodyOf<{ paths: Record<string, Record<string, unknown>> }>(await http.get('/api/docs-json').expect(200));
    expect(doc.paths['/api/households']).toBeDefined();
    expect(doc.paths['/api/households/{code}/members'].put).toBeDefined();
  });

  it('401 without or with a wrong credential', async () => {
    const none = await http.get('/api/households').expect(401);
    expect(none.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    await http.get('/api/households').set('Authorization', 'Bearer phr_wrong').expect(401);
    await http.get('/api/households').set('Authorization', 'Basic abc').expect(401);
  });

  it('403 for a role without the permission', async () => {
    const files = ['projects.csv', 'units.csv'].map((f) => join(city, 'registry', f));
    const r = await http.post('/api/registry/import').set(auth('viewer')).attach('files', files[0]).expect(403);
    expect(bodyOf<ErrorBody>(r).code).toBe('FORBIDDEN');
    await http.get('/api/audit').set(auth('viewer')).expect(403);
    await http.get('/api/audit').set(auth('reviewer')).expect(403);
    await http.post('/api/tokens').set(auth('reviewer')).send({ name: 'x', role: 'admin' }).expect(403);
  });

  it('imports the ledger by multipart upload (admin)', async () => {
    let req = http.post('/api/registry/import').set(auth('admin'));
    for (const f of ['projects', 'units', 'households', 'members', 'declarations', 'arrears', 'handovers']) req = req.attach('files', join(city, 'registry', `${f}.csv`));
    const r = bodyOf<ImportReport>(await req.expect(201));
    expect(r.files).toHaveLength(7);
    for (const f of r.files) expect(f.rejected).toBe(0);
    expect(r.files.find((f) => f.file === 'households.csv')!.inserted).toBe(summary.households);
  });

  it('400 with the field and reason for bad queries and bodies, never a 500', async () => {
    const q = await http.get('/api/households?status=unknown&pageSize=0').set(auth('viewer')).expect(400);
    expect(bodyOf<ErrorBody>(q).details.map((d) => d.field).sort()).toEqual(['pageSize', 'status']);
    const b = await http.patch('/api/households/HH0000001').set(auth('admin')).send({ status: '在保', leaseEnd: '31/12/2027' }).expect(400);
    expect(bodyOf<ErrorBody>(b).details).toEqual([
      { field: 'leaseEnd', reason: '日期格式应为 YYYY-MM-DD' },
      { field: 'reason', reason: '无效输入：期望 string，实际接收 undefined' },
    ]);
    await http.patch('/api/households/HH0000001').set(auth('admin')).set('Content-Type', 'application/json').send('{bad json').expect(400);
    await http.put('/api/households/HH0000001/members').set(auth('admin')).send({ members: 'x' }).expect(400);
    await http.get('/api/households/NOPE').set(auth('viewer')).expect(404);
    // An upload past its limits, or in another field: 400 with the reason in Chinese (multer's own words never reach the client).
    let many = http.post('/api/registry/import').set(auth('admin'));
    for (let i = 0; i < 21; i++) many = many.attach('files', Buffer.from('项目编号\n'), `p${i}.csv`);
    expect(bodyOf<ErrorBody>(await many.expect(400)).details).toEqual([{ field: 'files', reason: '一次最多上传 20 个台账文件' }]);
    const field = await http.post('/api/registry/import').set(auth('admin')).field('note', 'x').attach('files', Buffer.from('a'), 'p.csv').expect(400);
    expect(bodyOf<ErrorBody>(field).details[0].field).toBe('files');
  });

  it('lists and filters households with pagination; ID numbers are masked', async () => {
    const r = bodyOf<Page<HouseholdItem>>(await http.get('/api/households?status=在保&pageSize=5&page=1').set(auth('viewer')).expect(200));
    expect(r.items).toHaveLength(5);
    expect(r.total).toBeGreaterThan(5);
    for (const h of r.items) {
      expect(h.status).toBe('active');
      expect(h.tenant.idNo).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    }
    // The filters against the ledger itself: exactly its households of that project, town and category.
    const projectOf = new Map(ledger('units').map((u) => [u['房源编号'], u['项目编号']]));
    const townOf = new Map(ledger('projects').map((x) => [x['项目编号'], x['所属镇街']]));
    const households = ledger('households').map((h) => ({ code: h['家庭编号'], category: h['保障类别'], project: projectOf.get(h['房源编号']) }));
    const codes = (items: { householdCode: string }[]) => items.map((h) => h.householdCode).sort();
    const p = bodyOf<Page<{ projectCode: string }>>(await http.get('/api/projects').set(auth('viewer')).expect(200));
    const projectCode = p.items[0].projectCode;
    const inProject = households.filter((h) => h.project === projectCode).map((h) => h.code).sort();
    expect(inProject.length).toBeGreaterThan(1);
    const byProject = bodyOf<Page<HouseholdItem>>(await http.get(`/api/households?project=${projectCode}&pageSize=500`).set(auth('viewer')).expect(200));
    expect(codes(byProject.items)).toEqual(inProject);
    const town = townOf.get(households.find((h) => h.category === '低保' && h.project)!.project!)!;
    const inTown = households.filter((h) => h.category === '低保' && h.project && townOf.get(h.project) === town).map((h) => h.code).sort();
    const byTown = bodyOf<Page<HouseholdItem>>(await http.get(`/api/households?town=${encodeURIComponent(town)}&category=低保&pageSize=500`).set(auth('viewer')).expect(200));
    expect(codes(byTown.items)).toEqual(inTown);
    expect(byTown.items.map((h) => h.category)).toEqual(inTown.map(() => 'dibao'));
    await http.get('/api/units?pageSize=3').set(auth('viewer')).expect(200);
  });

  it('shows ID numbers in clear only to a permitted role that states a purpose, and audits it', async () => {
    const masked = bodyOf<HouseholdDetail>(await http.get('/api/households/HH0000001').set(auth('reviewer')).expect(200));
    expect(masked.members[0].idNo).toContain('********');
    await http.get('/api/households/HH0000001?reveal=true').set(auth('reviewer')).expect(400);
    await http.get('/api/households/HH0000001?reveal=true&purpose=入户核查').set(auth('viewer')).expect(403);
    const clear = bodyOf<HouseholdDetail>(await http.get(`/api/households/HH0000001?reveal=true&purpose=${encodeURIComponent('入户核查')}`).set(auth('reviewer')).expect(200));
    expect(clear.members[0].idNo).toMatch(/^\d{17}[\dX]$/);
    const audit = bodyOf<Page<AuditEntry>>(await http.get('/api/audit?action=household.read.reveal').set(auth('auditor')).expect(200));
    expect(audit.items[0]).toMatchObject({ actor: 'reviewer-user', role: 'reviewer', purpose: '入户核查', entityType: 'household' });
    const reads = bodyOf<Page<AuditEntry>>(await http.get('/api/audit?action=household.read').set(auth('auditor')).expect(200));
    // The one masked read above (the reveal is audited under its own action).
    expect(reads.total).toBe(1);
  });

  it('updates a household and replaces its members (admin), audited with before and after', async () => {
    const before = bodyOf<HouseholdDetail>(await http.get('/api/households/HH0000002').set(auth('admin')).expect(200));
    const patched = await http
      .patch('/api/households/HH0000002')
      .set(auth('admin'))
      .send({ category: '低收入', leaseEnd: '2029-12-31', reason: '续租' })
      .expect(200);
    expect(patched.body).toMatchObject({ category: 'low_income', lease: { end: '2029-12-31' } });
    await http.patch('/api/households/HH0000002').set(auth('reviewer')).send({ category: '低保', reason: '测试' }).expect(403);

    const tenantId = makeIdNo('350581', '19750505', 501);
    const bad = await http
      .put('/api/households/HH0000002/members')
      .set(auth('admin'))
      .send({ members: [{ idNo: tenantId.slice(0, 17) + (tenantId[17] === '1' ? '2' : '1'), name: '甲', relation: '承租人' }, { idNo: tenantId, name: '乙', relation: '承租人' }], reason: '更正' })
      .expect(400);
    expect(bodyOf<ErrorBody>(bad).details).toEqual([{ field: 'members.0.idNo', reason: '身份证号校验位错误' }, { field: 'members', reason: '每户须恰有一名承租人（现有 2 名）' }]);
    const replaced = await http
      .put('/api/households/HH0000002/members')
      .set(auth('admin'))
      .send({ members: [{ idNo: ` ${tenantId.toLowerCase()} `, name: '新承租人', relation: '承租人' }], reason: '承租人变更' })
      .expect(200);
    expect(bodyOf<HouseholdDetail>(replaced).members).toEqual([expect.objectContaining({ name: '新承租人', relation: 'tenant', idNo: tenantId.slice(0, 6) + '********' + tenantId.slice(-4) })]);
    const audit = bodyOf<Page<AuditEntry<{ before: unknown[]; reason: string }>>>(
      await http.get('/api/audit?entityType=household&action=household.members.replace').set(auth('admin')).expect(200),
    );
    expect(audit.items[0].detail.before.length).toBe(before.members.length);
    expect(audit.items[0].detail.reason).toBe('承租人变更');
    expect(JSON.stringify(audit)).not.toContain(tenantId);
  });

  it('an uploaded ledger goes to disk as it arrives (not held in memory) and is removed once imported; an XLSX keeps its extension', async () => {
    const dir = tempDir('api-upload');
    const uploads = join(tmpdir(), 'phr-ledger-uploads');
    const before = existsSync(uploads) ? readdirSync(uploads) : [];
    const path = await writeXlsx(join(dir, 'projects.xlsx'), [['项目编号', '项目名称', '行政区划代码'], ['TPUP1', '上传项目', '350581']]);
    const r = bodyOf<ImportReport>(await http.post('/api/registry/import').set(auth('admin')).attach('files', readFileSync(path), 'projects.xlsx').expect(201));
    expect(r.files).toEqual([expect.objectContaining({ file: 'projects.xlsx', inserted: 1, rejected: 0 })]);
    expect(readdirSync(uploads).filter((f) => !before.includes(f))).toEqual([]);
  });

  it('lists an import batch\'s rejected rows with masked ID numbers', async () => {
    const dir = tempDir('api-bad');
    const bad = makeIdNo('350581', '19800101', 1).slice(0, 17) + '0';
    const path = writeCsv(join(dir, 'members.csv'), [['家庭编号', '身份证号', '姓名', '与承租人关系'], ['HH0000003', bad, '甲', '承租人']]);
    const r = bodyOf<ImportReport>(await http.post('/api/registry/import').set(auth('admin')).attach('files', readFileSync(path), 'members.csv').expect(201));
    const rej = bodyOf<Page<LedgerRejection>>(await http.get(`/api/registry/imports/${r.batchId}/rejections`).set(auth('auditor')).expect(200));
    expect(rej.items[0]).toMatchObject({ file: 'members.csv', line: 2 });
    expect(rej.items[0].raw['身份证号']).toBe(bad.slice(0, 6) + '********' + bad.slice(-4));
  });

  it('shows a rejected row with its known columns only: ID numbers masked in any column and in reasons, unknown columns dropped', async () => {
    const dir = tempDir('api-leak');
    const tenant = makeIdNo('350581', '19660606', 66);
    const other = makeIdNo('350581', '19770707', 77);
    const third = makeIdNo('350581', '19880808', 88);
    const path = writeCsv(join(dir, 'declarations.csv'), [
      ['家庭编号', '身份证号', '申报事项', '申报日期', '说明', '联系人', '备用证件'],
      ['NOPE01', tenant, '购房', '2026-01-01', `配偶身份证 ${other}，已购房`, '欧阳锋', third],
      [third, tenant, '车辆', '2026-01-02', '', '', ''],
    ]);
    const r = bodyOf<ImportReport>(await http.post('/api/registry/import').set(auth('admin')).attach('files', readFileSync(path), 'declarations.csv').expect(201));
    expect(r.files[0]).toMatchObject({ rejected: 2 });
    const rej = bodyOf<Page<LedgerRejection>>(await http.get(`/api/registry/imports/${r.batchId}/rejections`).set(auth('auditor')).expect(200));
    const mask = (id: string) => id.slice(0, 6) + '********' + id.slice(-4);
    expect(rej.items.map((i) => Object.keys(i.raw).sort())).toEqual([
      ['家庭编号', '身份证号', '申报事项', '申报日期', '说明'].sort(),
      ['家庭编号', '身份证号', '申报事项', '申报日期', '说明'].sort(),
    ]);
    expect(rej.items[0].raw['说明']).toBe(`配偶身份证 ${mask(other)}，已购房`);
    expect(rej.items[0].raw['身份证号']).toBe(mask(tenant));
    // An ID number typed into the household column: masked in the cell and in the reason quoting it.
    expect(rej.items[1].raw['家庭编号']).toBe(mask(third));
    expect(rej.items[1].reason).toBe(`未知家庭编号: ${mask(third)}`);
    const text = JSON.stringify(rej) + JSON.stringify(r);
    for (const id of [tenant, other, third]) expect(text).not.toContain(id);
    expect(text).not.toContain('欧阳');
  });

  it('an overflowing cell is a row rejection and an unexpected failure is the file\'s error, never a 500; the batch is closed', async () => {
    const dir = tempDir('api-overflow');
    const units = writeCsv(join(dir, 'units.csv'), [
      ['房源编号', '项目编号', '楼栋', '房号', '标准地址编码', '房屋坐落', '建筑面积', '居室数', '月租金'],
      ['XU1', 'NOPE', '1幢', '101', 'Z1', 'x', '12345678901234', '2', '300'],
    ]);
    const r = bodyOf<ImportReport>(await http.post('/api/registry/import').set(auth('admin')).attach('files', readFileSync(units), 'units.csv').expect(201));
    expect(r.files[0]).toMatchObject({ received: 1, rejected: 1, rejections: [{ line: 2, reason: '建筑面积: 数值超出可存储范围（绝对值须小于 100000000）: 12345678901234' }] });

    // A real database error no validation foresees (a trigger refusing a project): the file's error.
    const pg = new Client({ connectionString: t.dbUrl });
    await pg.connect();
    try {
      await pg.query(`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$`);
      await pg.query(`CREATE TRIGGER boom BEFORE INSERT ON project FOR EACH ROW EXECUTE FUNCTION boom()`);
      const projects = writeCsv(join(dir, 'projects.csv'), [['项目编号', '项目名称', '行政区划代码'], ['XP1', '项目', '350581']]);
      const b = bodyOf<ImportReport>(await http.post('/api/registry/import').set(auth('admin')).attach('files', readFileSync(projects), 'projects.csv').expect(201));
      expect(b.files[0].error).toMatch(/^导入失败（内部错误，整个文件未导入）: .*simulated failure/);
      const batch = await pg.query<{ finished_at: Date | null }>(`SELECT finished_at FROM import_batch WHERE id = $1`, [b.batchId]);
      expect(batch.rows[0].finished_at).not.toBeNull();
      const audit = bodyOf<Page<AuditEntry>>(await http.get('/api/audit?action=registry.import').set(auth('auditor')).expect(200));
      expect(audit.items.map((i) => i.entityId)).toContain(String(b.batchId));
    } finally {
      await pg.query(`DROP TRIGGER IF EXISTS boom ON project; DROP FUNCTION IF EXISTS boom()`);
      await pg.end();
    }
  });

  it('manages tokens: created once, usable, revocable', async () => {
    const created = bodyOf<CreatedToken>(await http.post('/api/tokens').set(auth('admin')).send({ name: 'ops', role: 'viewer' }).expect(201));
    await http.get('/api/projects').set('Authorization', `Bearer ${created.token}`).expect(200);
    await http.delete(`/api/tokens/${created.id}`).set(auth('admin')).expect(200);
    await http.get('/api/projects').set('Authorization', `Bearer ${created.token}`).expect(401);
    const list = await http.get('/api/tokens').set(auth('admin')).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(created.token);
    await http.post('/api/tokens').set(auth('admin')).send({ name: 'x', role: 'god' }).expect(400);
  });
});
