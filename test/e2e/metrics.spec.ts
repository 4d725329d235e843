import request from 'supertest';
import { Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Pool } from 'pg';
import { redisOptions } from '../../jobs/redis-options';
import { startTestApp, TestApp } from '../support/test-app';
import { REDIS_URL } from '../support/env';

/** The samples of one metric in a Prometheus exposition, with their labels. */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  return samples(text, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('GET /metrics (e2e, real PostgreSQL and Redis)', () => {
  let t: TestApp;
  let api: ReturnType<typeof request>;
  let db: Pool;
  const ID = '110101199003071234';
  const admin = () => ({ Authorization: `Bearer ${t.tokens.admin}` });

  beforeAll(async () => {
    t = await startTestApp('metrics');
    api = request(t.app.getHttpServer());
    db = new Pool({ connectionString: t.dbUrl, max: 2 });
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('needs an admin token', async () => {
    await api.get('/metrics').expect(401);
    for (const role of ['viewer', 'reviewer', 'auditor'] as const) await api.get('/metrics').set({ Authorization: `Bearer ${t.tokens[role]}` }).expect(403);
    const res = await api.get('/metrics').set(admin()).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('times HTTP requests by route template, method and status, never by raw URL', async () => {
    await api.get('/api/cases/123').set(admin()).expect(404);
    await api.get('/api/cases/124').set(admin()).expect(404);
    await api.get(`/api/households/${ID}`).set(admin()).expect(404);
    // An unknown API path (outside /api the console answers its pages: index.html).
    await api.get(`/api/no/such/${ID}`).set(admin()).expect(404);
    const text = (await api.get('/metrics').set(admin()).expect(200)).text;
    const count = (labels: Record<string, string>) => value(text, 'phr_http_request_duration_seconds_count', labels);
    expect(count({ route: '/api/cases/:id', method: 'GET', status: '404' })).toBe(2);
    expect(count({ route: '/api/households/:code', method: 'GET', status: '404' })).toBe(1);
    expect(count({ route: '(unmatched)', method: 'GET', status: '404' })).toBe(1);
    // The 401 and the 403s of the first test are there too, under the route they asked for.
    expect(count({ route: '/metrics', method: 'GET', status: '403' })).toBe(3);
    expect(value(text, 'phr_http_request_duration_seconds_bucket', { route: '/api/cases/:id', status: '404', le: '+Inf' })).toBe(2);
    expect(text).not.toContain(ID);
    expect(text).not.toContain('/api/cases/123');
    // No label value carries anything shaped like an id, a code or a number of a person.
    for (const line of text.split('\n').filter((l) => !l.startsWith('#') && l.includes('{'))) {
      const labels = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
      expect(labels).not.toMatch(/\d{6,}/);
    }
  });

  it('reads queue depths and job durations from BullMQ, whichever process ran the jobs', async () => {
    const connection = redisOptions(REDIS_URL);
    const prefix = t.config.queuePrefix;
    const queue = new Queue('cases', { connection, prefix });
    const events = new QueueEvents('cases', { connection, prefix });
    await events.waitUntilReady();
    // A worker of its own, as another process would run (the API itself runs none).
    const worker = new Worker(
      'cases',
      async (job: Job<{ ms?: number; fail?: boolean }>) => {
        await new Promise((r) => setTimeout(r, job.data.ms));
        if (job.data.fail) throw new Error('failed on purpose');
      },
      { connection, prefix },
    );
    try {
      const ok = await queue.add('cases-deadlines', { ms: 300 }, { jobId: 'm-ok' });
      const bad = await queue.add('cases-follow-run', { ms: 50, fail: true }, { jobId: 'm-bad', attempts: 1 });
      await ok.waitUntilFinished(events, 20_000);
      await expect(bad.waitUntilFinished(events, 20_000)).rejects.toThrow('failed on purpose');
    } finally {
      await worker.close();
    }
    await queue.add('cases-deadlines', { ms: 1 }, { jobId: 'm-w1' });
    await queue.add('cases-deadlines', { ms: 1 }, { jobId: 'm-w2' });
    await queue.add('cases-deadlines', { ms: 1 }, { jobId: 'm-d1', delay: 3_600_000 });
    await events.close();
    await queue.close();

    const text = (await api.get('/metrics').set(admin()).expect(200)).text;
    const jobs = (q: string, state: string) => value(text, 'phr_queue_jobs', { queue: q, state });
    expect([jobs('cases', 'waiting'), jobs('cases', 'delayed'), jobs('cases', 'active'), jobs('cases', 'completed'), jobs('cases', 'failed')]).toEqual([2, 1, 0, 1, 1]);
    expect(jobs('sources', 'waiting')).toBe(0);
    expect(jobs('recompute', 'failed')).toBe(0);
    const longest = value(text, 'phr_job_duration_seconds', { queue: 'cases', job: 'cases-deadlines', quantile: '1' })!;
    expect(longest).toBeGreaterThanOrEqual(0.29);
    expect(longest).toBeLessThan(10);
    expect(value(text, 'phr_job_duration_seconds', { queue: 'cases', job: 'cases-follow-run', quantile: '0.5' })).toBeLessThan(longest);
    expect(value(text, 'phr_job_recent_finished', { queue: 'cases', job: 'cases-deadlines', state: 'completed' })).toBe(1);
    expect(value(text, 'phr_job_recent_finished', { queue: 'cases', job: 'cases-follow-run', state: 'failed' })).toBe(1);
    expect(value(text, 'phr_metrics_collector_up', { collector: 'queues' })).toBe(1);
    expect(value(text, 'phr_metrics_collector_up', { collector: 'jobs' })).toBe(1);
  });

  it('reads sync lag and error state per source, findings per rule of the latest completed run, and overdue cases', async () => {
    await db.query(
      `INSERT INTO source_state (source, transport, status, last_success_at, last_error, last_error_at) VALUES
         ('civil-affairs', 'file', 'ok', now() - interval '3600 seconds', NULL, NULL),
         ('vehicle', 'http', 'failing', now() - interval '2 days', 'HTTP 401', now())
       ON CONFLICT (source) DO UPDATE SET status = excluded.status, last_success_at = excluded.last_success_at, last_error = excluded.last_error, last_error_at = excluded.last_error_at`,
    );
    const run = async (status: string) =>
      (
        await db.query<{ id: string }>(
          `INSERT INTO recompute_run (as_of, policy_version_id, mode, status, trigger) VALUES ('2026-11-01', 1, 'full', $1, 'test') RETURNING id`,
          [status],
        )
      ).rows[0].id;
    const findings = (runId: string, rows: [number, string][]) =>
      db.query(
        `INSERT INTO finding (run_id, household_id, rule_code, evidence, fingerprint) SELECT $1, h, r, '{}', 'f' FROM unnest($2::int[], $3::text[]) AS x(h, r)`,
        [runId, rows.map((r) => r[0]), rows.map((r) => r[1])],
      );
    const older = await run('completed');
    await findings(older, [[1, 'VEHICLE'], [2, 'VEHICLE'], [3, 'VEHICLE'], [4, 'SUBLET']]);
    const latest = await run('completed');
    await findings(latest, [[1, 'VEHICLE'], [2, 'VEHICLE'], [2, 'ARREARS']]);
    const running = await run('running');
    await findings(running, [[1, 'SUBLET'], [2, 'SUBLET']]);
    await db.query(
      `INSERT INTO "case" (household_id, kind, status) VALUES (1, 'exit', 'overdue'), (2, 'exit', 'overdue'), (3, 'exit', 'overdue'), (4, 'exit', 'notified'), (5, 'exit', 'closed')`,
    );

    const text = (await api.get('/metrics').set(admin()).expect(200)).text;
    const lag = value(text, 'phr_source_sync_lag_seconds', { source: 'civil-affairs' })!;
    expect(lag).toBeGreaterThanOrEqual(3600);
    expect(lag).toBeLessThan(3600 + 120);
    expect(value(text, 'phr_source_sync_lag_seconds', { source: 'vehicle' })).toBeGreaterThanOrEqual(2 * 86400);
    expect(value(text, 'phr_source_failing', { source: 'civil-affairs' })).toBe(0);
    expect(value(text, 'phr_source_failing', { source: 'vehicle' })).toBe(1);
    // A source never synced: not failing, and no lag to show.
    expect(value(text, 'phr_source_failing', { source: 'utilities' })).toBe(0);
    expect(value(text, 'phr_source_sync_lag_seconds', { source: 'utilities' })).toBeUndefined();

    expect(value(text, 'phr_findings_run_id')).toBe(Number(latest));
    expect(value(text, 'phr_findings', { rule: 'VEHICLE' })).toBe(2);
    expect(value(text, 'phr_findings', { rule: 'ARREARS' })).toBe(1);
    expect(value(text, 'phr_findings', { rule: 'SUBLET' })).toBe(0);
    expect(samples(text, 'phr_findings')).toHaveLength(12);
    expect(value(text, 'phr_cases_overdue')).toBe(3);
    for (const c of ['sources', 'findings', 'cases']) expect(value(text, 'phr_metrics_collector_up', { collector: c })).toBe(1);
  });
});
