import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { JobName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { AppConfig } from '../config/config';
import { copyRows } from '../database/copy';
import { DatabaseService } from '../database/database.service';
import { DomainError, RetryLater } from '../common/errors';
import { PolicyService } from '../policy/policy.service';
import { evaluateHousehold } from './evaluate';
import { readSnapshots } from './snapshot-reader';
import { AdvisoryLock } from '../common/advisory-locks';
import { today } from '../common/clock';

/** A run's per-household results, and their columns besides (run_id, household_id). */
const CARRIED_OVER = [
  ['finding', 'rule_code, level, score, evidence, fingerprint'],
  ['household_result', 'rules, sublet_score, sublet_level, tasks, members'],
] as const;

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
    private readonly policies: PolicyService,
    private readonly queues: QueueService,
    private readonly config: AppConfig,
  ) {}

  async plan(opts: { asOf?: string; full: boolean; trigger: string }): Promise<PlanResult> {
    const asOf = opts.asOf ?? today();
    if (Number.isNaN(Date.parse(asOf))) throw new DomainError('VALIDATION', `日期无效: ${asOf}`);
    const policy = await this.policies.inForce(asOf);
    const planned = await this.db.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.RecomputePlan]);
      const logTo = BigInt((await c.query(`SELECT coalesce(max(id), 0) AS id FROM change_log`)).rows[0].id);
      if (!opts.full) {
        // One run per as-of date at a time: a run in progress that covers every change so far
        // answers this request; otherwise this one starts after it, from its results.
        let running = (
          await c.query(
            `SELECT id, mode, shards, households, change_log_to FROM recompute_run
              WHERE as_of = $1 AND policy_version_id = $2 AND status = 'running' AND started_at > now() - interval '1 hour'
              ORDER BY id DESC LIMIT 1`,
            [asOf, policy.id],
          )
        ).rows[0];
        // A run whose finish job is gone or failed will never complete (its worker's queue is lost).
        if (running && !(await this.finishPending(running.id))) {
          await c.query(`UPDATE recompute_run SET status = 'abandoned', finished_at = now() WHERE id = $1`, [running.id]);
          running = undefined;
        }
        if (running && BigInt(running.change_log_to ?? 0) >= logTo) {
          const households: number = running.mode === 'full'
            ? running.households
            : (await c.query(`SELECT count(*)::int AS n FROM recompute_scope WHERE run_id = $1`, [running.id])).rows[0].n;
          return { runId: String(running.id), mode: running.mode, asOf, shards: running.shards, households, reused: true };
        }
        if (running) throw new RetryLater(`recompute run ${running.id} as of ${asOf} is in progress`, 15_000);
      }
      const base = opts.full
        ? null
        : (
            await c.query(
              `SELECT id, change_log_to, started_at FROM recompute_run
                WHERE as_of = $1 AND policy_version_id = $2 AND status = 'completed' ORDER BY id DESC LIMIT 1`,
              [asOf, policy.id],
            )
          ).rows[0];
      const mode = base ? 'incremental' : 'full';
      const run = (
        await c.query(
          `INSERT INTO recompute_run (as_of, policy_version_id, mode, status, trigger, base_run_id, change_log_from, change_log_to)
           VALUES ($1, $2, $3, 'running', $4, $5, $6, $7) RETURNING id`,
          [asOf, policy.id, mode, opts.trigger, base?.id ?? null, base?.change_log_to ?? null, logTo],
        )
      ).rows[0];
      const runId = BigInt(run.id);
      let ids: number[];
      if (mode === 'full') {
        ids = (await c.query(`SELECT id FROM household WHERE status IN ('active', 'waiting') ORDER BY id`)).rows.map((r) => r.id);
      } else {
        await this.scope(c, runId, BigInt(base.change_log_to ?? 0), logTo, base.started_at);
        // Fresh statistics for the scope: planned as one row, the carry-over below compared every
        // base finding with every scoped household (10 s instead of 0.1 s at 100,000 households).
        await c.query(`SELECT phr_analyze('recompute_scope')`);
        ids = (await c.query(`SELECT household_id AS id FROM recompute_scope WHERE run_id = $1 ORDER BY 1`, [runId])).rows.map((r) => r.id);
        // Households outside the scope keep their results: carried over from the base run.
        for (const [table, columns] of CARRIED_OVER) {
          await c.query(
            `INSERT INTO ${table} (run_id, household_id, ${columns})
             SELECT $1::bigint, x.household_id, ${columns} FROM ${table} x
              WHERE x.run_id = $2 AND NOT EXISTS (SELECT 1 FROM recompute_scope s WHERE s.run_id = $1 AND s.household_id = x.household_id)
                AND EXISTS (SELECT 1 FROM household h WHERE h.id = x.household_id AND h.status IN ('active', 'waiting'))`,
            [runId, base.id],
          );
        }
      }
      const size = this.config.recomputeShardSize;
      const shards: { shard: number; from: number; to: number }[] = [];
      for (let i = 0; i < ids.length; i += size) shards.push({ shard: shards.length, from: ids[i], to: ids[Math.min(i + size, ids.length) - 1] });
      if (shards.length) {
        await c.query(
          `INSERT INTO recompute_shard (run_id, shard, from_id, to_id) SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[])`,
          [runId, shards.map((s) => s.shard), shards.map((s) => s.from), shards.map((s) => s.to)],
        );
      }
      const total = (await c.query(`SELECT count(*)::int AS n FROM household WHERE status IN ('active', 'waiting')`)).rows[0].n;
      await c.query(`UPDATE recompute_run SET shards = $2, households = $3 WHERE id = $1`, [runId, shards.length, total]);
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

  /**
   * The households an incremental run evaluates: those whose members (or members' spouses by
   * marriage) or unit changed in the change log, or whose registry rows changed since the base
   * run, and every 在保 household sharing a member with one of those (重复享受 flags both).
   */
  private async scope(c: import('pg').PoolClient, runId: bigint, from: bigint, to: bigint, since: Date): Promise<void> {
    await c.query(
      `WITH changed AS (SELECT DISTINCT person_id, unit_id FROM change_log WHERE id > $2 AND id <= $3),
       persons AS (
         SELECT person_id FROM changed WHERE person_id IS NOT NULL
         UNION
         SELECT r.other_person_id FROM source_record r JOIN changed c ON c.person_id = r.person_id WHERE r.kind = 'marriage'
         UNION
         SELECT r.person_id FROM source_record r JOIN changed c ON c.person_id = r.other_person_id WHERE r.kind = 'marriage'),
       touched AS (
         SELECT m.household_id FROM member m JOIN persons p ON p.person_id = m.person_id
         UNION SELECT h.id FROM household h JOIN changed c ON c.unit_id = h.unit_id
         UNION SELECT id FROM household WHERE updated_at > $4
         UNION SELECT household_id FROM member WHERE updated_at > $4
         UNION SELECT household_id FROM arrears WHERE created_at > $4),
       sharing AS (
         SELECT m2.household_id FROM touched t JOIN member m1 ON m1.household_id = t.household_id
           JOIN member m2 ON m2.person_id = m1.person_id AND m2.household_id <> m1.household_id)
       INSERT INTO recompute_scope (run_id, household_id)
       SELECT DISTINCT $1::bigint, x.household_id FROM (SELECT household_id FROM touched UNION SELECT household_id FROM sharing) x
         JOIN household h ON h.id = x.household_id WHERE h.status IN ('active', 'waiting')`,
      [runId, from, to, since],
    );
  }

  /** Evaluates one shard; re-running it replaces its results (idempotent, serialised per shard). */
  async shard(runIdText: string, shardNo: number): Promise<{ evaluated: number; findings: number }> {
    const runId = BigInt(runIdText);
    const run = (await this.db.pool.query(`SELECT as_of::text AS as_of, policy_version_id, mode, status FROM recompute_run WHERE id = $1`, [runId])).rows[0];
    if (!run) throw new DomainError('NOT_FOUND', `recompute run ${runIdText} not found`);
    const policy = await this.policies.byId(run.policy_version_id);
    const shard = (await this.db.pool.query(`SELECT from_id, to_id FROM recompute_shard WHERE run_id = $1 AND shard = $2`, [runId, shardNo])).rows[0];
    if (!shard) throw new DomainError('NOT_FOUND', `shard ${shardNo} of run ${runIdText} not found`);
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
    const result = await this.db.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [AdvisoryLock.RecomputeShard, Number((runId * 100_003n + BigInt(shardNo)) % 2_147_483_647n)]);
      const evaluatedIds = snapshots.map((s) => s.householdId);
      await c.query(`DELETE FROM finding WHERE run_id = $1 AND household_id = ANY($2)`, [runId, evaluatedIds]);
      await c.query(`DELETE FROM household_result WHERE run_id = $1 AND household_id = ANY($2)`, [runId, evaluatedIds]);
      const findings = verdicts.flatMap((v) =>
        v.findings.map((f) => [runId, v.householdId, f.code, f.level ?? null, f.score ?? null, JSON.stringify(f), fingerprint(f.values)]),
      );
      if (findings.length) await copyRows(c, 'finding', ['run_id', 'household_id', 'rule_code', 'level', 'score', 'evidence', 'fingerprint'], findings);
      const results = verdicts
        .filter((v) => v.findings.length || v.tasks.length || (v.subletScore ?? 0) > 0)
        .map((v) => [
          runId,
          v.householdId,
          `{${v.findings.map((f) => f.code).join(',')}}`,
          v.subletScore,
          v.subletLevel,
          JSON.stringify(v.tasks),
          JSON.stringify({ evaluation: v.evaluationMembers, excluded: v.excludedMembers }),
        ]);
      if (results.length) await copyRows(c, 'household_result', ['run_id', 'household_id', 'rules', 'sublet_score', 'sublet_level', 'tasks', 'members'], results);
      await c.query(`UPDATE recompute_shard SET evaluated = $3, finished_at = now() WHERE run_id = $1 AND shard = $2`, [runId, shardNo, snapshots.length]);
      return { evaluated: snapshots.length, findings: findings.length };
    });
    this.log.debug(`run ${runIdText} shard ${shardNo}: ${snapshots.length} households, read ${read - started} ms, evaluate ${evaluated - read} ms, write ${Date.now() - evaluated} ms`);
    return result;
  }

  /** Closes a run: figures by rule, and what changed against the previous completed run of the same as-of date. */
  async finish(runIdText: string): Promise<Record<string, unknown>> {
    const runId = BigInt(runIdText);
    return this.db.tx(async (c) => {
      const run = (await c.query(`SELECT id, as_of, status FROM recompute_run WHERE id = $1 FOR UPDATE`, [runId])).rows[0];
      if (!run) throw new DomainError('NOT_FOUND', `recompute run ${runIdText} not found`);
      const open = (await c.query(`SELECT count(*)::int AS n FROM recompute_shard WHERE run_id = $1 AND finished_at IS NULL`, [runId])).rows[0].n;
      if (open) throw new Error(`run ${runIdText}: ${open} shards not finished`);
      const prev = (
        await c.query(`SELECT id FROM recompute_run WHERE as_of = $1 AND status = 'completed' AND id < $2 ORDER BY id DESC LIMIT 1`, [run.as_of, runId])
      ).rows[0];
      const byRule = Object.fromEntries(
        (await c.query(`SELECT rule_code, count(*)::int AS n FROM finding WHERE run_id = $1 GROUP BY 1 ORDER BY 1`, [runId])).rows.map((r) => [r.rule_code, r.n]),
      );
      const diff = prev
        ? (
            await c.query(
              `SELECT count(*) FILTER (WHERE o.household_id IS NULL)::int AS new,
                      count(*) FILTER (WHERE n.household_id IS NULL)::int AS resolved,
                      count(*) FILTER (WHERE n.fingerprint <> o.fingerprint)::int AS changed
                 FROM (SELECT * FROM finding WHERE run_id = $1) n
                 FULL JOIN (SELECT * FROM finding WHERE run_id = $2) o USING (household_id, rule_code)`,
              [runId, prev.id],
            )
          ).rows[0]
        : null;
      const evaluated = (await c.query(`SELECT coalesce(sum(evaluated), 0)::int AS n FROM recompute_shard WHERE run_id = $1`, [runId])).rows[0].n;
      const withFindings = (await c.query(`SELECT count(DISTINCT household_id)::int AS n FROM finding WHERE run_id = $1`, [runId])).rows[0].n;
      const counts = { byRule, previousRunId: prev ? String(prev.id) : null, changes: diff };
      await c.query(
        `UPDATE recompute_run SET status = 'completed', finished_at = coalesce(finished_at, now()), evaluated = $2, with_findings = $3, counts = $4 WHERE id = $1`,
        [runId, evaluated, withFindings, JSON.stringify(counts)],
      );
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
