import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { TokenService } from '../src/auth/token.service';
import { loadConfig } from '../src/config/config';
import { ensureDatabase, migrate } from '../src/database/migrator';
import { generateCity } from '../src/generator/city-generator';
import { importLedger } from './city-steps';

export interface LoadBenchArgs {
  households: number;
  /** Authenticated list and export requests of the burst. */
  requests: number;
  /** Requests with a bad token, from another loopback address (127.0.0.2). */
  badRequests: number;
  concurrency: number;
  /** The burst stops here whatever is left: requests not started are skipped, running ones cut. */
  capSeconds: number;
  dataDir: string;
  databaseUrl: string;
  redisUrl: string;
}

const PREFIX = 'phrbenchload';
const HEALTH_INTERVAL_MS = 50;
const FLOOR_MS = 3_000;
const TARGET_P99_MS = 100;
/** Per token per minute: high enough that the burst measures throughput, not the limiter. */
const BENCH_RATE_LIMIT = 1_000_000;
/** The real default (30 per IP per minute) stays: the bad-token flood is what it is for. */
const AUTH_FAILURE_LIMIT = 30;
const EXPORT_CONCURRENCY = 4;

interface Outcome {
  status: number; // 0: network error or cut at the cap
  ms: number;
}

/**
 * `npm run bench -- load`: the real API (a child process, `APP_ROLE=api`, on 127.0.0.1) over a small
 * generated city, hit by a bounded burst of authenticated list and export requests and of bad-token
 * requests, while a worker thread samples /health every 50 ms on its own connection. Prints
 * requests per second, statuses, and /health's p50/p99/max under the burst against the same
 * figures with no load; the target is /health p99 under 100 ms.
 */
export async function loadBench(args: LoadBenchArgs): Promise<void> {
  const cityDir = resolve(args.dataDir, `bench-load-${args.households}`);
  if (!existsSync(join(cityDir, 'manifest.json'))) await generateCity({ households: args.households, seed: 11, outDir: cityDir, json: false });
  await ensureDatabase(args.databaseUrl);
  const admin = new Client({ connectionString: args.databaseUrl });
  await admin.connect();
  let server: ChildProcess | undefined;
  let sampler: Worker | undefined;
  const logFile = resolve(args.dataDir, 'bench-load-server.log');
  try {
    await admin.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public;`);
    await migrate(args.databaseUrl);
    const { viewerToken, adminToken, overdue } = await prepare(args, cityDir, admin);
    await clearPrefix(args.redisUrl);

    const port = await freePort();
    const logFd = openSync(logFile, 'w');
    server = spawn(process.execPath, [resolve(__dirname, '../src/main.js')], {
      env: {
        ...withoutServiceSettings(process.env),
        APP_ROLE: 'api',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: args.databaseUrl,
        REDIS_URL: args.redisUrl,
        QUEUE_PREFIX: PREFIX,
        LOG_LEVEL: 'log',
        RATE_LIMIT_REQUESTS: String(BENCH_RATE_LIMIT),
        RATE_LIMIT_AUTH_FAILURES: String(AUTH_FAILURE_LIMIT),
        EXPORT_CONCURRENCY: String(EXPORT_CONCURRENCY),
      },
      stdio: ['ignore', logFd, logFd],
    });
    closeSync(logFd);
    await waitHealthy(port, server, 60_000);

    const good = new Agent({ keepAlive: true, maxSockets: args.concurrency });
    const bad = new Agent({ keepAlive: true, maxSockets: 20, localAddress: '127.0.0.2' });
    const paths = requestPaths(args.requests);
    // Warm-up: every kind of request once, so neither phase pays for first compilations.
    for (const p of paths.slice(0, 20)) await call(port, good, p.path, viewerToken, 10_000);

    sampler = new Worker(resolve(__dirname, 'health-sampler.js'), { workerData: { port, intervalMs: HEALTH_INTERVAL_MS } });
    const phase = async (during: () => Promise<unknown>) => {
      sampler!.postMessage('start');
      await during();
      sampler!.postMessage('stop');
      return new Promise<{ latencies: number[]; failures: number }>((r) => sampler!.once('message', r));
    };
    await scrapeLoopLag(port, adminToken); // resets the server's event-loop histogram
    const floor = await phase(() => new Promise((r) => setTimeout(r, FLOOR_MS)));
    const floorLag = await scrapeLoopLag(port, adminToken);

    const deadline = Date.now() + args.capSeconds * 1000;
    let goodOut: (Outcome & { kind: string })[] = [];
    let badOut: Outcome[] = [];
    let burstMs = 0;
    const burst = await phase(async () => {
      const started = Date.now();
      [goodOut, badOut] = await Promise.all([
        pool(paths, args.concurrency, deadline, async (p) => ({ kind: p.kind, ...(await call(port, good, p.path, viewerToken, deadline - Date.now())) })),
        pool(
          Array.from({ length: args.badRequests }, (_, i) => i),
          20,
          deadline,
          (i) => call(port, bad, '/api/households?page=1&pageSize=50', `phr_not-a-token-${i}`, deadline - Date.now()),
        ),
      ]);
      burstMs = Date.now() - started;
    });
    const burstLag = await scrapeLoopLag(port, adminToken);
    good.destroy();
    bad.destroy();

    const done = goodOut.length + badOut.length;
    const q = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)] : NaN);
    const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
    const stats = (xs: number[]) => `p50 ${fmt(q(xs, 0.5))} ms, p99 ${fmt(q(xs, 0.99))} ms, max ${fmt(Math.max(...xs))} ms`;
    const statuses = (os: Outcome[]) => {
      const by = new Map<string, number>();
      for (const o of os) by.set(o.status ? String(o.status) : 'cut/error', (by.get(o.status ? String(o.status) : 'cut/error') ?? 0) + 1);
      return [...by].sort().map(([s, n]) => `${s}: ${n}`).join(', ');
    };
    const p99 = q(burst.latencies, 0.99);
    const pass = burst.failures === 0 && burst.latencies.length > 0 && p99 < TARGET_P99_MS;
    const lists = goodOut.filter((o) => o.kind === 'list');
    const exports = goodOut.filter((o) => o.kind === 'export');
    const skipped = paths.length - goodOut.length + args.badRequests - badOut.length;
    process.stdout.write(
      [
        '',
        `load benchmark: API child process on 127.0.0.1:${port}, city of ${args.households.toLocaleString('en-US')} households (${overdue} overdue cases), database ${new URL(args.databaseUrl).pathname.slice(1)}`,
        `  limits: RATE_LIMIT_REQUESTS=${BENCH_RATE_LIMIT} per token per minute (default 1200; raised so the burst measures throughput), RATE_LIMIT_AUTH_FAILURES=${AUTH_FAILURE_LIMIT} per IP per minute (default), EXPORT_CONCURRENCY=${EXPORT_CONCURRENCY} (default); LOG_LEVEL=log (one JSON line per request, to ${logFile})`,
        `  burst: ${paths.length} authenticated requests (${lists.length} lists, ${exports.length} CSV exports of 应退未退整改情况表) at concurrency ${args.concurrency} + ${args.badRequests} bad-token requests from 127.0.0.2 at concurrency 20; cap ${args.capSeconds} s`,
        `  took ${(burstMs / 1000).toFixed(2)} s: ${(done / (burstMs / 1000)).toFixed(0)} requests/s (${(goodOut.length / (burstMs / 1000)).toFixed(0)}/s authenticated)${skipped ? `; ${skipped} not started before the cap` : ''}`,
        `  lists:   ${statuses(lists)}; ${stats(lists.map((o) => o.ms))}`,
        `  exports: ${statuses(exports)}; ${stats(exports.map((o) => o.ms))}`,
        `  bad tokens: ${statuses(badOut)}`,
        `  /health floor (no load, ${(FLOOR_MS / 1000).toFixed(0)} s): ${stats(floor.latencies)} (${floor.latencies.length} samples, ${floor.failures} failed); server event-loop delay p99 ${fmt(floorLag.p99 * 1000)} ms, max ${fmt(floorLag.max * 1000)} ms`,
        `  /health during the burst: ${stats(burst.latencies)} (${burst.latencies.length} samples, ${burst.failures} failed); server event-loop delay p99 ${fmt(burstLag.p99 * 1000)} ms, max ${fmt(burstLag.max * 1000)} ms`,
        `  target: /health p99 under ${TARGET_P99_MS} ms during the burst: ${pass ? 'PASS' : 'FAIL'} (${fmt(p99)} ms; floor ${fmt(q(floor.latencies, 0.99))} ms)`,
        '',
      ].join('\n'),
    );
  } finally {
    if (sampler) {
      sampler.postMessage('exit');
      await sampler.terminate();
    }
    if (server) await stop(server);
    await clearPrefix(args.redisUrl).catch(() => undefined);
    await admin.end();
  }
}

/** The city's registry and overdue cases in the database, and the bench's tokens. */
async function prepare(args: LoadBenchArgs, cityDir: string, admin: Client) {
  const config = loadConfig({ ...withoutServiceSettings(process.env), DATABASE_URL: args.databaseUrl, REDIS_URL: args.redisUrl, APP_ROLE: 'api', QUEUE_PREFIX: PREFIX, LOG_LEVEL: 'warn' });
  const app: INestApplicationContext = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: ['error', 'warn'] });
  try {
    await importLedger(app, cityDir);
    const { rowCount } = await admin.query(
      `WITH c AS (
         INSERT INTO "case" (household_id, kind, status, nature, declared, confirmed_at, confirmed_by, contest_deadline, notice_at, deadline, market_rent_from, overdue_at)
         SELECT h.id, 'exit', 'overdue', 'eligibility', h.id % 5 = 0, DATE '2026-05-01', 'bench', DATE '2026-05-16', DATE '2026-05-17', DATE '2026-08-15', DATE '2026-05-17', DATE '2026-08-16'
           FROM household h ORDER BY h.id LIMIT $1 RETURNING id)
       INSERT INTO case_finding (case_id, rule_code, status, first_run_id, last_run_id, evidence)
       SELECT id, 'VEHICLE', 'open', 0, 0, '{"name":"车辆超标","nature":"eligibility"}' FROM c`,
      [Math.ceil(args.households / 4)],
    );
    await admin.query('ANALYZE');
    const tokens = app.get(TokenService);
    return { viewerToken: (await tokens.create('bench-load', 'viewer', 'bench')).token, adminToken: (await tokens.create('bench-load-metrics', 'admin', 'bench')).token, overdue: rowCount ?? 0 };
  } finally {
    await app.close();
  }
}

/** The burst's authenticated requests: lists of households, cases, units and projects, and every tenth a CSV export. */
function requestPaths(n: number): { kind: 'list' | 'export'; path: string }[] {
  const out: { kind: 'list' | 'export'; path: string }[] = [];
  for (let i = 0; i < n; i++) {
    const page = 1 + (i % 10);
    if (i % 10 === 9) out.push({ kind: 'export', path: '/api/exports/overdue?format=csv' });
    else
      out.push({
        kind: 'list',
        path: [`/api/households?page=${page}&pageSize=50`, `/api/cases?status=overdue&page=${page}&pageSize=50`, `/api/units?page=${page}&pageSize=50`, '/api/projects'][i % 4],
      });
  }
  return out;
}

/** Runs `fn` over `items` with at most `width` at once; items not started by the deadline are skipped. */
async function pool<T, R>(items: T[], width: number, deadline: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length && Date.now() < deadline) out.push(await fn(items[next++]));
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}

/** One GET read to its end; status 0 when it failed or was cut at `timeoutMs`. */
function call(port: number, agent: Agent, path: string, token: string, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolveCall) => {
    const started = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
    let settled = false;
    const settle = (status: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveCall({ status, ms: ms() });
    };
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => settle(res.statusCode ?? 0));
      res.on('error', () => settle(0));
    });
    const timer = setTimeout(() => req.destroy(new Error('cut at the cap')), Math.max(1, timeoutMs));
    req.on('error', () => settle(0));
    req.end();
  });
}

/** The server's event-loop delay since the previous scrape (prom-client resets it at each), in seconds. */
async function scrapeLoopLag(port: number, adminToken: string): Promise<{ p99: number; max: number }> {
  const text = await new Promise<string>((resolveText, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', headers: { Authorization: `Bearer ${adminToken}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? resolveText(body) : reject(new Error(`/metrics answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { p99: read('phr_nodejs_eventloop_lag_p99_seconds'), max: read('phr_nodejs_eventloop_lag_max_seconds') };
}

async function waitHealthy(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  const agent = new Agent({ keepAlive: false });
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode} before answering; see its log`);
    const r = await call(port, agent, '/health', 'none', 2_000);
    if (r.status === 200) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`the API did not answer /health within ${timeoutMs / 1000} s`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolvePort(port));
    });
  });
}

/** The bench's own Redis keys (rate-limit counters of an earlier run would still be counting). */
async function clearPrefix(redisUrl: string): Promise<void> {
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/** The shell's environment without what would point the bench's server elsewhere or change its limits. */
function withoutServiceSettings(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const k of Object.keys(out)) if (/^(MIGRATION_DATABASE_URL|BOOTSTRAP_ADMIN_TOKEN|RATE_LIMIT_|EXPORT_CONCURRENCY|SOURCE_)/.test(k)) delete out[k];
  return out;
}

