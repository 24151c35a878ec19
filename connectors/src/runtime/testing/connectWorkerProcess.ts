/**
 * A connector worker in a process of its own, for tests that kill workers outright (SIGKILL)
 * and for running more workers beside a service. Settings from the environment:
 * `DATABASE_URL`, `CONNECT_LEASE_MS` (worker and record-log lease, default 10 000), and the
 * connectors' secrets. Sends `{ ready: workerId }` over IPC when it runs.
 */
import { createLogger } from '@gx/platform';
import pg from 'pg';
import { PostgresRecordLog } from '../../log/PostgresRecordLog.ts';
import { startConnectWorker } from '../../worker.ts';

const leaseMs = Number(process.env.CONNECT_LEASE_MS ?? 10_000);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
const logger = createLogger({ service: 'connect-worker', level: process.env.LOG_LEVEL ?? 'warn' });
const noCount = () => {};
const worker = await startConnectWorker({
  pool,
  recordLog: new PostgresRecordLog({ pool, leaseMs }),
  logger,
  leaseMs,
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
