import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { NeverRetry, RetryLater } from '../common/errors';
import { maskText } from '../common/masking';
import { ZodError } from 'zod';
import { AppConfig } from '../config/config';
import { JobName, JobPayload, parsePayload } from '../../jobs/catalogue';

/** How long a job handed back at shutdown waits before any worker may take it. */
const HAND_BACK_DELAY_MS = 1_000;

export type Handlers = { [N in JobName]?: (payload: JobPayload<N>, job: Job) => Promise<unknown> };

/**
 * Base of every processor (the job layer: domain code never imports BullMQ): parses the payload with the job's zod schema (a payload that does not
 * parse can never succeed: not retried), then calls the handler for the job's name. A handler that
 * answers RetryLater has its job moved back to delayed, without spending one of its attempts.
 */
export abstract class CatalogueProcessor extends WorkerHost implements BeforeApplicationShutdown {
  protected readonly log = new Logger(this.constructor.name);
  protected abstract readonly handlers: Handlers;
  /** Jobs this worker is running now, with the lock token that lets it hand them back. */
  private readonly active = new Map<string, { job: Job; token?: string; done: Promise<unknown> }>();
  private shuttingDown = false;

  constructor(private readonly appConfig: AppConfig) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.appConfig.workerConcurrency;
    // A worker's 'error' (a lock it could not renew, a Redis hiccup) is logged: unlistened, Node
    // would throw it and end the process.
    this.worker.on('error', (err) => this.log.warn(`worker: ${err.message}`));
  }

  /**
   * Graceful shutdown (SIGTERM): take no new job, let the running ones finish within
   * SHUTDOWN_GRACE_MS, and hand back to the queue those that do not (another worker takes them;
   * every job is idempotent). Runs before BullMQ's own close, which would wait without a bound.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.worker.pause(true);
    const running = [...this.active.values()];
    if (!running.length) return;
    const finished = await Promise.race([
      Promise.allSettled(running.map((r) => r.done)).then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), this.appConfig.shutdownGraceMs).unref()),
    ]);
    if (finished) return;
    for (const { job, token } of this.active.values()) {
      await this.handBack(job, token).catch((err: Error) => this.log.warn(`${job.name} ${job.id} not handed back: ${err.message}`));
      this.log.warn(`${job.name} ${job.id} still running after ${this.appConfig.shutdownGraceMs} ms: handed back to the queue`);
    }
    await this.worker.close(true);
  }

  /**
   * Back to the queue, a moment later: a blocking fetch already under way when the worker paused
   * can still deliver a job, and an immediate return would let this closing worker take it again.
   */
  private handBack(job: Job, token?: string): Promise<void> {
    return job.moveToDelayed(Date.now() + HAND_BACK_DELAY_MS, token);
  }

  async process(job: Job, token?: string): Promise<unknown> {
    if (this.shuttingDown) {
      await this.handBack(job, token);
      throw new DelayedError();
    }
    const done = this.run(job, token);
    this.active.set(job.id!, { job, token, done });
    try {
      return await done;
    } finally {
      this.active.delete(job.id!);
    }
  }

  private async run(job: Job, token?: string): Promise<unknown> {
    const name = job.name as JobName;
    const handler = this.handlers[name] as ((p: unknown, j: Job) => Promise<unknown>) | undefined;
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    let payload: unknown;
    try {
      payload = parsePayload(name, job.data);
    } catch (err) {
      if (err instanceof ZodError) throw new UnrecoverableError(`invalid payload for ${job.name}: ${err.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      throw err;
    }
    try {
      return await handler(payload, job);
    } catch (err) {
      // Domain errors in BullMQ's terms: never retry → UnrecoverableError; retry later → delayed.
      if (err instanceof NeverRetry) throw new UnrecoverableError(maskText(err.message));
      if (!(err instanceof RetryLater) || !token) throw masked(err);
      this.log.log(`${job.name} ${job.id}: ${err.message}; again in ${err.delayMs} ms`);
      await job.moveToDelayed(Date.now() + err.delayMs, token);
      throw new DelayedError();
    }
  }
}

/**
 * An error as BullMQ keeps it in Redis (the job's failedReason and stack trace): ID-shaped numbers
 * masked, since a failure may quote a cell or a database value.
 */
function masked(err: unknown): unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? maskText(err) : err;
  err.message = maskText(err.message);
  if (err.stack) err.stack = maskText(err.stack);
  return err;
}
