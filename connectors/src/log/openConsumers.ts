import { InputError } from '@gx/platform';
import { checkName } from './recordEncoding.ts';
import type { ConsumerOptions, LogRecord } from './RecordLog.ts';

/**
 * The consumers a log has open, so that closing the log closes them (they leave their groups
 * and hand over their partitions) — shared by both transports.
 */
export class OpenConsumers<C extends { close(): Promise<void> }> {
  private readonly open = new Set<C>();
  private closed = false;

  /** Check the options, then keep `consumer` while `start` joins it to its group. */
  async add(options: ConsumerOptions, consumer: () => Promise<C>, start: (c: C) => Promise<void>) {
    if (this.closed) throw new Error('record log is closed');
    checkName('group', options.group);
    if (options.streams.length === 0) throw new InputError('消费者至少读取一个流');
    const created = await consumer();
    this.open.add(created);
    try {
      await start(created);
    } catch (error) {
      this.open.delete(created);
      throw error;
    }
    return created;
  }

  all(): C[] {
    return [...this.open];
  }

  forget(consumer: C): void {
    this.open.delete(consumer);
  }

  /** refuse new consumers and close the open ones */
  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.open].map((c) => c.close()));
  }
}

/** One poll at a time per consumer, as with Kafka's consumer. */
export class SinglePoll {
  private running: Promise<LogRecord[]> | undefined;

  run(max: number, poll: () => Promise<LogRecord[]>): Promise<LogRecord[]> {
    if (!Number.isInteger(max) || max < 1) throw new InputError(`poll 的 max 须为正整数: ${max}`);
    if (this.running) throw new Error('poll is already running: call it from one loop');
    const running = poll().finally(() => {
      this.running = undefined;
    });
    this.running = running;
    return running;
  }

  /** resolves once the running poll (if any) has ended, however it ended */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}
