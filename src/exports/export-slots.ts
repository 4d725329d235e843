import { TooManyRequests } from '../common/errors';

/**
 * A cap on heavy exports running at once in this process. Measured in the probe: 2,000 concurrent
 * export requests starved /health for over a minute; past the cap a request gets 429 with
 * Retry-After instead of queueing work it will not wait for.
 */
export class ExportSlots {
  private running = 0;

  constructor(
    private readonly capacity: number,
    private readonly retryAfterSeconds = 5,
  ) {}

  /** Runs `work` in a slot, or refuses at once when every slot is taken. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.capacity) {
      throw new TooManyRequests(`导出任务繁忙（同时最多 ${this.capacity} 个），请稍后重试`, this.retryAfterSeconds);
    }
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}
