import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ingestBench } from './ingest.bench';
import { recomputeBench } from './recompute.bench';
import { exportBench } from './export.bench';
import { loadBench } from './load.bench';
import { simulateBench } from './simulate.bench';
import { consoleBench } from './console.bench';
import { cityBench } from './city.bench';
import { documentsBench } from './documents.bench';

/** `npm run bench -- <ingest|recompute> [options]`: prints its figures; not a test. */
async function main(): Promise<void> {
  const [what, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { rows: { type: 'string', default: '100000' }, records: { type: 'string', default: '1000000' }, households: { type: 'string' }, requests: { type: 'string', default: '2000' }, 'bad-requests': { type: 'string', default: '500' }, concurrency: { type: 'string', default: '100' }, cap: { type: 'string', default: '120' }, data: { type: 'string', default: '.data' }, reuse: { type: 'boolean', default: false }, notices: { type: 'string', default: '1000' } },
  });
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/phr_bench';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  switch (what) {
    case 'ingest':
      return ingestBench({ records: Number(values.records), dataDir: values.data, databaseUrl, redisUrl });
    case 'recompute':
      return recomputeBench({ households: Number(values.households ?? 100000), dataDir: values.data, databaseUrl, redisUrl, reuse: values.reuse });
    case 'city':
      return cityBench({ households: Number(values.households ?? 1000000), dataDir: values.data, databaseUrl: process.env.BENCH_CITY_DATABASE_URL ?? `${databaseUrl}_city`, redisUrl });
    case 'console':
      return consoleBench({ households: Number(values.households ?? 100000), dataDir: values.data, databaseUrl, redisUrl, reuse: values.reuse });
    case 'simulate':
      return simulateBench({ households: Number(values.households ?? 100000), dataDir: values.data, databaseUrl, redisUrl, reuse: values.reuse });
    case 'documents':
      return documentsBench({
        households: Number(values.households ?? 30000),
        notices: Number(values.notices),
        dataDir: values.data,
        databaseUrl: process.env.BENCH_DOCUMENTS_DATABASE_URL ?? `${databaseUrl}_documents`,
        redisUrl,
        reuse: values.reuse,
      });
    case 'export':
      return exportBench({ rows: Number(values.rows), dataDir: values.data, databaseUrl: process.env.BENCH_EXPORT_DATABASE_URL ?? `${databaseUrl}_export`, redisUrl });
    case 'load':
      return loadBench({
        households: Number(values.households ?? 2000),
        requests: Number(values.requests),
        badRequests: Number(values['bad-requests']),
        concurrency: Number(values.concurrency),
        capSeconds: Number(values.cap),
        dataDir: values.data,
        databaseUrl: process.env.BENCH_LOAD_DATABASE_URL ?? `${databaseUrl}_load`,
        redisUrl,
      });
    default:
      process.stderr.write('usage: npm run bench -- ingest [--records N] | recompute [--households N] [--reuse] | simulate [--households N] [--reuse] | documents [--households N] [--notices N] [--reuse] | export [--rows N] | load [--households N] [--requests N] [--bad-requests N] [--concurrency N] [--cap SECONDS]\n');
      process.exitCode = 2;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
