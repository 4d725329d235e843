import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { AdvisoryLock } from '../common/advisory-locks';
import { DatabaseService } from '../database/database.service';

/** A run in progress, as the plan sees it. */
export interface RunningRun {
  id: string;
  mode: 'full' | 'incremental';
  shards: number;
  households: number;
  change_log_to: string | null;
}

/** The last completed run of an as-of date and policy version: an incremental run's base. */
export interface BaseRun {
  id: string;
  change_log_to: string | null;
  started_at: Date;
}

export interface ShardRange {
  shard: number;
  from: number;
  to: number;
}

/**
 * Recompute runs, their shards and an incremental run's scope (`recompute_run`, `recompute_shard`,
 * `recompute_scope`), with the planning reads of the change log and the households to evaluate,
 * and the runs' advisory locks. Methods taking a client run in the caller's transaction.
 */
@Injectable()
export class RecomputeRunRepository {
  constructor(private readonly db: DatabaseService) {}

  // ---------------------------------------------------------------- plan (one transaction)

  /** One plan at a time, until the transaction ends. */
  async lockPlanning(c: PoolClient): Promise<void> {
    await c.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.RecomputePlan]);
  }

  /** The last change log id (0 for none). */
  async changeLogHead(c: PoolClient): Promise<bigint> {
    return BigInt((await c.query<{ id: string }>(`SELECT coalesce(max(id), 0) AS id FROM change_log`)).rows[0].id);
  }

  /** The newest run of this as-of date and policy still running, started within the hour. */
  async findRunning(c: PoolClient, asOf: string, policyId: number): Promise<RunningRun | undefined> {
    return (
      await c.query<RunningRun>(
        `SELECT id, mode, shards, households, change_log_to FROM recompute_run
          WHERE as_of = $1 AND policy_version_id = $2 AND status = 'running' AND started_at > now() - interval '1 hour'
          ORDER BY id DESC LIMIT 1`,
        [asOf, policyId],
      )
    ).rows[0];
  }

  async abandon(c: PoolClient, runId: string): Promise<void> {
    await c.query(`UPDATE recompute_run SET status = 'abandoned', finished_at = now() WHERE id = $1`, [runId]);
  }

  async findLastCompleted(c: PoolClient, asOf: string, policyId: number): Promise<BaseRun | undefined> {
    return (
      await c.query<BaseRun>(
        `SELECT id, change_log_to, started_at FROM recompute_run
          WHERE as_of = $1 AND policy_version_id = $2 AND status = 'completed' ORDER BY id DESC LIMIT 1`,
        [asOf, policyId],
      )
    ).rows[0];
  }

  async create(
    c: PoolClient,
    run: { asOf: string; policyId: number; mode: 'full' | 'incremental'; trigger: string; baseRunId: string | null; changeLogFrom: string | null; changeLogTo: bigint },
  ): Promise<bigint> {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO recompute_run (as_of, policy_version_id, mode, status, trigger, base_run_id, change_log_from, change_log_to)
       VALUES ($1, $2, $3, 'running', $4, $5, $6, $7) RETURNING id`,
      [run.asOf, run.policyId, run.mode, run.trigger, run.baseRunId, run.changeLogFrom, run.changeLogTo],
    );
    return BigInt(rows[0].id);
  }

  /** The households a run evaluates (active or waiting), in id order. */
  async activeHouseholdIds(c: PoolClient): Promise<number[]> {
    return (await c.query<{ id: number }>(`SELECT id FROM household WHERE status IN ('active', 'waiting') ORDER BY id`)).rows.map((r) => r.id);
  }

  async countActiveHouseholds(c: PoolClient): Promise<number> {
    return (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM household WHERE status IN ('active', 'waiting')`)).rows[0].n;
  }

  /**
   * The households an incremental run evaluates: those whose members (or members' spouses by
   * marriage) or unit changed in the change log, or whose registry rows changed since the base
   * run, and every 在保 household sharing a member with one of those (重复享受 flags both).
   */
  async createScope(c: PoolClient, runId: bigint, from: bigint, to: bigint, since: Date): Promise<void> {
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

  /**
   * Fresh statistics for the scope: planned as one row, the carry-over compared every base finding
   * with every scoped household (10 s instead of 0.1 s at 100,000 households).
   */
  async analyzeScope(c: PoolClient): Promise<void> {
    await c.query(`SELECT phr_analyze('recompute_scope')`);
  }

  async scopeHouseholdIds(c: PoolClient, runId: bigint): Promise<number[]> {
    return (await c.query<{ id: number }>(`SELECT household_id AS id FROM recompute_scope WHERE run_id = $1 ORDER BY 1`, [runId])).rows.map((r) => r.id);
  }

  async scopeSize(c: PoolClient, runId: string): Promise<number> {
    return (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM recompute_scope WHERE run_id = $1`, [runId])).rows[0].n;
  }

  async createShards(c: PoolClient, runId: bigint, shards: ShardRange[]): Promise<void> {
    if (!shards.length) return;
    await c.query(
      `INSERT INTO recompute_shard (run_id, shard, from_id, to_id) SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[])`,
      [runId, shards.map((s) => s.shard), shards.map((s) => s.from), shards.map((s) => s.to)],
    );
  }

  async setSize(c: PoolClient, runId: bigint, shards: number, households: number): Promise<void> {
    await c.query(`UPDATE recompute_run SET shards = $2, households = $3 WHERE id = $1`, [runId, shards, households]);
  }

  /** A run's size, start and what its finished shards evaluated so far (for its progress). */
  async progress(runId: bigint): Promise<{ status: string; started_at: Date; shards: number; households: number; shards_done: number; households_done: number } | undefined> {
    return (
      await this.db.pool.query<{ status: string; started_at: Date; shards: number; households: number; shards_done: number; households_done: number }>(
        `SELECT r.status, r.started_at, r.shards, r.households, count(s.shard)::int AS shards_done, coalesce(sum(s.evaluated), 0)::int AS households_done
           FROM recompute_run r LEFT JOIN recompute_shard s ON s.run_id = r.id AND s.finished_at IS NOT NULL WHERE r.id = $1 GROUP BY r.id`,
        [runId],
      )
    ).rows[0];
  }

  // ---------------------------------------------------------------- shards

  async get(runId: bigint): Promise<{ as_of: string; policy_version_id: number; mode: 'full' | 'incremental'; status: string } | undefined> {
    return (await this.db.pool.query<{ as_of: string; policy_version_id: number; mode: 'full' | 'incremental'; status: string }>(`SELECT as_of::text AS as_of, policy_version_id, mode, status FROM recompute_run WHERE id = $1`, [runId])).rows[0];
  }

  async getShard(runId: bigint, shard: number): Promise<{ from_id: number; to_id: number } | undefined> {
    return (await this.db.pool.query<{ from_id: number; to_id: number }>(`SELECT from_id, to_id FROM recompute_shard WHERE run_id = $1 AND shard = $2`, [runId, shard])).rows[0];
  }

  /** One writer per shard, until the transaction ends. */
  async lockShard(c: PoolClient, runId: bigint, shard: number): Promise<void> {
    await c.query('SELECT pg_advisory_xact_lock($1, $2)', [AdvisoryLock.RecomputeShard, Number((runId * 100_003n + BigInt(shard)) % 2_147_483_647n)]);
  }

  async finishShard(c: PoolClient, runId: bigint, shard: number, evaluated: number): Promise<void> {
    await c.query(`UPDATE recompute_shard SET evaluated = $3, finished_at = now() WHERE run_id = $1 AND shard = $2`, [runId, shard, evaluated]);
  }

  // ---------------------------------------------------------------- finish (one transaction)

  /** The run, locked until the transaction ends. */
  async getForUpdate(c: PoolClient, runId: bigint): Promise<{ id: string; as_of: Date; status: string } | undefined> {
    return (await c.query<{ id: string; as_of: Date; status: string }>(`SELECT id, as_of, status FROM recompute_run WHERE id = $1 FOR UPDATE`, [runId])).rows[0];
  }

  async countOpenShards(c: PoolClient, runId: bigint): Promise<number> {
    return (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM recompute_shard WHERE run_id = $1 AND finished_at IS NULL`, [runId])).rows[0].n;
  }

  /** The completed run of the same as-of date before this one. */
  async findPreviousCompleted(c: PoolClient, asOf: Date, runId: bigint): Promise<{ id: string } | undefined> {
    return (
      await c.query<{ id: string }>(`SELECT id FROM recompute_run WHERE as_of = $1 AND status = 'completed' AND id < $2 ORDER BY id DESC LIMIT 1`, [asOf, runId])
    ).rows[0];
  }

  async countEvaluated(c: PoolClient, runId: bigint): Promise<number> {
    return (await c.query<{ n: number }>(`SELECT coalesce(sum(evaluated), 0)::int AS n FROM recompute_shard WHERE run_id = $1`, [runId])).rows[0].n;
  }

  async complete(c: PoolClient, runId: bigint, figures: { evaluated: number; withFindings: number; counts: unknown }): Promise<void> {
    await c.query(
      `UPDATE recompute_run SET status = 'completed', finished_at = coalesce(finished_at, now()), evaluated = $2, with_findings = $3, counts = $4 WHERE id = $1`,
      [runId, figures.evaluated, figures.withFindings, JSON.stringify(figures.counts)],
    );
  }
}
