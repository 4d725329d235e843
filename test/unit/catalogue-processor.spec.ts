import { Job, UnrecoverableError } from 'bullmq';
import { JobName } from '../../jobs/catalogue';
import { NeverRetry } from '../../src/common/errors';
import { AppConfig } from '../../src/config/config';
import { CatalogueProcessor, Handlers } from '../../src/worker/catalogue-processor';

/** What a failed job leaves in Redis (failedReason, stack trace) carries no ID number in clear. */
describe('CatalogueProcessor: failures as BullMQ keeps them', () => {
  const idNo = '350581198503190777';
  class Failing extends CatalogueProcessor {
    constructor(private readonly failure: () => Error) {
      super({ workerConcurrency: 1, shutdownGraceMs: 1000 } as AppConfig);
    }
    protected readonly handlers: Handlers = {
      [JobName.SyncSource]: () => Promise.reject(this.failure()),
    };
  }
  const job = { id: 'j1', name: JobName.SyncSource, data: { source: 'property', mode: 'incremental', trigger: 'test', requestKey: 'k' } } as unknown as Job;

  it('masks ID-shaped numbers in the message and stack of an error that is retried', async () => {
    const err = (await new Failing(() => new Error(`invalid input syntax: "${idNo}"`)).process(job, 'token').catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('invalid input syntax: "350581********0777"');
    expect(err.stack).not.toContain(idNo);
  });

  it('masks them in a NeverRetry turned UnrecoverableError', async () => {
    const err = await new Failing(() => new NeverRetry(`身份证号 ${idNo} 不存在`)).process(job, 'token').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect((err as Error).message).toBe('身份证号 350581********0777 不存在');
  });
});
