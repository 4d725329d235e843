/**
 * Every PostgreSQL advisory lock key of the service, in one place (like immich's DatabaseLock), so
 * that no two uses can pick the same number by accident. Two-key locks use the value as the first
 * key (a namespace) and a hash or an id as the second.
 */
export enum AdvisoryLock {
  /** The migration runner: one at a time, across processes (session lock). */
  Migrations = 727_001,
  /** A registry ledger import: one at a time (transaction lock). */
  RegistryImport = 727_002,
  /** A department source's sync, keyed by hashtext(source) (session lock, try-lock). */
  SourceSync = 727_100,
  /** Planning recompute runs: one plan at a time (transaction lock). */
  RecomputePlan = 727_200,
  /** One recompute shard, keyed by a hash of (run, shard) (transaction lock). */
  RecomputeShard = 727_201,
  /** The cases pass over a completed run (transaction lock). */
  CasesFollowRun = 727_300,
  /** One simulation shard, keyed by a hash of (simulation, shard) (transaction lock). */
  SimulationShard = 727_400,
}
