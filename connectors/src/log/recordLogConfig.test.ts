import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@gx/platform';
import { KafkaRecordLog } from './KafkaRecordLog.ts';
import { PostgresRecordLog } from './PostgresRecordLog.ts';
import {
  createRecordLog,
  recordLogConfigProperties,
  type RecordLogConfig,
} from './recordLogConfig.ts';

const load = (env: Record<string, string>) =>
  loadConfig<RecordLogConfig>(
    'connectors',
    { type: 'object', properties: recordLogConfigProperties() },
    env,
  );

describe('record log configuration', () => {
  // a pool that is never connected: choosing the transport opens no connection
  const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });

  it('is the PostgreSQL log without KAFKA_BROKERS, and Kafka with it', async () => {
    const embedded = createRecordLog(load({}), { pool });
    expect(embedded).toBeInstanceOf(PostgresRecordLog);
    expect((embedded as PostgresRecordLog).leaseMs).toBe(10_000);

    const kafka = createRecordLog(load({ KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092' }), { pool });
    expect(kafka).toBeInstanceOf(KafkaRecordLog);
    expect((kafka as KafkaRecordLog).options.brokers).toBe('kafka-1:9092,kafka-2:9092');
    await kafka.close();
  });

  it('refuses brokers without ports and leases out of range, naming the variable', () => {
    expect(() => load({ KAFKA_BROKERS: 'kafka-1' })).toThrow(ConfigError);
    expect(() => load({ KAFKA_BROKERS: 'kafka-1' })).toThrow(/KAFKA_BROKERS/);
    expect(() => load({ RECORD_LOG_LEASE_MS: '10' })).toThrow(/RECORD_LOG_LEASE_MS/);
  });
});
