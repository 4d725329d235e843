import type { JobsOptions } from 'bullmq';

/** Named job-option presets: bounded history, exponential backoff, failures kept for review. */
export const JOB_PRESETS = {
  /** Talks to an outside system: retried with exponential backoff (2s, 4s, 8s ... ~17 min). */
  external: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { count: 1000, age: 7 * 24 * 3600 },
    removeOnFail: false,
  },
  /** Internal computation: a few retries for transient database errors. */
  compute: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { count: 1000, age: 7 * 24 * 3600 },
    removeOnFail: false,
  },
  /** Schedulers' ticks: cheap, only enqueue other jobs. */
  tick: {
    attempts: 2,
    backoff: { type: 'fixed', delay: 5_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 1000 },
  },
} as const satisfies Record<string, JobsOptions>;

export type PresetName = keyof typeof JOB_PRESETS;
