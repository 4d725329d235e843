import request from 'supertest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueService } from '../../jobs/queue.service';
import { cliActor } from '../../src/auth/actor';
import { generateCity } from '../../src/generator/city-generator';
import { REFERENCE_POLICY } from '../../src/policy/reference-policy';
import { RegistryImportService } from '../../src/registry/registry-import.service';
import { SourcesService } from '../../src/sources/sources.service';
import { AuditEntry, bodyOf, ErrorBody, Page } from '../support/api';
import { tempDir } from '../support/files';
import { dropFeeds, recomputeAndWait } from '../support/city';
import { drainQueues } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';

/** A line of the generator's expected findings. */
interface ExpectedFindings {
  householdCode: string;
  rules: string[];
  subletLevel?: string;
}

/** A household's verdict, as far as these tests read it. */
interface Verdict {
  findings: { code: string; records: Record<string, unknown>[] }[];
  persons: { idNo: string }[];
}

/** A finding as GET /api/findings lists it. */
interface FindingItem {
  householdCode: string;
  rule: string;
  level: string | null;
}

describe('eligibility API (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let city: string;
  let runId: string;
  const auth = (role: keyof TestApp['tokens']) => ({ Authorization: `Bearer ${t.tokens[role]}` });

  beforeAll(async () => {
    city = tempDir('elig-city');
    await generateCity({ households: 90, seed: 5, outDir: city, json: false });
    const drop = dropFeeds(city, 'elig-drop');
    t = await startTestApp('elig_api', { APP_ROLE: 'all', FEED_DROP_DIR: drop });
    http = request(t.app.getHttpServer());
    await t.app.get(RegistryImportService).importDirectory(join(city, 'registry'), cliActor());
    const sources = t.app.get(SourcesService);
    await Promise.all((await sources.trigger('all', { mode: 'incremental', trigger: 'test', requestKey: 'e' })).map((j) => sources.waitFor(j)));
    // The syncs' own recompute (as of today, 5 to 65 s later) runs now: the newest run is ours.
    await drainQueues(t.app.get(QueueService));
    runId = (await recomputeAndWait(t.app.get(QueueService), { asOf: '2026-11-01', full: true, trigger: 'test', requestKey: 'e2e' })).runId;
  }, 120_000);
  afterAll(() => t.close());

  const expected = () => readFileSync(join(city, 'expected', 'findings.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ExpectedFindings);

  it('shows a household verdict with every finding, its evidence and masked ID numbers (audited)', async () => {
    const e = expected().find((x) => x.rules.includes('VEHICLE'))!;
    const r = await http.get(`/api/households/${e.householdCode}/verdict?asOf=2026-11-01`).set(auth('viewer')).expect(200);
    expect(r.body).toMatchObject({ householdCode: e.householdCode, verdict: 'findings', rules: e.rules, run: { asOf: '2026-11-01', policyVersion: 'shishi-2026.1' } });
    const verdict = bodyOf<Verdict>(r);
    const f = verdict.findings.find((x) => x.code === 'VEHICLE')!;
    expect(f).toMatchObject({ name: '车辆超标', thresholds: { vehiclePrice: 100000 }, policyVersion: 'shishi-2026.1' });
    expect(f.records[0]).toMatchObject({ source: 'vehicle' });
    // The household's members at least (the loop below cannot pass on an empty list).
    expect(verdict.persons.length).toBeGreaterThan(0);
    for (const p of verdict.persons) expect(p.idNo).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    const audit = bodyOf<Page<AuditEntry>>(await http.get(`/api/audit?action=verdict.read`).set(auth('auditor')).expect(200));
    expect(audit.total).toBe(1);
    // A household the generator planted nothing in reads as clean.
    const planted = new Set(expected().map((x) => x.householdCode));
    const scenarios = readFileSync(join(city, 'expected', 'scenarios.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { householdCode: string; status: string });
    const cleanCode = scenarios.find((x) => x.status === 'active' && !planted.has(x.householdCode))!.householdCode;
    const clean = await http.get(`/api/households/${cleanCode}/verdict?asOf=2026-11-01`).set(auth('viewer')).expect(200);
    expect(clean.body).toMatchObject({ verdict: 'clean', rules: [], findings: [] });
  });

  it('filters findings by rule, level and town, and counts them by rule and town', async () => {
    const sublet = expected().filter((e) => e.rules.includes('SUBLET'));
    const codes = (items: { householdCode: string }[]) => items.map((i) => i.householdCode).sort();
    const byRule = bodyOf<Page<FindingItem>>(await http.get('/api/findings?rule=SUBLET&pageSize=100').set(auth('viewer')).expect(200));
    expect(byRule.total).toBe(sublet.length);
    expect(codes(byRule.items)).toEqual(sublet.map((e) => e.householdCode).sort());
    for (const i of byRule.items) expect(i).toMatchObject({ rule: 'SUBLET', name: '转租转借' });
    const high = bodyOf<Page<FindingItem>>(await http.get('/api/findings?rule=SUBLET&level=high&pageSize=100').set(auth('viewer')).expect(200));
    const wantHigh = sublet.filter((e) => e.subletLevel === 'high').map((e) => e.householdCode).sort();
    expect(wantHigh.length).toBeGreaterThan(0);
    expect(codes(high.items)).toEqual(wantHigh);
    expect(high.items.map((i) => i.level)).toEqual(wantHigh.map(() => 'high'));
    // Pages follow each other in household code order, with the filter still applied.
    const page = async (n: number) => bodyOf<Page<FindingItem>>(await http.get(`/api/findings?rule=SUBLET&page=${n}&pageSize=2`).set(auth('viewer')).expect(200));
    const [p1, p2] = [await page(1), await page(2)];
    expect(p2).toMatchObject({ total: sublet.length, page: 2, pageSize: 2 });
    expect([...p1.items, ...p2.items]).toEqual(byRule.items.slice(0, 4));
    await http.get('/api/findings?rule=NOPE').set(auth('viewer')).expect(400);
    const counts = bodyOf<{ byRule: Record<string, number>; byTown: Record<string, Record<string, number>> }>(await http.get('/api/findings/counts').set(auth('viewer')).expect(200));
    const want: Record<string, number> = {};
    for (const e of expected()) for (const rule of e.rules) want[rule] = (want[rule] ?? 0) + 1;
    expect(counts.byRule).toEqual(want);
    // By town, the same findings again: per rule, the towns' figures add up to the rule's.
    const summed: Record<string, number> = {};
    for (const perRule of Object.values(counts.byTown)) for (const [rule, n] of Object.entries(perRule)) summed[rule] = (summed[rule] ?? 0) + n;
    expect(summed).toEqual(want);
  });

  it('recompute over the API (admin), policies as versioned data', async () => {
    await http.post('/api/recompute').set(auth('reviewer')).send({}).expect(403);
    await http.post('/api/recompute').set(auth('admin')).send({ asOf: '2026/11/01' }).expect(400);
    const r = await http.post('/api/recompute').set(auth('admin')).send({ asOf: '2026-11-01' }).expect(201);
    expect(bodyOf<{ jobId: string }>(r).jobId).toMatch(/^[0-9a-f]{12}\.recompute\.plan\./);
    const list = bodyOf<{ version: string }[]>(await http.get('/api/policies').set(auth('viewer')).expect(200));
    expect(list.map((p) => p.version)).toContain('shishi-2026.1');
    const next = { ...REFERENCE_POLICY, version: 'shishi-2027.1', effectiveFrom: '2027-01-01', parameters: { ...REFERENCE_POLICY.parameters, vehiclePrice: 150000 } };
    await http.post('/api/policies').set(auth('admin')).send(next).expect(201);
    await http.post('/api/policies').set(auth('admin')).send(next).expect(409);
    const bad = await http.post('/api/policies').set(auth('admin')).send({ ...next, version: 'x', parameters: { ...next.parameters, vehiclePrice: -1 } }).expect(400);
    expect(bodyOf<ErrorBody>(bad).details[0].field).toBe('parameters.vehiclePrice');
    const runs = bodyOf<{ id: string }[]>(await http.get('/api/recompute/runs').set(auth('viewer')).expect(200));
    expect(runs.find((r) => r.id === runId)).toMatchObject({ as_of: '2026-11-01', mode: 'full', status: 'completed', trigger: 'test', policy_version: 'shishi-2026.1' });
  });
});
