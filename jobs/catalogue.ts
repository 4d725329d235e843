import { z } from 'zod';
import type { PresetName } from './presets';

/**
 * The closed catalogue of queues and jobs. Every job has a payload schema (parsed at the start
 * of its handler and before it is enqueued), an option preset and a deterministic id for dedup.
 * Payloads carry internal ids and cursors only: never an ID number or a name.
 */
export enum QueueName {
  Sources = 'sources',
  Recompute = 'recompute',
  Cases = 'cases',
  /** What-if runs with a draft policy: apart from the recompute queue, so they never delay a real run. */
  Simulation = 'simulation',
  /** Notices from templates: one per case step, and batch ZIPs for printing. */
  Documents = 'documents',
}

export enum JobName {
  /** Pull one department source (HTTP pages or dropped files) into PostgreSQL. */
  SyncSource = 'sync-source',
  /** Plan a recompute run (full or incremental), create its shards and enqueue them as a flow. */
  RecomputePlan = 'recompute-plan',
  /** Evaluate one shard of households of a run. */
  RecomputeShard = 'recompute-shard',
  /** Close a run once all its shards are done (the parent of the shards' flow). */
  RecomputeFinish = 'recompute-finish',
  /** Open, join and resolve cases from a completed run's findings. */
  CasesFollowRun = 'cases-follow-run',
  /** Daily: exit notices after contest windows, 应退未退 after deadlines, handovers. */
  CasesDeadlines = 'cases-deadlines',
  /** Evaluate one shard of households under the policy in force and a draft (or a sweep's values). */
  SimulationShard = 'simulation-shard',
  /** Close a simulation once all its shards are done (the parent of the shards' flow). */
  SimulationFinish = 'simulation-finish',
  /** Generate the notice of one case step (inspection ordered, confirmation, exit notice, 催告). */
  DocumentGenerate = 'document-generate',
  /** One ZIP of a kind's notices of the matching cases (generating missing ones), with progress. */
  DocumentBatch = 'document-batch',
}

const sourceName = z.string().regex(/^[a-z][a-z-]{1,40}$/);

export const JOB_SCHEMAS = {
  [JobName.SyncSource]: z.object({
    source: sourceName,
    /** full: start without a cursor and withdraw what the department no longer has. */
    mode: z.enum(['incremental', 'full']).default('incremental'),
    /** What asked for it: a schedule tick, the API, the CLI (kept on the sync run). */
    trigger: z.enum(['schedule', 'api', 'cli', 'demo', 'test']).default('schedule'),
    /** Dedup key: one job per (source, requestKey). */
    requestKey: z.string().regex(/^[\w.-]{1,80}$/, "letters, digits, _ . - only"),
  }),
  [JobName.RecomputePlan]: z.object({
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    full: z.boolean().default(false),
    trigger: z.enum(['schedule', 'api', 'cli', 'demo', 'test', 'sync']).default('api'),
    requestKey: z.string().regex(/^[\w.-]{1,80}$/, 'letters, digits, _ . - only'),
  }),
  [JobName.RecomputeShard]: z.object({ runId: z.string().regex(/^\d+$/), shard: z.number().int().min(0) }),
  [JobName.RecomputeFinish]: z.object({ runId: z.string().regex(/^\d+$/) }),
  [JobName.CasesFollowRun]: z.object({ runId: z.string().regex(/^\d+$/) }),
  [JobName.CasesDeadlines]: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), requestKey: z.string().regex(/^[\w.-]{1,80}$/) }),
  [JobName.SimulationShard]: z.object({ simulationId: z.string().regex(/^\d+$/), shard: z.number().int().min(0) }),
  [JobName.SimulationFinish]: z.object({ simulationId: z.string().regex(/^\d+$/) }),
  [JobName.DocumentGenerate]: z.object({ caseId: z.string().regex(/^\d+$/), eventId: z.string().regex(/^\d+$/) }),
  [JobName.DocumentBatch]: z.object({ batchId: z.string().regex(/^\d+$/) }),
} as const satisfies Record<JobName, z.ZodType>;

export type JobPayload<N extends JobName> = z.infer<(typeof JOB_SCHEMAS)[N]>;
export type JobInput<N extends JobName> = z.input<(typeof JOB_SCHEMAS)[N]>;

export interface JobSpec<N extends JobName> {
  queue: QueueName;
  preset: PresetName;
  /** Deterministic id: the same request enqueued twice is one job. */
  jobId(p: JobPayload<N>): string;
}

export const JOB_SPECS: { [N in JobName]: JobSpec<N> } = {
  [JobName.SyncSource]: {
    queue: QueueName.Sources,
    preset: 'external',
    jobId: (p) => `sync.${p.source}.${p.mode}.${p.requestKey}`,
  },
  [JobName.RecomputePlan]: {
    queue: QueueName.Recompute,
    preset: 'compute',
    jobId: (p) => `recompute.plan.${p.asOf ?? 'today'}.${p.full ? 'full' : 'incr'}.${p.requestKey}`,
  },
  [JobName.RecomputeShard]: { queue: QueueName.Recompute, preset: 'compute', jobId: (p) => `recompute.${p.runId}.shard.${p.shard}` },
  [JobName.RecomputeFinish]: { queue: QueueName.Recompute, preset: 'compute', jobId: (p) => `recompute.${p.runId}.finish` },
  [JobName.CasesFollowRun]: { queue: QueueName.Cases, preset: 'compute', jobId: (p) => `cases.follow-run.${p.runId}` },
  [JobName.CasesDeadlines]: { queue: QueueName.Cases, preset: 'tick', jobId: (p) => `cases.deadlines.${p.date ?? 'today'}.${p.requestKey}` },
  [JobName.SimulationShard]: { queue: QueueName.Simulation, preset: 'compute', jobId: (p) => `simulation.${p.simulationId}.shard.${p.shard}` },
  [JobName.SimulationFinish]: { queue: QueueName.Simulation, preset: 'compute', jobId: (p) => `simulation.${p.simulationId}.finish` },
  [JobName.DocumentGenerate]: { queue: QueueName.Documents, preset: 'compute', jobId: (p) => `documents.case.${p.caseId}.step.${p.eventId}` },
  [JobName.DocumentBatch]: { queue: QueueName.Documents, preset: 'compute', jobId: (p) => `documents.batch.${p.batchId}` },
};

export const ALL_QUEUES = Object.values(QueueName);
export const ALL_JOBS = Object.values(JobName);

export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return JOB_SCHEMAS[name].parse(data) as JobPayload<N>;
}
