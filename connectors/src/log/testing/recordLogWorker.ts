/**
 * A consumer in a process of its own, for tests that kill a worker outright (SIGKILL) to show
 * that its partitions move to the other members and that what it read but did not commit is
 * delivered again. Run as `node --import tsx recordLogWorker.ts '<WorkerSpec as JSON>'`.
 *
 * Over IPC: it polls until it has received `want` records, sends `{ received }` and from then
 * on neither polls nor commits — it only stays alive (heartbeats continue in the background,
 * as in a worker stuck in its sink) until it is killed.
 */
import pg from 'pg';
import { KafkaRecordLog, type KafkaRecordLogOptions } from '../KafkaRecordLog.ts';
import { PostgresRecordLog } from '../PostgresRecordLog.ts';
import type { RecordLog, StreamOffset } from '../RecordLog.ts';

export type WorkerLogSpec =
  | { transport: 'postgres'; databaseUrl: string; leaseMs: number; heartbeatMs?: number }
  | ({ transport: 'kafka' } & KafkaRecordLogOptions);

export interface WorkerSpec {
  log: WorkerLogSpec;
  group: string;
  streams: string[];
  want: number;
}

export interface WorkerMessage {
  received?: StreamOffset[];
  error?: string;
}

export const WORKER_FILE = new URL(import.meta.url).pathname;

function openLog(spec: WorkerLogSpec): RecordLog {
  if (spec.transport === 'postgres') {
    const pool = new pg.Pool({ connectionString: spec.databaseUrl, max: 3 });
    return new PostgresRecordLog({ pool, leaseMs: spec.leaseMs, heartbeatMs: spec.heartbeatMs });
  }
  return new KafkaRecordLog(spec);
}

async function run(spec: WorkerSpec): Promise<void> {
  const log = openLog(spec.log);
  const consumer = await log.consumer({ group: spec.group, streams: spec.streams });
  const received: StreamOffset[] = [];
  while (received.length < spec.want) {
    const records = await consumer.poll(spec.want - received.length, { timeoutMs: 500 });
    received.push(
      ...records.map(({ stream, partition, offset }) => ({ stream, partition, offset })),
    );
  }
  process.send!({ received } satisfies WorkerMessage);
  setInterval(() => undefined, 60_000);
}

if (process.argv[1] === WORKER_FILE && process.argv[2]) {
  run(JSON.parse(process.argv[2]) as WorkerSpec).catch((error: unknown) => {
    process.send?.({ error: error instanceof Error ? error.stack : String(error) });
    process.exit(1);
  });
}
