import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

/**
 * The import direction, checked on the sources (README "Layout"): arrows point down only.
 *
 *   src/main.ts, cli.ts, bootstrap.ts, app.module.ts, ops/   composition
 *   src/worker/       processors, the pipeline between jobs, schedulers
 *   src/<domain>/     sources, eligibility, cases, registry, exports, ...
 *   jobs/             job catalogue, presets, ids, QueueService (the one owner of the queues)
 *   src/common, src/config, src/database   infrastructure
 */
const ROOT = resolve(__dirname, '..', '..');
const COMPOSITION = ['src/main.ts', 'src/cli.ts', 'src/bootstrap.ts', 'src/app.module.ts'];

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'generated' ? [] : files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Project-relative paths of the relative imports of a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => relative(ROOT, resolve(ROOT, dirname(file), m[1])));
}

const layerOf = (path: string): string => {
  if (COMPOSITION.some((c) => path === c.replace(/\.ts$/, '') || path === c) || path.startsWith('src/ops')) return 'composition';
  if (path.startsWith('src/worker')) return 'worker';
  if (path.startsWith('jobs')) return 'jobs';
  if (/^src\/(common|config|database|generated)/.test(path)) return 'infrastructure';
  return 'domain';
};
const RANK: Record<string, number> = { composition: 4, worker: 3, domain: 2, jobs: 1, infrastructure: 0 };

describe('layers: imports run one way', () => {
  const all = [...files('src'), ...files('jobs')];

  it('no file imports from a layer above its own', () => {
    const upward = all.flatMap((file) =>
      importsOf(file)
        .filter((target) => RANK[layerOf(target)] > RANK[layerOf(file)])
        .map((target) => `${file} → ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('domain code never imports BullMQ: it throws NeverRetry and RetryLater, which the job layer translates', () => {
    const domain = all.filter((f) => layerOf(f) === 'domain');
    expect(domain.filter((f) => /from 'bullmq'|from '@nestjs\/bullmq'/.test(readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('the layers are what the README says they are', () => {
    expect(layerOf('src/worker/pipeline')).toBe('worker');
    expect(layerOf('jobs/queue.service')).toBe('jobs');
    expect(layerOf('src/sources/sync.service')).toBe('domain');
    expect(all.length).toBeGreaterThan(100);
  });
});
