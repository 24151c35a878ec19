/**
 * `npm run worker -w @gx/connectors`: a connector worker without the management API, to run
 * more workers beside the connectors service (record log: Kafka when `KAFKA_BROKERS` is set), and for tests that
 * kill workers outright (SIGKILL). Settings from the environment:
 * `DATABASE_URL`, `CONNECT_LEASE_MS` (worker and record-log lease, default 10 000), the
 * retention settings (`LOG_RETENTION_HOURS`, `LOG_DEAD_LETTER_RETENTION_HOURS`,
 * `LOG_RETENTION_INTERVAL_SECONDS`), and the connectors' secrets. Sends `{ ready: workerId }`
 * over IPC when it runs.
 */
import { createLogger, loadConfig } from '@gx/platform';
import pg from 'pg';
import {
  createRecordLog,
  logRetentionConfigProperties,
  type LogRetentionConfig,
} from './log/recordLogConfig.ts';
import { startConnectWorker } from './worker.ts';

const leaseMs = Number(process.env.CONNECT_LEASE_MS ?? 10_000);
const retention = loadConfig<LogRetentionConfig>(
  'connect-worker',
  { type: 'object', properties: logRetentionConfigProperties() },
  process.env,
);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
const logger = createLogger({ service: 'connect-worker', level: process.env.LOG_LEVEL ?? 'warn' });
const noCount = () => {};
const worker = await startConnectWorker({
  pool,
  recordLog: createRecordLog(
    {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS || undefined,
      RECORD_LOG_LEASE_MS: leaseMs,
      ...retention,
    },
    { pool },
  ),
  logger,
  leaseMs,
  retention: { settings: retention },
  counters: { recordsIn: noCount, recordsOut: noCount, deadLetters: noCount, error: noCount },
});
process.send?.({ ready: worker.id });
process.once('disconnect', () => process.exit(0));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    worker
      .stop()
      .then(() => pool.end())
      .finally(() => process.exit(0));
  });
}
