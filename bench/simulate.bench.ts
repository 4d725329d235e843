import { cliActor } from '../src/auth/actor';
import { DraftsService } from '../src/policy/drafts.service';
import { SimulationService } from '../src/simulation/simulation.service';
import { benchCity } from './recompute.bench';

/**
 * `npm run bench -- simulate [--households N]`: on the recompute bench's city, in one run: a full
 * recompute, one simulation (a draft moving the income line), and a 10-point sweep of that line.
 * Targets (issue 14): the simulation within 1.5x of the full recompute, the sweep within 3x.
 */
export async function simulateBench(args: { households: number; dataDir: string; databaseUrl: string; redisUrl: string; reuse?: boolean }): Promise<void> {
  const city = await benchCity(args);
  try {
    const simulations = city.app.get(SimulationService);
    const drafts = city.app.get(DraftsService);
    const actor = cliActor();
    const asOf = city.manifest.asOf;
    /** Starts a simulation and waits for it (workers in this process take its shards). */
    const simulate = async (body: Parameters<SimulationService['start']>[0]) => {
      const started = Date.now();
      const { id, shards } = await simulations.start(body, actor);
      for (;;) {
        const r = await simulations.get(id, actor);
        if (r.status === 'completed') return { ms: Date.now() - started, id, shards, result: r };
        if (r.status === 'failed') throw new Error(`simulation ${id} failed: ${r.error}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const full = await city.recompute(true, `bench-sim-full-${Date.now()}`);
    const draft = await drafts.create({ name: 'bench: income line 52,000', parameters: { incomePerCapita: 52_000 } }, actor);
    const one = await simulate({ draft: draft.id, asOf });
    const sweep = await simulate({ draft: draft.id, asOf, sweep: { parameter: 'incomePerCapita', from: 40_000, to: 58_000, step: 2_000 } });
    const c = one.result.comparison!;
    const income = c.byRule.find((r) => r.rule === 'INCOME_OVER');
    const oneRatio = one.ms / full.ms;
    const sweepRatio = sweep.ms / full.ms;
    process.stdout.write(
      [
        '',
        `simulate benchmark: ${city.manifest.households.toLocaleString('en-US')} households`,
        `  full recompute, 1 worker process (${full.plan.shards} shards) : ${sec(full.ms)} s`,
        `  one simulation (income line 48,000 → 52,000; ${one.shards} shards) : ${sec(one.ms)} s  = ${oneRatio.toFixed(2)} x full recompute (target ≤ 1.5)  ${oneRatio <= 1.5 ? 'PASS' : 'FAIL'}`,
        `    INCOME_OVER households: ${income?.inForce ?? 0} → ${income?.draft ?? 0}; failing any rule: ${c.failing.inForce} → ${c.failing.draft}`,
        `  10-point sweep (income line 40,000..58,000 step 2,000) : ${sec(sweep.ms)} s  = ${sweepRatio.toFixed(2)} x full recompute (target ≤ 3)  ${sweepRatio <= 3 ? 'PASS' : 'FAIL'}`,
        `    INCOME_OVER along the sweep: ${(sweep.result.sweep?.points ?? []).map((p) => `${p.value / 1000}k:${p.byRule.INCOME_OVER ?? 0}`).join(' ')}`,
        '',
      ].join('\n'),
    );
  } finally {
    await city.close();
  }
}

const sec = (ms: number) => (ms / 1000).toFixed(1);
