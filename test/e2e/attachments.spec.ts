import request from 'supertest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { Pool } from 'pg';
import { UPLOAD_DIR } from '../../src/attachments/attachment-upload.interceptor';
import { TokenService } from '../../src/auth/token.service';
import { generateCity } from '../../src/generator/city-generator';
import { bodyOf, ErrorBody } from '../support/api';
import { dropFeeds } from '../support/city';
import { pinToday, unpinToday } from '../support/clock';
import { tempDir } from '../support/files';
import { loadCity, readScenarios, Scenario } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';

interface Attachment {
  id: string;
  kind: string;
  contentType: string;
  size: number;
  sha256: string;
  note: string | null;
  withdrawn: boolean;
  withdrawnBy: string | null;
  withdrawReason: string | null;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A 1×1 grey JPEG (JFIF, baseline enough for any viewer). */
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

/** A 1×1 white PNG: signature, IHDR, IDAT (zlib), IEND with their CRCs. */
function png(): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = table[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 0xff]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF with its cross-reference table at the right offsets. */
function pdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    '<< /Length 0 >>\nstream\n\nendstream',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Binary bodies as Buffers. */
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('case attachments: evidence and contest materials checked by content, stored with their hash, audited, withdrawn (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let pool: Pool;
  let scenarios: Scenario[];
  let store: string;
  let caseId: string;
  /** A reviewer scoped to a town that holds none of the city's cases. */
  let elsewhere: string;
  const auth = (role: keyof TestApp['tokens']) => ({ Authorization: `Bearer ${t.tokens[role]}` });
  const upload = (role: keyof TestApp['tokens'] | { Authorization: string }, kind: string, files: { bytes: Buffer; name: string; type: string }[], note?: string) => {
    let req = http.post(`/api/cases/${caseId}/attachments`).set(typeof role === 'string' ? auth(role) : role).field('kind', kind);
    if (note) req = req.field('note', note);
    for (const f of files) req = req.attach('files', f.bytes, { filename: f.name, contentType: f.type });
    return req;
  };
  const list = async () => bodyOf<{ items: Attachment[] }>(await http.get(`/api/cases/${caseId}/attachments`).set(auth('viewer')).expect(200)).items;
  const download = (id: string, role: keyof TestApp['tokens']) => http.get(`/api/cases/${caseId}/attachments/${id}`).set(auth(role)).buffer(true).parse(binary);
  const rows = async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_attachment`)).rows[0].n;
  const audits = async (action: string) =>
    (await pool.query<{ entity_id: string; actor: string; detail: Record<string, unknown> }>(`SELECT entity_id, actor, detail FROM audit_log WHERE action = $1 ORDER BY id`, [action])).rows;

  beforeAll(async () => {
    const today = pinToday();
    const city = tempDir('attachments-city');
    await generateCity({ households: 90, seed: 5, outDir: city, json: false, asOf: today });
    scenarios = readScenarios(city);
    store = tempDir('attachments-store');
    t = await startTestApp('attachments', { APP_ROLE: 'all', FEED_DROP_DIR: dropFeeds(city, 'attachments-drop'), DOCUMENT_DIR: store, RATE_LIMIT_REQUESTS: '100000' });
    http = request(t.app.getHttpServer());
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    await loadCity(t.app, city, 'attachments');
    const code = scenarios.find((s) => s.scenario === 'vehicle_over')!.householdCode;
    caseId = bodyOf<{ items: { id: string }[] }>(await http.get(`/api/cases?householdCode=${code}`).set(auth('viewer')).expect(200)).items[0].id;
    elsewhere = (await t.app.get(TokenService).create('reviewer-elsewhere', 'reviewer', 'test', null, undefined, { towns: ['不存在镇'], projects: [] })).token;
  }, 240_000);
  afterAll(async () => {
    unpinToday();
    await pool.end();
    await t.close();
  });

  const photo = JPEG;
  const form = pdf();
  let uploaded: Attachment[];

  it('stores a JPEG and a PDF with their SHA-256, a timeline entry and an audit entry; lists them without names or bytes', async () => {
    const res = await upload('admin', 'inspection', [
      { bytes: photo, name: '现场照片.jpg', type: 'image/jpeg' },
      { bytes: form, name: '签字核查表.pdf', type: 'application/pdf' },
    ], '入户核查现场照片及签字表').expect(201);
    uploaded = bodyOf<{ items: Attachment[] }>(res).items;
    expect(uploaded).toMatchObject([
      { kind: 'inspection', contentType: 'image/jpeg', size: photo.length, sha256: sha256(photo), note: '入户核查现场照片及签字表', withdrawn: false },
      { kind: 'inspection', contentType: 'application/pdf', size: form.length, sha256: sha256(form), withdrawn: false },
    ]);
    const listed = await list();
    expect(listed.map((a) => [a.id, a.sha256, a.contentType])).toEqual(uploaded.map((a) => [a.id, sha256(a.id === uploaded[0].id ? photo : form), a.contentType]));
    for (const name of ['现场照片.jpg', '签字核查表.pdf']) expect(JSON.stringify(listed)).not.toContain(name);
    const events = await pool.query<{ action: string; reason: string; detail: { attachments: { id: string }[] } }>(`SELECT action, reason, detail FROM case_event WHERE case_id = $1 AND action = 'attach'`, [caseId]);
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0].detail.attachments.map((a) => a.id)).toEqual(uploaded.map((a) => a.id));
    const timeline = bodyOf<{ timeline: { action: string }[] }>(await http.get(`/api/cases/${caseId}`).set(auth('viewer')).expect(200)).timeline;
    expect(timeline.map((e) => e.action)).toContain('attach');
    expect((await audits('attachment.upload')).map((a) => a.entity_id)).toEqual([caseId]);
    // Outside the rows: the bytes in the store, by their key.
    const keys = (await pool.query<{ storage_key: string }>(`SELECT storage_key FROM case_attachment ORDER BY id`)).rows.map((r) => r.storage_key);
    expect(keys.map((k) => sha256(readFileSync(join(store, k))))).toEqual([sha256(photo), sha256(form)]);
  });

  it('sends the bytes with the sniffed type and the file name, after an audit entry', async () => {
    expect(await audits('attachment.download')).toEqual([]);
    const res = await download(uploaded[1].id, 'inspector').expect(200);
    expect(Buffer.compare(res.body as Buffer, form)).toBe(0);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('签字核查表.pdf')}`);
    const audited = await audits('attachment.download');
    expect(audited).toEqual([{ entity_id: uploaded[1].id, actor: 'inspector-user', detail: expect.objectContaining({ caseId, sha256: sha256(form) }) as object }]);
    const jpeg = await download(uploaded[0].id, 'auditor').expect(200);
    expect(Buffer.compare(jpeg.body as Buffer, photo)).toBe(0);
    expect(jpeg.headers['content-type']).toBe('image/jpeg');
    await download(uploaded[0].id, 'viewer').expect(403);
    await download('999999', 'admin').expect(404);
    expect(await audits('attachment.download')).toHaveLength(2);
  });

  it('withdraws with a reason: listed as withdrawn, still stored and downloadable, never deleted; not twice', async () => {
    await http.post(`/api/cases/${caseId}/attachments/${uploaded[0].id}/withdraw`).set(auth('inspector')).send({ reason: '照片模糊' }).expect(403);
    await http.post(`/api/cases/${caseId}/attachments/${uploaded[0].id}/withdraw`).set(auth('reviewer')).send({}).expect(400);
    const res = await http.post(`/api/cases/${caseId}/attachments/${uploaded[0].id}/withdraw`).set(auth('reviewer')).send({ reason: '照片模糊，重新拍摄' }).expect(201);
    expect(bodyOf<Attachment>(res)).toMatchObject({ id: uploaded[0].id, withdrawn: true, withdrawnBy: 'reviewer-user', withdrawReason: '照片模糊，重新拍摄' });
    expect((await list()).map((a) => [a.id, a.withdrawn])).toEqual([
      [uploaded[0].id, true],
      [uploaded[1].id, false],
    ]);
    const again = await http.post(`/api/cases/${caseId}/attachments/${uploaded[0].id}/withdraw`).set(auth('admin')).send({ reason: '再次撤回' }).expect(409);
    expect(bodyOf<ErrorBody>(again).message).toContain('已于');
    const bytes = await download(uploaded[0].id, 'admin').expect(200);
    expect(Buffer.compare(bytes.body as Buffer, photo)).toBe(0);
    const key = (await pool.query<{ storage_key: string }>(`SELECT storage_key FROM case_attachment WHERE id = $1`, [uploaded[0].id])).rows[0].storage_key;
    expect(existsSync(join(store, key))).toBe(true);
    // The database keeps them too, whoever asks: no DELETE, no TRUNCATE, no second withdrawal, no other change.
    await expect(pool.query(`DELETE FROM case_attachment WHERE id = $1`, [uploaded[1].id])).rejects.toThrow('never deleted');
    await expect(pool.query(`TRUNCATE case_attachment`)).rejects.toThrow('never deleted');
    await expect(pool.query(`UPDATE case_attachment SET sha256 = 'x' WHERE id = $1`, [uploaded[1].id])).rejects.toThrow('may only be withdrawn');
    await expect(pool.query(`UPDATE case_attachment SET withdraw_reason = '改写' WHERE id = $1`, [uploaded[0].id])).rejects.toThrow('may only be withdrawn');
    const events = await pool.query<{ reason: string; actor: string }>(`SELECT reason, actor FROM case_event WHERE case_id = $1 AND action = 'withdraw_attachment'`, [caseId]);
    expect(events.rows).toEqual([{ reason: '照片模糊，重新拍摄', actor: 'reviewer-user' }]);
    expect((await audits('attachment.withdraw')).map((a) => a.entity_id)).toEqual([uploaded[0].id]);
  });

  it('takes the type from the content: a PNG named .pdf is a PNG; a ZIP, an EXE or HTML named .jpg is refused with the reason', async () => {
    const image = png();
    const res = await upload('inspector', 'inspection', [{ bytes: image, name: 'scan.pdf', type: 'application/pdf' }]).expect(201);
    expect(bodyOf<{ items: Attachment[] }>(res).items).toMatchObject([{ contentType: 'image/png', sha256: sha256(image), size: image.length }]);
    const png1 = await download(bodyOf<{ items: Attachment[] }>(res).items[0].id, 'reviewer').expect(200);
    expect(png1.headers['content-type']).toBe('image/png');
    expect(png1.headers['content-disposition']).toContain(encodeURIComponent('scan.pdf.png'));

    const before = await rows();
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60)]);
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60)]);
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    for (const bytes of [zip, exe, html]) {
      const bad = await upload('reviewer', 'contest', [{ bytes, name: 'photo.jpg', type: 'image/jpeg' }]).expect(400);
      expect(bodyOf<ErrorBody>(bad).details).toEqual([{ field: 'files[0]', reason: expect.stringContaining('不是 JPEG、PNG 或 PDF') as string }]);
    }
    // One bad file refuses the whole upload: nothing is stored.
    const mixed = await upload('reviewer', 'contest', [
      { bytes: form, name: '申辩书.pdf', type: 'application/pdf' },
      { bytes: html, name: 'x.png', type: 'image/png' },
    ]).expect(400);
    expect(bodyOf<ErrorBody>(mixed).details).toEqual([{ field: 'files[1]', reason: expect.stringContaining('x.png') as string }]);
    expect(await rows()).toBe(before);
  });

  it('refuses an oversized file, too many files, no file, a bad kind or event, with Chinese reasons', async () => {
    const before = await rows();
    const big = Buffer.concat([JPEG, Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await upload('reviewer', 'contest', [{ bytes: big, name: 'big.jpg', type: 'image/jpeg' }]).expect(400);
    expect(bodyOf<ErrorBody>(tooBig).details).toEqual([{ field: 'files', reason: '单个文件不得超过 10 MB' }]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ bytes: JPEG, name: `${i}.jpg`, type: 'image/jpeg' }));
    expect(bodyOf<ErrorBody>(await upload('reviewer', 'contest', eleven).expect(400)).details).toEqual([{ field: 'files', reason: '一次最多上传 10 个文件' }]);
    expect(bodyOf<ErrorBody>(await upload('reviewer', 'contest', []).expect(400)).details).toEqual([{ field: 'files', reason: '至少一个 JPEG、PNG 或 PDF 文件' }]);
    expect(bodyOf<ErrorBody>(await upload('reviewer', 'contest', [{ bytes: Buffer.alloc(0), name: 'a.jpg', type: 'image/jpeg' }]).expect(400)).details).toEqual([
      { field: 'files[0]', reason: '「a.jpg」是空文件（0 字节）' },
    ]);
    expect(bodyOf<ErrorBody>(await upload('reviewer', 'photos', [{ bytes: JPEG, name: 'a.jpg', type: 'image/jpeg' }]).expect(400)).details).toEqual([
      { field: 'kind', reason: expect.any(String) as string },
    ]);
    const wrongEvent = await http
      .post(`/api/cases/${caseId}/attachments`)
      .set(auth('reviewer'))
      .field('kind', 'contest')
      .field('eventId', '999999')
      .attach('files', JPEG, { filename: 'a.jpg', contentType: 'image/jpeg' })
      .expect(400);
    expect(bodyOf<ErrorBody>(wrongEvent).details).toEqual([{ field: 'eventId', reason: '本案件没有编号为 999999 的时间线记录' }]);
    // A note past multer's field limit names the note, not the files.
    const hugeNote = await upload('reviewer', 'contest', [{ bytes: JPEG, name: 'a.jpg', type: 'image/jpeg' }], '很'.repeat(2000)).expect(400);
    expect(bodyOf<ErrorBody>(hugeNote).details).toEqual([{ field: 'note', reason: '过长（最多 4096 字节）' }]);
    expect(await rows()).toBe(before);
    // multer's temporary files are gone, whatever the answer.
    expect(existsSync(UPLOAD_DIR) ? readdirSync(UPLOAD_DIR) : []).toEqual([]);
  });

  it('records a contest upload against a timeline entry; refuses an inspector contest materials (403), a viewer (403), another town (404)', async () => {
    const event = (await pool.query<{ id: string }>(`SELECT id::text FROM case_event WHERE case_id = $1 ORDER BY id LIMIT 1`, [caseId])).rows[0].id;
    const contest = await http
      .post(`/api/cases/${caseId}/attachments`)
      .set(auth('reviewer'))
      .field('kind', 'contest')
      .field('eventId', event)
      .field('note', '住户提交的申辩书')
      .attach('files', form, { filename: '申辩书.pdf', contentType: 'application/pdf' })
      .expect(201);
    expect(bodyOf<{ items: (Attachment & { eventId: string })[] }>(contest).items).toMatchObject([{ kind: 'contest', eventId: event, contentType: 'application/pdf' }]);

    const before = await rows();
    const inspector = await upload('inspector', 'contest', [{ bytes: form, name: '申辩书.pdf', type: 'application/pdf' }]).expect(403);
    expect(bodyOf<ErrorBody>(inspector).message).toContain('核查员只能上传核查取证材料');
    await upload('viewer', 'inspection', [{ bytes: JPEG, name: 'a.jpg', type: 'image/jpeg' }]).expect(403);
    await upload('auditor', 'inspection', [{ bytes: JPEG, name: 'a.jpg', type: 'image/jpeg' }]).expect(403);
    const other = { Authorization: `Bearer ${elsewhere}` };
    await upload(other, 'contest', [{ bytes: JPEG, name: 'a.jpg', type: 'image/jpeg' }]).expect(404);
    await http.get(`/api/cases/${caseId}/attachments`).set(other).expect(404);
    await http.get(`/api/cases/${caseId}/attachments/${uploaded[1].id}`).set(other).expect(404);
    await http.post(`/api/cases/${caseId}/attachments/${uploaded[1].id}/withdraw`).set(other).send({ reason: '越权撤回' }).expect(404);
    expect(await rows()).toBe(before);
    expect((await list()).find((a) => a.id === uploaded[1].id)!.withdrawn).toBe(false);
  });
});
