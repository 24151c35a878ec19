import type pg from 'pg';
import type { ConfigPropertySchema } from '@gx/platform';
import { KafkaRecordLog } from './KafkaRecordLog.ts';
import { PostgresRecordLog } from './PostgresRecordLog.ts';
import type { RecordLog } from './RecordLog.ts';

/** The record log's settings, for the config.ts of a service that uses the log. */
export interface RecordLogConfig {
  KAFKA_BROKERS?: string;
  RECORD_LOG_LEASE_MS: number;
}

export function recordLogConfigProperties(): Record<keyof RecordLogConfig, ConfigPropertySchema> {
  return {
    KAFKA_BROKERS: {
      type: 'string',
      pattern: '^[^\\s,]+:[0-9]+(,[^\\s,]+:[0-9]+)*$',
      description:
        'Kafka bootstrap servers (host:port,…); set, the record log is Kafka, unset, the PostgreSQL log',
    },
    RECORD_LOG_LEASE_MS: {
      type: 'integer',
      minimum: 1_000,
      maximum: 600_000,
      default: 10_000,
      description:
        'PostgreSQL log: how long a dead worker keeps its partitions before the others take them',
    },
  };
}

/**
 * How long the record log keeps records (docs/adr/0006-record-log.md, Retention). Apart from
 * `RecordLogConfig` because only the process that runs the purge (the connector worker) and
 * the one that creates Kafka topics need them; callers that leave them out get the defaults.
 */
export interface LogRetentionConfig {
  LOG_RETENTION_HOURS: number;
  LOG_DEAD_LETTER_RETENTION_HOURS: number;
  LOG_RETENTION_INTERVAL_SECONDS: number;
}

export const LOG_RETENTION_DEFAULTS: LogRetentionConfig = {
  LOG_RETENTION_HOURS: 168,
  LOG_DEAD_LETTER_RETENTION_HOURS: 720,
  LOG_RETENTION_INTERVAL_SECONDS: 300,
};

/** ten years: a longer retention is a typo, not a decision */
const MAX_RETENTION_HOURS = 87_600;

export function logRetentionConfigProperties(): Record<
  keyof LogRetentionConfig,
  ConfigPropertySchema
> {
  return {
    LOG_RETENTION_HOURS: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_RETENTION_HOURS,
      default: LOG_RETENTION_DEFAULTS.LOG_RETENTION_HOURS,
      description:
        'record log: hours raw and delivery records are kept (PostgreSQL: and until every reading group committed past them)',
    },
    LOG_DEAD_LETTER_RETENTION_HOURS: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_RETENTION_HOURS,
      default: LOG_RETENTION_DEFAULTS.LOG_DEAD_LETTER_RETENTION_HOURS,
      description: 'record log: hours dead letters (gx.dlq.* streams) are kept',
    },
    LOG_RETENTION_INTERVAL_SECONDS: {
      type: 'integer',
      minimum: 0,
      maximum: 86_400,
      default: LOG_RETENTION_DEFAULTS.LOG_RETENTION_INTERVAL_SECONDS,
      description:
        'PostgreSQL record log: seconds between two retention passes of a connector worker; 0 disables purging',
    },
  };
}

/** the retention settings given, the defaults for the others */
export function logRetention(config: Partial<LogRetentionConfig>): LogRetentionConfig {
  return {
    LOG_RETENTION_HOURS: config.LOG_RETENTION_HOURS ?? LOG_RETENTION_DEFAULTS.LOG_RETENTION_HOURS,
    LOG_DEAD_LETTER_RETENTION_HOURS:
      config.LOG_DEAD_LETTER_RETENTION_HOURS ??
      LOG_RETENTION_DEFAULTS.LOG_DEAD_LETTER_RETENTION_HOURS,
    LOG_RETENTION_INTERVAL_SECONDS:
      config.LOG_RETENTION_INTERVAL_SECONDS ??
      LOG_RETENTION_DEFAULTS.LOG_RETENTION_INTERVAL_SECONDS,
  };
}

const HOUR_MS = 3_600_000;

/**
 * Kafka when `KAFKA_BROKERS` is set (topics it creates get `retention.ms` from the retention
 * settings), else the PostgreSQL log on the service's pool.
 */
export function createRecordLog(
  config: RecordLogConfig & Partial<LogRetentionConfig>,
  { pool }: { pool: pg.Pool },
): RecordLog {
  if (config.KAFKA_BROKERS) {
    const retention = logRetention(config);
    return new KafkaRecordLog({
      brokers: config.KAFKA_BROKERS,
      retentionMs: {
        records: retention.LOG_RETENTION_HOURS * HOUR_MS,
        deadLetters: retention.LOG_DEAD_LETTER_RETENTION_HOURS * HOUR_MS,
      },
    });
  }
  return new PostgresRecordLog({ pool, leaseMs: config.RECORD_LOG_LEASE_MS });
}
