import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { JobName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { DomainError, notFound, RetryLater } from '../common/errors';
import { PolicyService } from '../policy/policy.service';
import { evaluateHousehold } from './evaluate';
import { readSnapshots } from './snapshot-reader';
import { today } from '../common/clock';
import { progressOf, type ProgressFigures } from '../common/progress';
import { FindingsRepository, StoredFinding, StoredResult } from './findings.repository';
import { RecomputeRunRepository, ShardRange } from './recompute-run.repository';

export interface PlanResult {
  runId: string;
  mode: 'full' | 'incremental';
  asOf: string;
  shards: number;
  households: number;
  /** True when a run in progress already covered the request (no new run). */
  reused: boolean;
}

/**
 * Recompute runs: a plan (full, or incremental from the change log since a base run with the same
 * as-of date and policy version), shards of household ranges that any worker evaluates, and a
 * finish that closes the run and lists what changed. Every step can run twice with one result.
 */
@Injectable()
export class RecomputeService {
  private readonly log = new Logger('recompute');

  constructor(
    private readonly db: DatabaseService,
    private readonly runRepository: RecomputeRunRepository,
    private readonly findingsRepository: FindingsRepository,
    private readonly policies: PolicyService,
    private readonly queues: QueueService,
    private readonly config: AppConfig,
  ) {}

  async plan(opts: { asOf?: string; full: boolean; trigger: string }): Promise<PlanResult> {
    const asOf = opts.asOf ?? today();
    if (Number.isNaN(Date.parse(asOf))) throw new DomainError('VALIDATION', `日期无效: ${asOf}`);
    const policy = await this.policies.inForce(asOf);
    const planned = await this.db.tx(async (c) => {
      await this.runRepository.lockPlanning(c);
      const logTo = await this.runRepository.changeLogHead(c);
      if (!opts.full) {
        // One run per as-of date at a time: a run in progress that covers every change so far
        // answers this request; otherwise this one starts after it, from its results.
        let running = await this.runRepository.findRunning(c, asOf, policy.id);
        // A run whose finish job is gone or failed will never complete (its worker's queue is lost).
        if (running && !(await this.finishPending(running.id))) {
          await this.runRepository.abandon(c, running.id);
          running = undefined;
        }
        if (running && BigInt(running.change_log_to ?? 0) >= logTo) {
          const households: number = running.mode === 'full' ? running.households : await this.runRepository.scopeSize(c, running.id);
          return { runId: String(running.id), mode: running.mode, asOf, shards: running.shards, households, reused: true };
        }
        if (running) throw new RetryLater(`recompute run ${running.id} as of ${asOf} is in progress`, 15_000);
      }
      const base = opts.full ? undefined : await this.runRepository.findLastCompleted(c, asOf, policy.id);
      const mode: PlanResult['mode'] = base ? 'incremental' : 'full';
      const runId = await this.runRepository.create(c, {
        asOf,
        policyId: policy.id,
        mode,
        trigger: opts.trigger,
        baseRunId: base?.id ?? null,
        changeLogFrom: base?.change_log_to ?? null,
        changeLogTo: logTo,
      });
      let ids: number[];
      if (!base) {
        ids = await this.runRepository.activeHouseholdIds(c);
      } else {
        await this.runRepository.createScope(c, runId, BigInt(base.change_log_to ?? 0), logTo, base.started_at);
        await this.runRepository.analyzeScope(c);
        ids = await this.runRepository.scopeHouseholdIds(c, runId);
        // Households outside the scope keep their results: carried over from the base run.
        await this.findingsRepository.carryOver(c, runId, base.id);
      }
      const size = this.config.recomputeShardSize;
      const shards: ShardRange[] = [];
      for (let i = 0; i < ids.length; i += size) shards.push({ shard: shards.length, from: ids[i], to: ids[Math.min(i + size, ids.length) - 1] });
      await this.runRepository.createShards(c, runId, shards);
      await this.runRepository.setSize(c, runId, shards.length, await this.runRepository.countActiveHouseholds(c));
      return { runId: runId.toString(), mode, asOf, shards: shards.length, households: ids.length, reused: false };
    });
    if (planned.reused) return planned;
    await this.queues.flow(
      { name: JobName.RecomputeFinish, input: { runId: planned.runId } },
      Array.from({ length: planned.shards }, (_, shard) => ({ name: JobName.RecomputeShard, input: { runId: planned.runId, shard } })),
    );
    this.log.log(`run ${planned.runId}: ${planned.mode} as of ${asOf}, ${planned.households} households in ${planned.shards} shards (policy ${policy.version})`);
    return planned;
  }

  /**
   * Whether a running run's finish job can still complete it. Gone or failed: no. Completed while
   * the run is still `running`: that job finished some other run (a job met from another database
   * under the same id), so no either.
   */
  private async finishPending(runId: string | number): Promise<boolean> {
    const job = await this.queues.jobFor(JobName.RecomputeFinish, { runId: String(runId) });
    if (!job) return false;
    return !(await job.isFailed()) && !(await job.isCompleted());
  }

  /** Evaluates one shard; re-running it replaces its results (idempotent, serialised per shard). */
  async shard(runIdText: string, shardNo: number): Promise<{ evaluated: number; findings: number }> {
    const runId = BigInt(runIdText);
    const run = await this.runRepository.get(runId);
    if (!run) throw notFound('复核批次', runIdText);
    const policy = await this.policies.byId(run.policy_version_id);
    const shard = await this.runRepository.getShard(runId, shardNo);
    if (!shard) throw notFound('复核批次分片', `${runIdText}/${shardNo}`);
    // Independent reads run in parallel on pooled connections; the results are written in one transaction.
    const started = Date.now();
    const snapshots = await readSnapshots(this.db.reader, {
      fromId: shard.from_id,
      toId: shard.to_id,
      scopeRunId: run.mode === 'incremental' ? runId : null,
    });
    const read = Date.now();
    const verdicts = snapshots.map((s) => evaluateHousehold(s, run.as_of, policy.document));
    const evaluated = Date.now();
    const findings: StoredFinding[] = verdicts.flatMap((v) =>
      v.findings.map((f) => ({ householdId: v.householdId, ruleCode: f.code, level: f.level ?? null, score: f.score ?? null, evidence: f, fingerprint: fingerprint(f.values) })),
    );
    const results: StoredResult[] = verdicts
      .filter((v) => v.findings.length || v.tasks.length || (v.subletScore ?? 0) > 0)
      .map((v) => ({
        householdId: v.householdId,
        rules: v.findings.map((f) => f.code),
        subletScore: v.subletScore,
        subletLevel: v.subletLevel,
        tasks: v.tasks,
        members: { evaluation: v.evaluationMembers, excluded: v.excludedMembers },
      }));
    const result = await this.db.tx(async (c) => {
      await this.runRepository.lockShard(c, runId, shardNo);
      await this.findingsRepository.replaceResults(c, runId, snapshots.map((s) => s.householdId), findings, results);
      await this.runRepository.finishShard(c, runId, shardNo, snapshots.length);
      return { evaluated: snapshots.length, findings: findings.length };
    });
    this.log.debug(`run ${runIdText} shard ${shardNo}: ${snapshots.length} households, read ${read - started} ms, evaluate ${evaluated - read} ms, write ${Date.now() - evaluated} ms`);
    return result;
  }

  /** A run's households evaluated so far (by its finished shards) against its size; null for an unknown run. */
  async progress(runIdText: string): Promise<ProgressFigures | null> {
    const p = await this.runRepository.progress(BigInt(runIdText));
    return p ? progressOf(p.households_done, p.households, 'households', p.started_at) : null;
  }

  /** Closes a run: figures by rule, and what changed against the previous completed run of the same as-of date. */
  async finish(runIdText: string): Promise<Record<string, unknown>> {
    const runId = BigInt(runIdText);
    return this.db.tx(async (c) => {
      const run = await this.runRepository.getForUpdate(c, runId);
      if (!run) throw notFound('复核批次', runIdText);
      const open = await this.runRepository.countOpenShards(c, runId);
      if (open) throw new Error(`run ${runIdText}: ${open} shards not finished`);
      const prev = await this.runRepository.findPreviousCompleted(c, run.as_of, runId);
      const byRule = await this.findingsRepository.countByRule(c, runId);
      const diff = prev ? await this.findingsRepository.changeCounts(runId, prev.id, undefined, c) : null;
      const evaluated = await this.runRepository.countEvaluated(c, runId);
      const withFindings = await this.findingsRepository.householdsWithFindingsCount(c, runId);
      const counts = { byRule, previousRunId: prev ? String(prev.id) : null, changes: diff };
      await this.runRepository.complete(c, runId, { evaluated, withFindings, counts });
      return { runId: runIdText, evaluated, withFindings, ...counts };
    });
  }
}

/** Stable hash of a finding's values (record order and key order do not matter). */
export function fingerprint(values: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canon(values))).digest('hex').slice(0, 32);
}
