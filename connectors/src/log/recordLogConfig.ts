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

/** Kafka when `KAFKA_BROKERS` is set, else the PostgreSQL log on the service's pool. */
export function createRecordLog(config: RecordLogConfig, { pool }: { pool: pg.Pool }): RecordLog {
  if (config.KAFKA_BROKERS) return new KafkaRecordLog({ brokers: config.KAFKA_BROKERS });
  return new PostgresRecordLog({ pool, leaseMs: config.RECORD_LOG_LEASE_MS });
}
