import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { JobName, QueueName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { cliActor, SYSTEM_ACTOR } from '../../src/auth/actor';
import { RetryLater } from '../../src/common/errors';
import { FindingsService } from '../../src/eligibility/findings.service';
import { PlanResult, RecomputeService } from '../../src/eligibility/recompute.service';
import { generateCity, GenerateSummary } from '../../src/generator/city-generator';
import { RegistryImportService } from '../../src/registry/registry-import.service';
import { SourcesService } from '../../src/sources/sources.service';
import { tempDir } from '../support/files';
import { dropFeeds, recomputeAndWait } from '../support/city';
import { drainQueues } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';

interface Expected {
  householdCode: string;
  rules: string[];
  subletScore: number;
  subletLevel: string;
}

/** A household with findings, as FindingsService lists it. */
interface HouseholdFindings {
  householdCode: string;
  rules: string[];
  subletScore: number | null;
  subletLevel: string | null;
}

/** A finding's evidence, as stored with it. */
interface Evidence {
  policyVersion: string;
  thresholds: unknown;
  explanation: string;
  records: Record<string, unknown>[];
}

const lines = <T>(path: string): T[] => readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);

describe('eligibility engine on a generated city (detection quality, runs, incremental)', () => {
  let t: TestApp;
  let city: string;
  let manifest: GenerateSummary;
  let pool: Pool;
  let queues: QueueService;
  /** The first full run (the one the quality test checks), named by id: never "the newest run". */
  let firstRunId: string;

  const recompute = (full: boolean, key: string) => recomputeAndWait(queues, { asOf: manifest.asOf, full, trigger: 'test', requestKey: key });

  beforeAll(async () => {
    city = tempDir('detect-city');
    manifest = await generateCity({ households: 2500, seed: 77, outDir: city, json: false });
    const drop = dropFeeds(city, 'detect-drop');
    t = await startTestApp('detection', { APP_ROLE: 'all', FEED_DROP_DIR: drop, RECOMPUTE_SHARD_SIZE: '400', WORKER_CONCURRENCY: '2' }, { listen: false });
    queues = t.app.get(QueueService);
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    await t.app.get(RegistryImportService).importDirectory(join(city, 'registry'), cliActor());
    const sources = t.app.get(SourcesService);
    const jobs = await sources.trigger('all', { mode: 'incremental', trigger: 'test', requestKey: 'detect' });
    await Promise.all(jobs.map((j) => sources.waitFor(j)));
    // The syncs enqueue their own recompute (as of today) 5 to 65 s later: it runs now, not mid-test.
    await drainQueues(queues);
  }, 180_000);
  afterAll(async () => {
    await pool.end();
    await t.close();
  });

  it('finds every planted case and flags no clean household (precision = recall = 1), thresholds included', async () => {
    const run = await recompute(true, 'full-1');
    firstRunId = run.runId;
    expect(run.mode).toBe('full');
    expect(run.shards).toBeGreaterThan(1);
    const items = (await t.app.get(FindingsService).householdsWithFindings(manifest.asOf)).items as HouseholdFindings[];
    const expected = lines<Expected>(join(city, 'expected', 'findings.jsonl'));
    const scenarios = new Map(lines<{ householdCode: string; scenario: string }>(join(city, 'expected', 'scenarios.jsonl')).map((s) => [s.householdCode, s.scenario]));
    const got = new Map(items.map((i) => [i.householdCode, i]));
    const want = new Map(expected.map((e) => [e.householdCode, e]));
    const missed = expected.filter((e) => got.get(e.householdCode)?.rules.join() !== e.rules.join()).map((e) => `${e.householdCode} ${scenarios.get(e.householdCode)} want ${String(e.rules)} got ${String(got.get(e.householdCode)?.rules ?? '-')}`);
    const extra = items.filter((i) => !want.has(i.householdCode)).map((i) => `${i.householdCode} ${scenarios.get(i.householdCode)} got ${String(i.rules)}`);
    expect({ missed, extra }).toEqual({ missed: [], extra: [] });
    for (const e of expected.filter((x) => x.rules.includes('SUBLET'))) {
      expect({ h: e.householdCode, score: got.get(e.householdCode)!.subletScore, level: got.get(e.householdCode)!.subletLevel }).toEqual({ h: e.householdCode, score: e.subletScore, level: e.subletLevel });
    }
    // Every rule code is planted and found.
    expect(new Set(items.flatMap((i) => i.rules))).toEqual(new Set(['HOUSING_AREA', 'HOUSING_ACQUIRED', 'INCOME_OVER', 'ASSETS_OVER', 'VEHICLE', 'BUSINESS', 'HUKOU_OUT', 'TENANT_DECEASED', 'DUPLICATE', 'SUBLET', 'VACANT', 'ARREARS']));
  });

  it('explains each finding: values, threshold, policy version and the source records behind it', async () => {
    const { rows } = await pool.query<{ rule_code: string; evidence: Evidence; status: string }>(
      `SELECT f.rule_code, f.evidence, h.status FROM finding f JOIN household h ON h.id = f.household_id WHERE f.run_id = $1`,
      [firstRunId],
    );
    // One row per expected finding (the loops below cannot pass on an empty list).
    const expected = lines<Expected>(join(city, 'expected', 'findings.jsonl'));
    expect(rows.length).toBe(expected.reduce((n, e) => n + e.rules.length, 0));
    // policy.md's brackets, written out (the reference policy has no category overrides).
    const thresholds: Record<string, unknown> = {
      HOUSING_AREA: { housingAreaPerCapita: 15, comparison: '≥' },
      INCOME_OVER: { incomePerCapita: 48000, comparison: '>' },
      ASSETS_OVER: { financialAssets: 150000, comparison: '>' },
      VEHICLE: { vehiclePrice: 100000, comparison: '>' },
      BUSINESS: { businessCapital: 100000, comparison: '≥' },
      HUKOU_OUT: { localCity: '3505', exemptCategories: ['new_employee', 'migrant_worker'] },
      TENANT_DECEASED: { adultAge: 18 },
      DUPLICATE: { activeHouseholdsPerPerson: 1 },
      SUBLET: { highScore: 60, mediumScore: 30, inspectionDays: 15 },
      VACANT: { electricityBelow: 10, waterBelow: 1, months: 6 },
      ARREARS: { arrearsMonths: 6, comparison: '≥' },
    };
    for (const r of rows) {
      expect(r.evidence.policyVersion).toBe('shishi-2026.1');
      expect({ rule: r.rule_code, thresholds: r.evidence.thresholds }).toEqual({
        rule: r.rule_code,
        thresholds: r.rule_code === 'HOUSING_ACQUIRED' ? { after: r.status === 'waiting' ? 'queuedOn' : 'leaseStart' } : thresholds[r.rule_code],
      });
      expect(r.evidence.explanation).toMatch(/[\u4e00-\u9fff]/);
      for (const ref of r.evidence.records) expect(Object.keys(ref).sort()).toEqual(['recordId', 'source', 'updatedAt']);
    }
    // 重复享受 rests on the registry's memberships, every other finding on records.
    expect(rows.filter((r) => r.rule_code === 'DUPLICATE').map((r) => r.evidence.records)).toEqual(rows.filter((r) => r.rule_code === 'DUPLICATE').map(() => []));
    expect(rows.filter((r) => r.rule_code !== 'DUPLICATE' && r.evidence.records.length === 0).map((r) => r.rule_code)).toEqual([]);
    expect(new Set(rows.map((r) => r.rule_code)).size).toBe(12);
    expect(JSON.stringify(rows.map((r) => r.evidence))).not.toMatch(/\d{17}[\dX]/);
  });

  it('running the same run again gives identical findings', async () => {
    const runId = firstRunId;
    const snapshot = async () => (await pool.query<{ household_id: number; rule_code: string; fingerprint: string }>(`SELECT household_id, rule_code, fingerprint FROM finding WHERE run_id = $1 ORDER BY 1, 2`, [runId])).rows;
    const before = await snapshot();
    const recomputeService = t.app.get(RecomputeService);
    await Promise.all([recomputeService.shard(String(runId), 0), recomputeService.shard(String(runId), 0), recomputeService.shard(String(runId), 1)]);
    expect(await snapshot()).toEqual(before);
    // A second full run of the same as-of date: same findings, nothing new or resolved.
    const again = await recompute(true, 'full-2');
    expect(again.changes).toEqual({ new: 0, resolved: 0, changed: 0 });
  });

  it('recomputes only the households a change touches and lists what changed', async () => {
    // A clean 在保 household's tenant buys an expensive car.
    const clean = lines<{ householdCode: string; scenario: string; status: string }>(join(city, 'expected', 'scenarios.jsonl')).find((s) => s.scenario === 'clean' && s.status === 'active')!;
    const tenant = (
      await pool.query<{ id: number; id_no: string }>(`SELECT p.id, p.id_no FROM member m JOIN person p ON p.id = m.person_id JOIN household h ON h.id = m.household_id WHERE h.household_code = $1 AND m.relation = 'tenant'`, [clean.householdCode])
    ).rows[0];
    await pool.query(
      `INSERT INTO change_log (run_id, person_id) VALUES (0, $1);
       INSERT INTO source_record (source, record_id, kind, person_id, updated_at, data, run_id)
       VALUES ('vehicle', 'TEST-CAR', 'vehicle', $1, now(), '{"usage":"非营运","vehicleType":"小型汽车","invoicePrice":250000,"status":"normal","registeredOn":"2026-01-01"}', 0)`.replace(/\$1/g, String(tenant.id)),
    );
    const run = await recompute(false, 'incr-1');
    expect(run.mode).toBe('incremental');
    expect(run.households).toBeLessThan(10);
    expect(run.changes).toMatchObject({ new: 1, resolved: 0 });
    const changes = await t.app.get(FindingsService).changes(run.runId, SYSTEM_ACTOR);
    expect(changes.items).toEqual([{ householdCode: clean.householdCode, rule: 'VEHICLE', change: 'new' }]);
    // The 工作台's figures count the same in SQL.
    expect(await t.app.get(FindingsService).changeCounts(run.runId, SYSTEM_ACTOR)).toMatchObject({ new: 1, resolved: 0, changed: 0 });
    // The untouched households kept their findings (carried over).
    const counts = await pool.query<{ run_id: string; n: number }>(`SELECT run_id, count(*)::int AS n FROM finding WHERE run_id IN ($1, (SELECT base_run_id FROM recompute_run WHERE id = $1)) GROUP BY 1 ORDER BY 1`, [run.runId]);
    expect(counts.rows[1].n).toBe(counts.rows[0].n + 1);
  });

  it('runs for different as-of dates never overwrite each other', async () => {
    const job = await queues.enqueue(JobName.RecomputePlan, { asOf: '2026-06-01', full: true, trigger: 'test', requestKey: 'other-date' });
    const plan = await queues.waitFor<PlanResult>(QueueName.Recompute, job);
    await queues.waitForRun(plan.runId);
    const findings = t.app.get(FindingsService);
    expect((await findings.latestRun('2026-06-01'))!.id).toBe(plan.runId);
    expect((await findings.latestRun(manifest.asOf))!.id).not.toBe(plan.runId);
    // The planted households, and the clean one whose tenant bought a car in the test before.
    expect((await findings.householdsWithFindings(manifest.asOf)).items.length).toBe(lines(join(city, 'expected', 'findings.jsonl')).length + 1);
  });

  it('keeps one run per as-of date at a time: a covered request joins the run in progress, a later change waits, a lost run is abandoned', async () => {
    const svc = t.app.get(RecomputeService);
    const asOf = '2026-06-02';
    const waitFinish = (runId: string) => queues.waitForRun(runId);
    const recomputeQueue = queues.queue(QueueName.Recompute);
    await recomputeQueue.pause();
    let first: PlanResult;
    try {
      first = await svc.plan({ asOf, full: true, trigger: 'test' });
      // Nothing changed since it was planned: the request joins the run in progress.
      expect(await svc.plan({ asOf, full: false, trigger: 'test' })).toEqual({ ...first, reused: true });
      // A change the running run does not cover: the request waits for it (the job is delayed, not failed).
      const member = (await pool.query<{ person_id: number }>(`SELECT person_id FROM member LIMIT 1`)).rows[0].person_id;
      await pool.query(`INSERT INTO change_log (run_id, person_id) VALUES (0, $1)`, [member]);
      await expect(svc.plan({ asOf, full: false, trigger: 'test' })).rejects.toBeInstanceOf(RetryLater);
    } finally {
      await recomputeQueue.resume();
    }
    await waitFinish(first.runId);
    // A run left 'running' whose jobs are gone (its queue was lost) does not block the next one.
    const lost = (
      await pool.query<{ id: string }>(
        `INSERT INTO recompute_run (as_of, policy_version_id, mode, status, trigger, change_log_to)
         SELECT $1, policy_version_id, 'full', 'running', 'test', 0 FROM recompute_run WHERE id = $2 RETURNING id`,
        [asOf, first.runId],
      )
    ).rows[0].id;
    const next = await svc.plan({ asOf, full: false, trigger: 'test' });
    expect(next).toMatchObject({ mode: 'incremental', reused: false });
    expect((await pool.query<{ status: string }>(`SELECT status FROM recompute_run WHERE id = $1`, [lost])).rows[0].status).toBe('abandoned');
    expect((await pool.query<{ base_run_id: string | null }>(`SELECT base_run_id FROM recompute_run WHERE id = $1`, [next.runId])).rows[0].base_run_id).toBe(first.runId);
    await waitFinish(next.runId);
  });
});
