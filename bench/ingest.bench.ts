import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AppModule } from '../src/app.module';
import { detectEncoding } from '../src/common/tabular';
import { loadConfig } from '../src/config/config';
import { ensureDatabase, migrate } from '../src/database/migrator';
import { generateCity, GenerateSummary } from '../src/generator/city-generator';
import { envNameOf } from '../src/sources/source-definition';
import { SOURCES } from '../src/sources/sources.catalog';
import { SyncService } from '../src/sources/sync.service';
import { SourcesService } from '../src/sources/sources.service';
import { watchProgress } from '../src/ops/progress';
import { QueueService } from '../jobs/queue.service';
import { linkFeeds } from './city-steps';

/**
 * `npm run bench -- ingest [--records N]`: records per second of the sync pipeline for the file
 * drop and the HTTP pull, next to a plain COPY of the same rows into an empty table (the floor),
 * measured in the same run on the same database server.
 */
const RECORDS_PER_HOUSEHOLD = 34.5;

export async function ingestBench(args: { records: number; dataDir: string; databaseUrl: string; redisUrl: string }): Promise<void> {
  const households = Math.ceil(args.records / RECORDS_PER_HOUSEHOLD);
  const cityDir = resolve(args.dataDir, `bench-city-${households}`);
  let manifest: GenerateSummary;
  if (existsSync(join(cityDir, 'manifest.json'))) manifest = JSON.parse(readFileSync(join(cityDir, 'manifest.json'), 'utf8')) as GenerateSummary;
  else {
    const t = Date.now();
    manifest = await generateCity({ households, seed: 7, outDir: cityDir, pageSize: 1000 });
    log(`generated ${households} households in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const total = SOURCES.reduce((n, s) => n + manifest.records[s.name] + manifest.malformed[s.name], 0);
  log(`feed records: ${total.toLocaleString('en-US')} over ${SOURCES.length} sources`);

  await ensureDatabase(args.databaseUrl);
  await resetDatabase(args.databaseUrl);
  await migrate(args.databaseUrl);

  // The floor: the same CSV rows COPYed into an empty table, parsed by the server.
  const floorMs = await plainCopy(args.databaseUrl, cityDir);
  const floorRate = total / (floorMs / 1000);

  // File drop.
  const drop = resolve(args.dataDir, 'bench-drop');
  linkFeeds(cityDir, drop, SOURCES.map((s) => s.name));
  const fileMs = await timeSyncs({ ...args, env: { FEED_DROP_DIR: drop } });
  const fileRate = total / (fileMs.ms / 1000);

  // HTTP pull from a local page server, into a fresh database.
  await resetDatabase(args.databaseUrl);
  await migrate(args.databaseUrl);
  const server = await pageServer(cityDir);
  const env: Record<string, string> = { FEED_DROP_DIR: resolve(args.dataDir, 'bench-none') };
  for (const s of SOURCES) {
    env[`SOURCE_${envNameOf(s.name)}_URL`] = `${server.url}/${s.name}`;
    env[`SOURCE_${envNameOf(s.name)}_TOKEN`] = 'bench';
  }
  const httpMs = await timeSyncs({ ...args, env });
  await server.close();
  const httpRate = total / (httpMs.ms / 1000);

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  process.stdout.write(
    [
      '',
      `ingest benchmark: ${fmt(total)} records (${households} households, 8 sources)`,
      `  plain COPY into an empty table : ${(floorMs / 1000).toFixed(1)} s  ${fmt(floorRate)} records/s  (floor)`,
      `  file drop  (CSV/GBK/XLSX)      : ${(fileMs.ms / 1000).toFixed(1)} s  ${fmt(fileRate)} records/s  ratio ${(fileRate / floorRate).toFixed(2)}  peak RSS ${fileMs.rssMb} MB`,
      `  HTTP pull  (JSON pages)        : ${(httpMs.ms / 1000).toFixed(1)} s  ${fmt(httpRate)} records/s  ratio ${(httpRate / floorRate).toFixed(2)}  peak RSS ${httpMs.rssMb} MB`,
      '',
    ].join('\n'),
  );
}

function log(s: string) {
  process.stderr.write(`${s}\n`);
}

async function resetDatabase(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public;`);
  await c.end();
}

async function plainCopy(url: string, cityDir: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const started = Date.now();
  for (const s of SOURCES) {
    for (const f of readdirSync(join(cityDir, 'feeds', s.name)).filter((x) => x.endsWith('.csv'))) {
      const path = join(cityDir, 'feeds', s.name, f);
      const fh = await open(path, 'r');
      const sample = Buffer.alloc(65536);
      const { bytesRead } = await fh.read(sample, 0, sample.length, 0);
      await fh.close();
      const table = `floor_${s.name.replace(/-/g, '_')}`;
      await c.query(`CREATE TABLE ${table} (${s.headers.map((_, i) => `c${i} text`).join(', ')})`);
      const enc = detectEncoding(sample.subarray(0, bytesRead)) === 'gbk' ? 'GBK' : 'UTF8';
      await pipeline(createReadStream(path), c.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING '${enc}')`)));
    }
  }
  const ms = Date.now() - started;
  await c.end();
  return ms;
}

async function timeSyncs(args: { databaseUrl: string; redisUrl: string; env: Record<string, string> }): Promise<{ ms: number; rssMb: number }> {
  const config = loadConfig({ ...process.env, ...args.env, DATABASE_URL: args.databaseUrl, REDIS_URL: args.redisUrl, APP_ROLE: 'api', QUEUE_PREFIX: 'phrbench', LOG_LEVEL: 'warn' });
  const app: INestApplicationContext = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: ['error', 'warn'] });
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = Date.now();
  try {
    const sync = app.get(SyncService);
    // Two sources at a time, as two worker slots would; each run under a job id of its own, for its progress.
    const jobs = SOURCES.map((s) => ({ id: `bench-${started}-${s.name}`, source: s.name }));
    const queue = [...jobs];
    const all = Promise.all(
      [0, 1].map(async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          const r = await sync.run({ source: job.source, mode: 'incremental', trigger: 'cli' }, job.id);
          log(`  ${job.source}: ${r.received} received, ${r.inserted} inserted, ${r.rejected} rejected`);
        }
      }),
    );
    await watchProgress('ingest', all, () => app.get(SourcesService).progress(jobs));
    return { ms: Date.now() - started, rssMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
    // The recomputes the syncs enqueued (no worker runs them here) and the sync jobs' history.
    await app.get(QueueService).obliterateAll().catch(() => undefined);
    await app.close();
  }
}

/** Serves the generator's JSON pages (one per line) with the contract's cursor paging. */
async function pageServer(cityDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const index = new Map<string, { path: string; offsets: number[] }>();
  for (const s of SOURCES) {
    const path = join(cityDir, 'pages', `${s.name}.jsonl`);
    const offsets = [0];
    let pos = 0;
    for await (const chunk of createReadStream(path)) {
      const b = chunk as Buffer;
      for (let i = 0; i < b.length; i++) if (b[i] === 10) offsets.push(pos + i + 1);
      pos += b.length;
    }
    index.set(s.name, { path, offsets });
  }
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, source] = url.pathname.split('/');
    const entry = index.get(source);
    if (!entry) return res.writeHead(404).end();
    const cursor = url.searchParams.get('cursor');
    const page = cursor ? Number(cursor.replace(/^c_/, '')) : 0;
    if (page >= entry.offsets.length - 1) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ source, records: [], nextCursor: cursor, hasMore: false }));
    }
    const fh = await open(entry.path, 'r');
    const len = entry.offsets[page + 1] - entry.offsets[page];
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, entry.offsets[page]);
    await fh.close();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(buf);
  };
  const server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
