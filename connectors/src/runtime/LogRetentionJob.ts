import type pg from 'pg';
import { RepeatingTask, type Logger } from '@gx/platform';
import { purgePostgresLog, type PurgeResult } from '../log/purgeLog.ts';
import type { LogRetentionConfig } from '../log/recordLogConfig.ts';
import type { RecordLog } from '../log/RecordLog.ts';
import type { StreamKind } from '../log/streamKind.ts';
import { expireDeletedSinkOffsets } from './expireSinkOffsets.ts';

export interface LogRetentionJobOptions {
  pool: pg.Pool;
  log: RecordLog;
  settings: LogRetentionConfig;
  logger: Logger;
  /** counts what a pass deleted, per stream kind (`gx_log_records_purged_total`) */
  recordsPurged?: (kind: StreamKind, records: number) => void;
}

/**
 * Runs a retention pass over the PostgreSQL record log every `LOG_RETENTION_INTERVAL_SECONDS`
 * (the next one is scheduled when the previous one ends, so passes of one process never
 * overlap; passes of several workers exclude each other by an advisory lock). Does nothing on
 * Kafka, where the broker applies the topics' `retention.ms`, or when the interval is 0.
 */
export class LogRetentionJob {
  readonly #options: LogRetentionJobOptions;
  readonly #schedule: RepeatingTask;

  constructor(options: LogRetentionJobOptions) {
    this.#options = options;
    this.#schedule = new RepeatingTask({
      pass: () => this.#run(),
      intervalMs: options.settings.LOG_RETENTION_INTERVAL_SECONDS * 1_000,
      // #run logs its own failures
      onError: () => undefined,
    });
  }

  /** whether `start` schedules passes at all */
  get enabled(): boolean {
    return (
      this.#options.log.transport === 'postgres' &&
      this.#options.settings.LOG_RETENTION_INTERVAL_SECONDS > 0
    );
  }

  start(): void {
    if (this.enabled) this.#schedule.start();
  }

  async #run(): Promise<void> {
    const { pool, settings, logger, recordsPurged } = this.#options;
    const started = Date.now();
    let result: PurgeResult;
    try {
      // first, so that a deleted sink's stream can be purged in the same pass
      const forgotten = await expireDeletedSinkOffsets(pool, settings.LOG_RETENTION_HOURS);
      if (forgotten.length > 0)
        logger.info({ groups: forgotten }, "record log retention forgot deleted sinks' offsets");
      result = await purgePostgresLog(pool, {
        retentionHours: settings.LOG_RETENTION_HOURS,
        deadLetterRetentionHours: settings.LOG_DEAD_LETTER_RETENTION_HOURS,
      });
    } catch (error) {
      // the next pass tries again; nothing was lost, at most some records stay longer
      logger.warn({ err: String(error) }, 'record log retention pass failed');
      return;
    }
    if (result.skipped || result.total === 0) return;
    const byKind: Partial<Record<StreamKind, number>> = {};
    for (const { kind, records } of result.streams) byKind[kind] = (byKind[kind] ?? 0) + records;
    for (const [kind, records] of Object.entries(byKind)) {
      recordsPurged?.(kind as StreamKind, records);
    }
    // counts per kind, not per stream: a city has thousands of streams
    logger.info(
      {
        records: result.total,
        byKind,
        streams: result.streams.length,
        durationMs: Date.now() - started,
      },
      'record log retention deleted records',
    );
  }

  /** No new pass starts; resolves once the one under way (if any) has ended. */
  stop(): Promise<void> {
    return this.#schedule.stop();
  }
}
