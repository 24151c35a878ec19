import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { createTestDatabase, testPool } from '@gx/platform/testing';
import { nextOffsets, type LogRecord, type RecordLog } from '../connectors/src/log/index.ts';

/** A connector worker in a process of its own (connectors/src/workerMain.ts), killable outright. */
const WORKER_FILE = fileURLToPath(new URL('../connectors/src/workerMain.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** its row in connect_workers */
  id: string;
}

/** Fork a worker with these settings and secrets; resolves once it runs. */
export function forkConnectWorker(
  env: Record<string, string>,
  children: Set<ChildProcess>,
): Promise<WorkerProcess> {
  const child = fork(WORKER_FILE, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ready: string }) => resolve({ child, id: m.ready }));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it ran`)));
  });
}

/** The columns of 公安局's people table, as a source reads it; `name` optional or not. */
export const peopleTable = (table: string, { nameRequired = true } = {}) =>
  `CREATE TABLE ${table} (
     id_number text PRIMARY KEY, name text${nameRequired ? ' NOT NULL' : ''}, mobile text,
     address text, district text, updated_at timestamptz NOT NULL DEFAULT clock_timestamp());
   CREATE INDEX ON ${table} (updated_at, id_number)`;

/** 人社局's table the sink writes: what the grant delivers. */
export const RSJ_PEOPLE_TABLE = `CREATE TABLE rsj_people (
  id_number text PRIMARY KEY, name text NOT NULL, mobile text, district text)`;

/** A postgres-table source of a people table into the resource (POST /v1/connectors body). */
export function peopleSourceConnector(
  name: string,
  table: string,
  resourceCode: string,
  batchSize: number,
) {
  return {
    name,
    config: {
      type: 'postgres-table',
      department: 'hz-gaj',
      resource: resourceCode,
      batchSize,
      pollIntervalMs: 200,
      options: {
        connection: { secret: { env: 'GAJ_DB_URL' } },
        table,
        updatedAtColumn: 'updated_at',
        keyColumns: ['id_number'],
        columns: {
          id_number: 'id_number',
          name: 'name',
          mobile: 'mobile',
          address: 'address',
          district: 'district',
        },
        lagMs: 0,
      },
    },
  };
}

/** A postgres-upsert sink of the grant into rsj_people (POST /v1/connectors body). */
export function peopleSinkConnector(name: string, grantId: string, batchSize: number) {
  return {
    name,
    config: {
      type: 'postgres-upsert',
      department: 'hz-rsj',
      grant: grantId,
      batchSize,
      options: {
        connection: { secret: { env: 'RSJ_DB_URL' } },
        table: 'rsj_people',
        keyColumns: ['id_number'],
      },
    },
  };
}

/** count and md5 of the delivered columns of a query's rows, ordered by key */
export const peopleChecksumSql = (from: string) =>
  `SELECT count(*) AS n,
          md5(string_agg(concat_ws('|', id_number, name, mobile, district), ',' ORDER BY id_number)) AS digest
     FROM (${from}) AS t`;

/** 公安局's and 人社局's own systems: two databases beside the platform's. */
export interface DepartmentDatabases {
  sourcePool: pg.Pool;
  sinkPool: pg.Pool;
  /** the secrets the people connectors reference, for a worker's environment */
  secrets: { GAJ_DB_URL: string; RSJ_DB_URL: string };
  close(): Promise<void>;
}

export async function departmentDatabases(): Promise<DepartmentDatabases> {
  const [source, sink] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const sourcePool = testPool({ connectionString: source.url, max: 2 });
  const sinkPool = testPool({ connectionString: sink.url, max: 2 });
  return {
    sourcePool,
    sinkPool,
    secrets: { GAJ_DB_URL: source.url, RSJ_DB_URL: sink.url },
    async close() {
      // a logical replication slot (postgres-cdc) would keep its database from being dropped
      await sourcePool.query(
        `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
          WHERE database = current_database() AND NOT active`,
      );
      await Promise.all([sourcePool.end(), sinkPool.end()]);
      await Promise.all([source.drop(), sink.drop()]);
    },
  };
}

/** Every record of a stream as a new consumer group reads it (from the earliest), until none come. */
export async function readWholeStream(log: RecordLog, stream: string): Promise<LogRecord[]> {
  const consumer = await log.consumer({ group: `test-read-${Date.now()}`, streams: [stream] });
  try {
    const all: LogRecord[] = [];
    for (;;) {
      const batch = await consumer.poll(1000, { timeoutMs: 300 });
      if (batch.length === 0) return all;
      all.push(...batch);
      await consumer.commit(nextOffsets(batch));
    }
  } finally {
    await consumer.close();
  }
}
