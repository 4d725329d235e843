import request from 'supertest';
import ExcelJS from 'exceljs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Pool } from 'pg';
import { cliActor } from '../../src/auth/actor';
import { currentTimeZone } from '../../src/common/clock';
import { generateCity } from '../../src/generator/city-generator';
import { RegistryImportService } from '../../src/registry/registry-import.service';
import { bodyOf, ErrorBody } from '../support/api';
import { tempDir } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';

/** ID numbers in clear: 17 digits and a check character (masked ones carry asterisks). */
const CLEAR_ID = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/;
/** Filler households for the export that is cut off part-way (enough rows to outlast socket buffers). */
const FILLER = 60_000;

/** A row of audit_log as these tests read it. */
interface AuditRow<D = Record<string, unknown>> {
  id: string;
  entity_id: string | null;
  purpose: string | null;
  detail: D;
}

/** A household member as the household's detail shows it. */
interface MemberView {
  relation: string;
  birthYear?: number;
  birthDate?: string;
}

describe('personal data leaves only after its audit row (e2e)', () => {
  let t: TestApp;
  let api: ReturnType<typeof request>;
  let pool: Pool;
  let tenantCode: string;
  const auth = (role: keyof TestApp['tokens']) => ({ Authorization: `Bearer ${t.tokens[role]}` });
  const auditRows = async <D = Record<string, unknown>>(action: string) =>
    (await pool.query<AuditRow<D>>(`SELECT id::text, entity_id, purpose, detail FROM audit_log WHERE action = $1 ORDER BY id`, [action])).rows;

  beforeAll(async () => {
    const city = tempDir('disclosure-city');
    await generateCity({ households: 40, seed: 11, outDir: city, json: false, asOf: '2026-11-01' });
    t = await startTestApp('disclosure', { EXPORT_CONCURRENCY: '1' });
    api = request(t.app.getHttpServer());
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    await t.app.get(RegistryImportService).importDirectory(join(city, 'registry'), cliActor());
    // Every 在保 household overdue; one tenant's name is a spreadsheet formula.
    await pool.query(
      `INSERT INTO "case" (household_id, kind, status, nature, confirmed_at, notice_at, deadline, overdue_at)
       SELECT id, 'exit', 'overdue', 'eligibility', DATE '2026-05-01', DATE '2026-05-17', DATE '2026-08-15', DATE '2026-08-16'
         FROM household WHERE status = 'active'`,
    );
    tenantCode = (
      await pool.query<{ code: string }>(
        `UPDATE member SET name = '=HYPERLINK("http://evil.example","点我")'
          WHERE (household_id, person_id) = (SELECT m.household_id, m.person_id FROM member m JOIN household h ON h.id = m.household_id
                                              WHERE m.relation = 'tenant' AND h.status = 'active' ORDER BY h.id LIMIT 1)
          RETURNING (SELECT household_code FROM household WHERE id = member.household_id) AS code`,
      )
    ).rows[0].code;
  }, 120_000);
  afterAll(async () => {
    await pool.end();
    await t.close();
  });

  // Control characters are refused with the URL, before any route; the rest by the purpose rule.
  it.each([
    ['NUL bytes', '%00%00', '(url)'],
    ['control characters', '%01%02%03', '(url)'],
    ['zero-width spaces', encodeURIComponent('\u200b\u200b\u200b'), 'purpose'],
    ['a zero-width joiner inside words', encodeURIComponent('演\u200d示'), 'purpose'],
    ['a right-to-left override', encodeURIComponent('\u202e演示'), 'purpose'],
    ['digits only', '12345', 'purpose'],
    ['one letter', encodeURIComponent('查'), 'purpose'],
    ['blank', '%20%20%20', 'purpose'],
  ])('refuses a reveal whose purpose is %s: 400, no ID in clear, nothing audited', async (_label, purpose, field) => {
    const before = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;
    for (const path of [`/api/exports/overdue?format=csv&`, `/api/households/${tenantCode}?`, `/api/households?`, `/api/households/${tenantCode}/verdict?`]) {
      const res = await api.get(`${path}reveal=true&purpose=${purpose}`).set(auth('admin'));
      expect(res.status).toBe(400);
      expect(bodyOf<ErrorBody>(res).details.map((d) => d.field)).toEqual([field]);
      expect(res.text).not.toMatch(CLEAR_ID);
    }
    expect((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n).toBe(before);
  });

  it('a reveal without a purpose is 400; with 演示 it shows ID numbers and is audited first, then its outcome', async () => {
    const missing = await api.get('/api/exports/overdue?format=csv&reveal=true').set(auth('admin')).expect(400);
    expect(bodyOf<ErrorBody>(missing).details).toEqual([{ field: 'purpose', reason: '必填（reveal=true 时）' }]);

    const active = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM household WHERE status = 'active'`)).rows[0].n;
    const res = await api.get(`/api/exports/overdue?format=csv&reveal=true&purpose=${encodeURIComponent('演示')}`).set(auth('admin')).expect(200);
    expect(res.text).toMatch(CLEAR_ID);
    const lines = res.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(1 + active);

    const [request] = await auditRows('export.overdue.reveal');
    expect(request.purpose).toBe('演示');
    expect(request.detail).toEqual({ format: 'csv', filter: {}, on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown, reveal: true });
    const [end] = await auditRows('export.overdue.reveal.end');
    expect(end.entity_id).toBe(request.id);
    expect(end.detail).toEqual({ request: request.id, outcome: 'complete', rows: active });
    expect(BigInt(end.id)).toBeGreaterThan(BigInt(request.id));
  });

  it('neutralises formulas in CSV cells and keeps them as text in XLSX', async () => {
    const csv = await api.get('/api/exports/overdue?format=csv').set(auth('viewer')).expect(200);
    const row = csv.text.split('\r\n').find((l) => l.includes('HYPERLINK'))!;
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(csv.text).not.toMatch(/(^|,)"?=HYPERLINK/m);

    const res = await api.get('/api/exports/overdue?format=xlsx').set(auth('viewer')).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const cells: ExcelJS.Cell[] = [];
    wb.worksheets[0].eachRow((r) => r.eachCell((c) => cells.push(c)));
    const formula = cells.find((c) => typeof c.value === 'string' && c.value.includes('HYPERLINK'))!;
    expect(formula.type).toBe(ExcelJS.ValueType.String);
    expect(formula.value).toBe('=HYPERLINK("http://evil.example","点我")');
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false);
  });

  it('returns birth year, not the birth date a masked ID number hides, unless revealed', async () => {
    const masked = await api.get(`/api/households/${tenantCode}`).set(auth('viewer')).expect(200);
    const { birth_date } = (
      await pool.query<{ birth_date: string }>(
        `SELECT p.birth_date::text FROM person p JOIN member m ON m.person_id = p.id JOIN household h ON h.id = m.household_id
          WHERE h.household_code = $1 AND m.relation = 'tenant'`,
        [tenantCode],
      )
    ).rows[0];
    const tenant = bodyOf<{ members: MemberView[] }>(masked).members.find((m) => m.relation === 'tenant')!;
    expect(tenant.birthYear).toBe(Number(birth_date.slice(0, 4)));
    expect(tenant).not.toHaveProperty('birthDate');
    // Nowhere in the response, in any form: 1985-03-07 or 19850307.
    expect(masked.text).not.toContain(birth_date);
    expect(masked.text).not.toContain(birth_date.replace(/-/g, ''));

    const clear = await api.get(`/api/households/${tenantCode}?reveal=true&purpose=${encodeURIComponent('入户核查')}`).set(auth('reviewer')).expect(200);
    expect(bodyOf<{ members: MemberView[] }>(clear).members.find((m) => m.relation === 'tenant')!.birthDate).toBe(birth_date);
  });

  it('finds a reveal in the audit log by household code, action and Asia/Shanghai days', async () => {
    await api.get(`/api/households/${tenantCode}?reveal=true&purpose=${encodeURIComponent('复核身份')}`).set(auth('admin')).expect(200);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('sv-SE', { timeZone: currentTimeZone() });
    const list = async (query: string) => bodyOf<{ total: number; items: { action: string; purpose: string | null; entityId: string | null }[] }>(await api.get(`/api/audit?${query}`).set(auth('auditor')).expect(200));
    const found = await list(`household=${tenantCode}&action=household.read.reveal&from=${day(-1)}&to=${day(0)}`);
    expect(found.items.map((i) => i.purpose)).toContain('复核身份');
    expect(found.items.every((i) => i.action === 'household.read.reveal')).toBe(true);
    expect((await list(`household=${tenantCode}&action=household.read.reveal&from=${day(1)}`)).total).toBe(0);
    expect((await list(`household=${tenantCode}&action=household.read.reveal&to=${day(-1)}`)).total).toBe(0);
    expect((await list(`household=HH9999999&action=household.read.reveal`)).total).toBe(0);
    const bad = await api.get('/api/audit?from=2026-02-30&to=2026-13-01').set(auth('auditor')).expect(400);
    expect(bodyOf<ErrorBody>(bad).details.map((d) => d.field).sort()).toEqual(['from', 'to']);
    const reversed = await api.get(`/api/audit?from=${day(0)}&to=${day(-1)}`).set(auth('auditor')).expect(400);
    expect(bodyOf<ErrorBody>(reversed).details).toEqual([{ field: 'from', reason: '开始日期不能晚于结束日期' }]);
    await api.get('/api/audit?colour=red').set(auth('auditor')).expect(400);
  });

  it('rejects unknown query parameters by name', async () => {
    const res = await api.get('/api/exports/overdue?format=csv&colour=red').set(auth('viewer')).expect(400);
    expect(bodyOf<ErrorBody>(res).details).toEqual([{ field: 'colour', reason: '未知参数' }]);
    const fmt = await api.get('/api/exports/summary?format=pdf').set(auth('viewer')).expect(400);
    expect(bodyOf<ErrorBody>(fmt).details.map((d) => d.field)).toEqual(['format']);
  });

  describe('an export cut off part-way', () => {
    let server: http.Server;
    beforeAll(async () => {
      await pool.query(
        `WITH h AS (INSERT INTO household (household_code, status, category) SELECT 'FILL' || g, 'active', 'dibao' FROM generate_series(1, $1::int) g RETURNING id)
         INSERT INTO "case" (household_id, kind, status, nature, confirmed_at, notice_at, deadline, overdue_at)
         SELECT id, 'exit', 'overdue', 'violation', DATE '2026-05-01', DATE '2026-05-17', DATE '2026-06-16', DATE '2026-06-17' FROM h`,
        [FILLER],
      );
      server = t.app.getHttpServer();
    });

    /** Starts a download, reads until a few data rows have come, and leaves the rest unread (paused). */
    const startDownload = (path: string) =>
      new Promise<{ req: http.ClientRequest; res: http.IncomingMessage; first: Buffer }>((resolve, reject) => {
        const { port } = server.address() as AddressInfo;
        const req = http.get({ host: '127.0.0.1', port, path, headers: auth('admin') }, (res) => {
          const chunks: Buffer[] = [];
          const onData = (chunk: Buffer) => {
            chunks.push(chunk);
            const first = Buffer.concat(chunks);
            if (first.toString('utf8').split('\r\n').length < 4) return;
            res.pause();
            res.off('data', onData);
            resolve({ req, res, first });
          };
          res.on('data', onData);
        });
        req.on('error', reject);
      });

    it('has its request audited before the first byte, and an aborted outcome after the client leaves', async () => {
      const path = `/api/exports/overdue?format=csv&reveal=true&purpose=${encodeURIComponent('上报核对')}`;
      const { req, res, first } = await startDownload(path);
      expect(res.statusCode).toBe(200);
      expect(first.toString('utf8')).toContain('序号');
      // The request entry is committed while the download is still under way.
      const [requested] = (await auditRows('export.overdue.reveal')).filter((r) => r.purpose === '上报核对');
      expect(requested).toBeDefined();
      expect(requested.detail.reveal).toBe(true);
      expect(await auditRows('export.overdue.reveal.end').then((rows) => rows.filter((r) => r.entity_id === requested.id))).toEqual([]);

      // A second heavy export while this one holds the only slot: 429 with Retry-After.
      const busy = await api.get('/api/exports/cases?format=csv').set(auth('viewer'));
      expect(busy.status).toBe(429);
      expect(busy.headers['retry-after']).toBe('5');

      req.destroy();
      let end: { detail: { outcome: string; rows: number; request: string } } | undefined;
      for (let i = 0; i < 100 && !end; i++) {
        await new Promise((r) => setTimeout(r, 100));
        end = (await auditRows<{ outcome: string; rows: number; request: string }>('export.overdue.reveal.end')).find((r) => r.entity_id === requested.id);
      }
      expect(end!.detail.outcome).toBe('aborted');
      expect(end!.detail.request).toBe(requested.id);
      expect(end!.detail.rows).toBeGreaterThanOrEqual(3);
      expect(end!.detail.rows).toBeLessThan(FILLER);
      // The slot is free again.
      await api.get('/api/exports/summary?format=csv').set(auth('viewer')).expect(200);
    }, 60_000);
  });
});
