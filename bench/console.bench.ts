import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { QueueService } from '../jobs/queue.service';
import { TokenService } from '../src/auth/token.service';
import { createApp } from '../src/bootstrap';
import { waitForCases } from './city-steps';
import { benchCity } from './recompute.bench';

const TARGET_P95_MS = 200;
const JS_BUDGET = 1024 * 1024;
const SAMPLES = 40;

/**
 * `npm run bench -- console [--households N]`: on the recompute bench's city (a full run, its
 * cases opened), the API calls each console page makes, SAMPLES times each, through the real HTTP
 * stack as an admin: p50/p95 per call against 200 ms. And the console's first load: the gzipped
 * JavaScript that index.html loads before any page's chunk, against 1 MB.
 */
export async function consoleBench(args: { households: number; dataDir: string; databaseUrl: string; redisUrl: string; reuse?: boolean }): Promise<void> {
  const city = await benchCity(args);
  const app = await createApp(city.config, { logger: false });
  await app.init();
  try {
    const queues = city.app.get(QueueService);
    const run = await city.recompute(true, `bench-console-${Date.now()}`);
    // The cases the run opens, before the pages are read.
    await waitForCases(queues, run.plan.runId);
    const token = (await city.app.get(TokenService).create(`bench-console-${Date.now()}`, 'admin', 'bench')).token;
    const http = request(app.getHttpServer());
    const get = (path: string) => http.get(path).set('Authorization', `Bearer ${token}`);
    const pick = async (sql: string) => (await city.admin.query<{ v: string }>(sql)).rows[0]?.v ?? '';
    const household = await pick(`SELECT h.household_code AS v FROM finding f JOIN household h ON h.id = f.household_id ORDER BY f.run_id DESC, f.household_id LIMIT 1`);
    const caseId = await pick(`SELECT id::text AS v FROM "case" ORDER BY id DESC LIMIT 1`);
    const town = await pick(`SELECT town AS v FROM project ORDER BY id LIMIT 1`);
    const pages: Record<string, string[]> = {
      工作台: ['/api/auth/me', '/api/dashboard', '/api/cases/queues', '/api/sources', '/api/recompute/runs'],
      核查结果: ['/api/findings?page=1&pageSize=20', `/api/findings?page=50&pageSize=20&town=${encodeURIComponent(town)}`, '/api/findings?rule=INCOME_OVER&pageSize=20'],
      一户一档: [`/api/households/${household}`, `/api/households/${household}/verdict`, `/api/cases?householdCode=${household}`],
      案件: ['/api/cases/queues', '/api/cases?queue=open&page=1&pageSize=20', '/api/cases?queue=open&page=100&pageSize=20', `/api/cases/${caseId}`],
      应退未退: ['/api/cases?queue=overdue&pageSize=20'],
      数据源: ['/api/sources', '/api/sources/vehicle'],
      抽查核实: ['/api/samples'],
      审计日志: ['/api/audit?pageSize=20', `/api/audit?pageSize=20&household=${household}`],
      政策: ['/api/policies', '/api/policies/drafts', '/api/simulations'],
      用户: ['/api/users?pageSize=20'],
    };
    const lines: string[] = [];
    let worst = 0;
    for (const [page, paths] of Object.entries(pages)) {
      for (const path of paths) {
        const first = await get(path);
        if (first.status !== 200) throw new Error(`${path}: ${first.status} ${first.text.slice(0, 200)}`);
        const ms: number[] = [];
        for (let i = 0; i < SAMPLES; i++) {
          const t = process.hrtime.bigint();
          await get(path);
          ms.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        ms.sort((a, b) => a - b);
        const p50 = ms[Math.floor(ms.length * 0.5)];
        const p95 = ms[Math.ceil(ms.length * 0.95) - 1];
        worst = Math.max(worst, p95);
        lines.push(`  ${page.padEnd(5, '　')} ${path.padEnd(60)} p50 ${p50.toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  ${p95 < TARGET_P95_MS ? 'PASS' : 'FAIL'}`);
      }
    }
    const js = firstLoadJs(resolve(__dirname, '..', '..', 'web', 'dist'));
    process.stdout.write(
      [
        '',
        `console benchmark: ${city.manifest.households.toLocaleString('en-US')} households, ${SAMPLES} requests per call, one at a time, as an admin (target p95 < ${TARGET_P95_MS} ms)`,
        ...lines,
        `  slowest p95: ${worst.toFixed(1)} ms  ${worst < TARGET_P95_MS ? 'PASS' : 'FAIL'}`,
        `  first load: ${(js.gzip / 1024).toFixed(0)} KB of gzipped JavaScript (${js.files} files, ${(js.raw / 1024).toFixed(0)} KB raw) before any page's chunk (target < ${JS_BUDGET / 1024} KB)  ${js.gzip < JS_BUDGET ? 'PASS' : 'FAIL'}`,
        '',
      ].join('\n'),
    );
  } finally {
    await app.close();
    await city.close();
  }
}

/** The JavaScript index.html loads first: its entry script and modulepreload links, gzipped. */
function firstLoadJs(dist: string): { files: number; raw: number; gzip: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(join(dist, f));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: files.length, raw, gzip };
}
