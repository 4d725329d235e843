import { Logger } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { RetryLater } from '../../src/common/errors';
import { ZodError } from 'zod';
import { AppConfig } from '../../src/config/config';
import { JobName, JobPayload, parsePayload } from '../catalogue';

export type Handlers = { [N in JobName]?: (payload: JobPayload<N>, job: Job) => Promise<unknown> };

/**
 * Base of every processor: parses the payload with the job's zod schema (a payload that does not
 * parse can never succeed: not retried), then calls the handler for the job's name. A handler that
 * answers RetryLater has its job moved back to delayed, without spending one of its attempts.
 */
export abstract class CatalogueProcessor extends WorkerHost {
  protected readonly log = new Logger(this.constructor.name);
  protected abstract readonly handlers: Handlers;

  constructor(private readonly appConfig: AppConfig) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.appConfig.workerConcurrency;
  }

  async process(job: Job, token?: string): Promise<unknown> {
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
      if (!(err instanceof RetryLater) || !token) throw err;
      this.log.log(`${job.name} ${job.id}: ${err.message}; again in ${err.delayMs} ms`);
      await job.moveToDelayed(Date.now() + err.delayMs, token);
      throw new DelayedError();
    }
  }
}
