import request from 'supertest';
import { join } from 'node:path';
import { QueueService } from '../../jobs/queue.service';
import { cliActor } from '../../src/auth/actor';
import { generateCity } from '../../src/generator/city-generator';
import { RegistryImportService } from '../../src/registry/registry-import.service';
import { SourcesService } from '../../src/sources/sources.service';
import { declaredResponses, errorBodyOf } from '../../src/common/openapi';
import { bodyOf, Page } from '../support/api';
import { tempDir } from '../support/files';
import { dropFeeds } from '../support/city';
import { pinToday, unpinToday } from '../support/clock';
import { drainQueues, runAndSyncCases } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';

/** A route template as a pattern: `/api/cases/:id` matches `/api/cases/12`. */
const pattern = (route: string) => new RegExp(`^${route.replace(/:[^/]+/g, '[^/]+')}$`);

/**
 * The document tells the truth: every JSON answer of a populated service, GET routes and the
 * writes a console makes, parses with the zod schema its route declares (ApiZodResponse), and
 * every declared JSON GET route is called.
 */
describe('declared responses match what the routes answer (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let batchId: number;
  let today: string;
  const auth = (role: keyof TestApp['tokens']) => ({ Authorization: `Bearer ${t.tokens[role]}` });

  beforeAll(async () => {
    today = pinToday();
    const city = tempDir('openapi-city');
    await generateCity({ households: 60, seed: 7, outDir: city, json: false, asOf: today });
    t = await startTestApp('openapi_resp', { APP_ROLE: 'all', FEED_DROP_DIR: dropFeeds(city, 'openapi-drop') });
    http = request(t.app.getHttpServer());
    batchId = (await t.app.get(RegistryImportService).importDirectory(join(city, 'registry'), cliActor())).batchId;
    const sources = t.app.get(SourcesService);
    await Promise.all((await sources.trigger('all', { mode: 'incremental', trigger: 'test', requestKey: 'o' })).map((j) => sources.waitFor(j)));
    const queues = t.app.get(QueueService);
    await drainQueues(queues);
    await runAndSyncCases(queues, { full: true, trigger: 'test', requestKey: 'openapi' });
  }, 180_000);
  afterAll(async () => {
    unpinToday();
    await t.close();
  });

  it('answers what each route declares, field by field', async () => {
    const declared = declaredResponses();
    const doc = (await http.get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const seen: { method: string; path: string; status: number; body: unknown }[] = [];
    const get = async (path: string, role: keyof TestApp['tokens'] = 'admin') => {
      const r = await http.get(path).set(auth(role));
      seen.push({ method: 'GET', path, status: r.status, body: r.body as unknown });
      return r;
    };
    const send = async (method: 'post' | 'put' | 'patch' | 'delete', path: string, body: object, role: keyof TestApp['tokens'] = 'admin') => {
      const r = await http[method](path).set(auth(role)).send(body);
      seen.push({ method: method.toUpperCase(), path, status: r.status, body: r.body as unknown });
      return r;
    };
    await get('/health');
    await get('/api/auth/me');
    const userId = bodyOf<{ user: { id: number } }>(await send('post', '/api/users', { username: 'clerk01', role: 'reviewer', towns: ['T1'] })).user.id;
    await get('/api/users');
    await get(`/api/users/${userId}`);
    await send('patch', `/api/users/${userId}`, { displayName: '张三' });
    await send('post', `/api/users/${userId}/reset-password`, {});
    await send('post', `/api/users/${userId}/disable`, {});
    const tok = await send('post', '/api/tokens', { name: 'x', role: 'viewer' });
    await get('/api/tokens');
    await send('delete', `/api/tokens/${(tok.body as { id: number }).id}`, {});
    await get('/api/audit?pageSize=5');
    const cases = await get('/api/cases?pageSize=5');
    const caseId = bodyOf<Page<{ id: string; householdCode: string }>>(cases).items[0].id;
    await get(`/api/cases/${caseId}`);
    await get('/api/cases/queues');
    await get('/api/dashboard');
    const assignees = bodyOf<{ id: number }[]>(await get(`/api/cases/${caseId}/assignees`));
    await send('put', `/api/cases/${caseId}/assignee`, { userId: assignees[0]?.id ?? null }, 'reviewer');
    await send('post', `/api/cases/${caseId}/actions/confirm`, { reason: '核实' }, 'reviewer');
    await get('/api/templates');
    // The confirmation's notice (a queued job) and a batch of that kind, each waited for.
    for (let i = 0; i < 100 && !bodyOf<{ items: unknown[] }>(await http.get(`/api/cases/${caseId}/documents`).set(auth('admin'))).items.length; i++) await new Promise((r) => setTimeout(r, 100));
    await get(`/api/cases/${caseId}/documents`);
    // An attachment (multipart), the list with it, its withdrawal.
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
    const up = await http.post(`/api/cases/${caseId}/attachments`).set(auth('reviewer')).field('kind', 'contest').attach('files', jpeg, { filename: '申辩.jpg', contentType: 'image/jpeg' });
    seen.push({ method: 'POST', path: `/api/cases/${caseId}/attachments`, status: up.status, body: up.body as unknown });
    await get(`/api/cases/${caseId}/attachments`);
    await send('post', `/api/cases/${caseId}/attachments/${bodyOf<{ items: { id: string }[] }>(up).items[0].id}/withdraw`, { reason: '重复上传' }, 'reviewer');
    const docBatch = bodyOf<{ id: string }>(await send('post', '/api/documents/batch', { kind: 'exit_determination', filter: {} }, 'reviewer')).id;
    const batchStatus = async () => bodyOf<{ status: string }>(await http.get(`/api/documents/batches/${docBatch}`).set(auth('reviewer'))).status;
    for (let i = 0; i < 100 && (await batchStatus()) !== 'completed'; i++) await new Promise((r) => setTimeout(r, 100));
    await get(`/api/documents/batches/${docBatch}`, 'reviewer');
    const runs = await get('/api/recompute/runs');
    const runId = (runs.body as { id: string }[])[0].id;
    await get(`/api/recompute/runs/${runId}/changes`);
    const findings = await get('/api/findings?pageSize=5');
    await get('/api/findings/counts');
    const hh = bodyOf<Page<{ householdCode: string }>>(findings).items[0].householdCode;
    await get(`/api/households/${hh}/verdict`);
    await get(`/api/households/${hh}/history`);
    const sample = await send('post', '/api/samples', { seed: 's', rate: 0.2 }, 'reviewer');
    const sid = (sample.body as { id: number }).id;
    await get(`/api/samples/${sid}`);
    await get(`/api/samples/${sid}/discrepancies`);
    await get('/api/samples?pageSize=5');
    await get('/api/audit?action=sample.draw&from=2026-01-01');
    await get('/api/policies');
    const draftId = bodyOf<{ id: number }>(await send('post', '/api/policies/drafts', { name: '草案', parameters: { incomePerCapita: 40_000 } })).id;
    await send('patch', `/api/policies/drafts/${draftId}`, { name: '草案（改）' });
    await get('/api/policies/drafts');
    await get(`/api/policies/drafts/${draftId}`);
    // A comparison and a sweep, each waited for until its shards are done.
    for (const body of [{ draft: draftId }, { draft: draftId, sweep: { parameter: 'incomePerCapita', from: 40_000, to: 44_000, step: 2_000 } }]) {
      const sim = bodyOf<{ id: string }>(await send('post', '/api/simulations', body)).id;
      const status = async () => bodyOf<{ status: string }>(await http.get(`/api/simulations/${sim}`).set(auth('admin'))).status;
      for (let i = 0; i < 300 && (await status()) !== 'completed'; i++) await new Promise((r) => setTimeout(r, 200));
      await get(`/api/simulations/${sim}`);
      if (!('sweep' in body)) await get(`/api/simulations/${sim}/households?pageSize=5`);
    }
    await get('/api/simulations');
    await send('post', `/api/policies/drafts/${draftId}/adopt`, { version: 'openapi-2027', effectiveFrom: '2027-01-01' });
    await get('/api/projects?pageSize=3');
    await get('/api/units?pageSize=3');
    await get('/api/households?pageSize=3');
    await get(`/api/registry/imports/${batchId}/rejections`);
    await get('/api/sources');
    await get('/api/projects/P0000');
    await get('/api/units/U0000000');
    await get('/api/households/HH0000000');
    await get('/api/sources/vehicle');
    await get('/api/sources/civil-affairs/rejections');
    await get('/api/sources/property/rejections');
    await get('/api/sources/vehicle/rejections');
    await send('put', `/api/samples/${sid}/households/HH0000000`, { rules: [] }, 'reviewer');
    await get(`/api/samples/${sid}`);
    await get(`/api/samples/${sid}/discrepancies`);
    await get('/api/policies/shishi-2026.1');
    await send('post', '/api/households/HH0000001/handover', { handedOverOn: today }, 'reviewer');
    await send('post', '/api/recompute', {});
    await send('post', '/api/sources/sync', {});
    await send('post', '/api/sources/vehicle/sync', {});
    await send('post', '/api/auth/logout', {});
    await get('/api/cases/999999');
    await get('/api/users', 'viewer');
    await send('post', `/api/cases/${caseId}/actions/contest`, { reason: '不服' }, 'reviewer');
    const wrong: string[] = [];
    const called = new Set<string>();
    for (const r of seen) {
      const path = r.path.split('?')[0];
      const route = declared.filter((d) => d.method === r.method && pattern(d.route).test(path));
      // A literal route (/api/findings/counts) wins over a template that also matches (/api/findings/:id).
      const best = route.filter((d) => d.route.split(':').length === Math.min(...route.map((x) => x.route.split(':').length)));
      if (r.status >= 400) {
        // An error: the route declares its status, and the body is the error body of that status.
        const op = best[0] && doc.paths[best[0].route.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
        const parsed = errorBodyOf(r.status)?.safeParse(r.body);
        if (!op?.responses[String(r.status)] || !parsed?.success) wrong.push(`${r.method} ${r.path}: error ${r.status} undeclared or not the error body (${JSON.stringify(r.body).slice(0, 200)})`);
        continue;
      }
      const schema = best.find((d) => d.status === r.status);
      if (!schema) {
        wrong.push(`${r.method} ${r.path}: ${r.status} is not a declared answer (${JSON.stringify(r.body).slice(0, 200)})`);
        continue;
      }
      called.add(`${r.method} ${schema.route}`);
      const parsed = schema.schema.safeParse(r.body);
      if (!parsed.success) wrong.push(`${r.method} ${r.path} ${r.status}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    expect(wrong).toEqual([]);
    const getRoutes = declared.filter((d) => d.method === 'GET' && d.status === 200).map((d) => `GET ${d.route}`);
    expect(getRoutes.filter((r) => !called.has(r))).toEqual([]);
  });
});
