import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { FlowProducer, Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { AppConfig } from '../src/config/config';
import { DatabaseService } from '../src/database/database.service';
import { ALL_QUEUES, JOB_SCHEMAS, JOB_SPECS, JobInput, JobName, JobPayload, QueueName } from './catalogue';
import { JOB_PRESETS } from './presets';
import { redisOptions } from './redis-options';

/** The job states counted per queue (metrics). */
export const QUEUE_JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

/** The one owner of the BullMQ queues (and through them, Redis). */
@Injectable()
export class QueueService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('queues');
  private readonly queues = new Map<QueueName, Queue>();
  /** A plain connection for health and server checks (BullMQ keeps its own for jobs). */
  private readonly redis: Redis;
  private readonly events = new Map<QueueName, QueueEvents>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
    private readonly db: DatabaseService,
  ) {
    this.redis = new Redis({ ...redisOptions(config.redisUrl), maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: true });
    this.redis.on('error', () => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.events.values()].map((e) => e.close()));
    await this.flows?.close();
    this.redis.disconnect();
  }

  /** Waits for the job of that id to finish (whoever runs it); returns its result or throws its failure. */
  async waitForId<T = unknown>(queue: QueueName, id: string, timeoutMs?: number): Promise<T> {
    const job = await this.queue(queue).getJob(id);
    if (!job) throw new Error(`job ${id} is not in queue ${queue}`);
    return this.waitFor<T>(queue, job, timeoutMs);
  }

  /** Waits for a job to finish (whoever runs it); returns its result or throws its failure. */
  async waitFor<T = unknown>(queue: QueueName, job: Job, timeoutMs = 30 * 60_000): Promise<T> {
    let events = this.events.get(queue);
    if (!events) {
      events = new QueueEvents(queue, { connection: redisOptions(this.config.redisUrl), prefix: this.config.queuePrefix });
      this.events.set(queue, events);
      await events.waitUntilReady();
    }
    return (await job.waitUntilFinished(events, timeoutMs)) as T;
  }

  onApplicationBootstrap(): void {
    for (const q of ALL_QUEUES) this.queues.set(q, this.moduleRef.get<Queue>(getQueueToken(q), { strict: false }));
    void this.checkEvictionPolicy();
  }

  queue(name: QueueName): Queue {
    const q = this.queues.get(name) ?? this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
    this.queues.set(name, q);
    return q;
  }

  private instance?: Promise<string>;

  /** This database's instance id (made at migration), read once. */
  instanceId(): Promise<string> {
    this.instance ??= this.db.pool
      .query<{ instance_id: string }>(`SELECT instance_id FROM deployment_instance`)
      .then((r) => {
        if (!r.rows[0]) throw new Error('deployment_instance is empty: run the migrations');
        return r.rows[0].instance_id;
      })
      .catch((err) => {
        this.instance = undefined;
        throw err;
      });
    return this.instance;
  }

  /**
   * A job's id: the database instance, then the catalogue's deterministic id. Run ids come from
   * sequences, so without the instance a recreated or restored database would meet an earlier
   * database's jobs (BullMQ keeps completed ones) under the same ids and wait on them for ever.
   */
  async jobIdOf<N extends JobName>(name: N, payload: JobPayload<N>): Promise<string> {
    return `${await this.instanceId()}.${JOB_SPECS[name].jobId(payload)}`;
  }

  /** Validates the payload and enqueues it under its deterministic id with its preset. */
  async enqueue<N extends JobName>(name: N, input: JobInput<N>, opts: { delay?: number } = {}): Promise<Job> {
    const payload = JOB_SCHEMAS[name].parse(input) as JobPayload<N>;
    const spec = JOB_SPECS[name];
    const jobId = await this.jobIdOf(name, payload);
    return this.queue(spec.queue).add(name, payload, { ...JOB_PRESETS[spec.preset], jobId, ...opts });
  }

  /**
   * Enqueues a parent job that runs once all its children have completed (a BullMQ flow):
   * how a run's finish waits for its shards, whichever workers take them.
   */
  async flow<P extends JobName, C extends JobName>(parent: { name: P; input: JobInput<P> }, children: { name: C; input: JobInput<C> }[]): Promise<void> {
    const build = async <N extends JobName>(name: N, input: JobInput<N>) => {
      const data = JOB_SCHEMAS[name].parse(input) as JobPayload<N>;
      const spec = JOB_SPECS[name];
      return { name, queueName: spec.queue, data, opts: { ...JOB_PRESETS[spec.preset], jobId: await this.jobIdOf(name, data) } };
    };
    if (!this.flows) this.flows = new FlowProducer({ connection: redisOptions(this.config.redisUrl), prefix: this.config.queuePrefix });
    await this.flows.add({ ...(await build(parent.name, parent.input)), children: await Promise.all(children.map((c) => build(c.name, c.input))) });
  }
  private flows?: FlowProducer;

  /** Registers (or updates) a cron job scheduler: replicas share one, so a tick fires once. */
  async schedule<N extends JobName>(schedulerId: string, pattern: string, name: N, input: JobInput<N>, tz = this.config.timeZone) {
    const payload = JOB_SCHEMAS[name].parse(input);
    const spec = JOB_SPECS[name];
    const { removeOnComplete, removeOnFail, attempts, backoff } = JOB_PRESETS[spec.preset];
    await this.queue(spec.queue).upsertJobScheduler(schedulerId, { pattern, tz }, { name, data: payload, opts: { removeOnComplete, removeOnFail, attempts, backoff } });
  }

  async schedulers(queue: QueueName) {
    return this.queue(queue).getJobSchedulers();
  }

  async job(queue: QueueName, id: string): Promise<Job | undefined> {
    return this.queue(queue).getJob(id);
  }

  /** Removes every queue of this deployment's prefix, jobs and history included (benchmarks clean up with it). */
  async obliterateAll(): Promise<void> {
    for (const q of ALL_QUEUES) await this.queue(q).obliterate({ force: true });
  }

  /** The job that `enqueue(name, payload)` creates (by its deterministic id), if it is still kept. */
  async jobFor<N extends JobName>(name: N, payload: JobPayload<N>): Promise<Job | undefined> {
    return this.queue(JOB_SPECS[name].queue).getJob(await this.jobIdOf(name, payload));
  }

  /**
   * Waits until a recompute run's finish job is done and returns its result, checking that the
   * result is this run's (a job id met from another database would answer for another run).
   */
  async waitForRun<T extends { runId?: unknown } = Record<string, unknown>>(runId: string, timeoutMs?: number): Promise<T> {
    const job = await this.jobFor(JobName.RecomputeFinish, { runId });
    if (!job) throw new Error(`run ${runId}: its finish job is not in the queue`);
    const result = await this.waitFor<T>(QueueName.Recompute, job, timeoutMs);
    if (String(result?.runId) !== runId) throw new Error(`run ${runId}: the finish job answered for run ${String(result?.runId)}`);
    return result;
  }

  /** Jobs per state of every queue, read from Redis (so any process sees every worker's queues). */
  async jobCounts(): Promise<Record<QueueName, Record<QueueJobState, number>>> {
    const entries = await Promise.all(
      ALL_QUEUES.map(async (q) => [q, (await this.queue(q).getJobCounts(...QUEUE_JOB_STATES)) as Record<QueueJobState, number>] as const),
    );
    return Object.fromEntries(entries) as Record<QueueName, Record<QueueJobState, number>>;
  }

  /**
   * The most recently finished jobs of a queue (up to `perState` completed and as many failed, newest
   * first): name, outcome and the start and end of their last attempt. Names only, never payloads.
   */
  async recentFinished(queue: QueueName, perState = 100): Promise<{ name: string; state: 'completed' | 'failed'; processedOn?: number; finishedOn?: number }[]> {
    const out: { name: string; state: 'completed' | 'failed'; processedOn?: number; finishedOn?: number }[] = [];
    for (const state of ['completed', 'failed'] as const) {
      const jobs = await this.queue(queue).getJobs([state], 0, perState - 1, false);
      for (const j of jobs) if (j) out.push({ name: j.name, state, processedOn: j.processedOn, finishedOn: j.finishedOn });
    }
    return out;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  /** Redis's eviction policy, or null where CONFIG is not allowed (managed Redis). */
  async evictionPolicy(): Promise<string | null> {
    try {
      const [, policy] = await this.redis.config('GET', 'maxmemory-policy');
      return policy ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Workers refuse to start unless Redis keeps every key: under any other maxmemory-policy a full
   * Redis evicts job data and locks, and jobs vanish or run twice. (The API only warns.)
   */
  async assertNoEviction(): Promise<void> {
    const policy = await this.evictionPolicy();
    if (policy === null) this.log.warn('Redis maxmemory-policy could not be read (CONFIG disabled); make sure it is noeviction');
    else if (policy !== 'noeviction') {
      throw new Error(`Redis maxmemory-policy is ${policy}: workers need noeviction (a full Redis would evict jobs and their locks). Set \`maxmemory-policy noeviction\` and start again.`);
    }
  }

  private async checkEvictionPolicy(): Promise<void> {
    const policy = await this.evictionPolicy();
    if (policy !== null && policy !== 'noeviction') this.log.warn(`Redis maxmemory-policy is ${policy}; BullMQ needs noeviction`);
  }

  get prefix(): string {
    return this.config.queuePrefix;
  }
}
