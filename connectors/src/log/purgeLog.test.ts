import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createLogger, loadConfig } from '@gx/platform';
import { createTestDatabase, testPool, until, type TestDatabase } from '@gx/platform/testing';
import { createConnectorMetrics } from '../runtime/connectorMetrics.ts';
import { LogRetentionJob } from '../runtime/LogRetentionJob.ts';
import { streamNames } from '../runtime/streamNames.ts';
import { startConnectWorker } from '../worker.ts';
import { consumerLag } from './consumerLag.ts';
import { KafkaRecordLog } from './KafkaRecordLog.ts';
import { PostgresRecordLog } from './PostgresRecordLog.ts';
import { PURGE_LOCK_KEY, purgePostgresLog, type PurgeResult } from './purgeLog.ts';
import { nextOffsets } from './recordEncoding.ts';
import {
  createRecordLog,
  logRetention,
  logRetentionConfigProperties,
  type LogRetentionConfig,
} from './recordLogConfig.ts';
import type { LogRecord, RecordConsumer } from './RecordLog.ts';

const LEASE_MS = 2_000;
const RETENTION = { retentionHours: 168, deadLetterRetentionHours: 720 };
const logger = createLogger({ service: 'purge-test', level: 'silent' });

/** make the records of a partition below `below` look `hours` old */
async function backdate(
  pool: pg.Pool,
  stream: string,
  partition: number,
  below: number,
  hours: number,
): Promise<void> {
  await pool.query(
    `UPDATE log_records SET produced_at = now() - $4::float8 * interval '1 hour'
      WHERE stream_id = (SELECT id FROM log_streams WHERE name = $1)
        AND partition = $2 AND record_offset < $3`,
    [stream, partition, below, hours],
  );
}

/** per partition, the offsets still stored */
async function stored(pool: pg.Pool, stream: string, partitions: number): Promise<number[][]> {
  const { rows } = await pool.query<{ partition: number; record_offset: string }>(
    `SELECT partition, record_offset::text AS record_offset FROM log_records
      WHERE stream_id = (SELECT id FROM log_streams WHERE name = $1)
      ORDER BY partition, log_records.record_offset`,
    [stream],
  );
  const result: number[][] = Array.from({ length: partitions }, () => []);
  for (const row of rows) result[row.partition]!.push(Number(row.record_offset));
  return result;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

function purgedFrom(result: PurgeResult, stream: string): number {
  if (result.skipped) throw new Error('the pass was skipped');
  return result.streams.find((s) => s.stream === stream)?.records ?? 0;
}

/** everything `consumer` gets until it has `n` records (each partition in offset order) */
async function pollAll(consumer: RecordConsumer, n: number): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  while (records.length < n) records.push(...(await consumer.poll(500, { timeoutMs: 500 })));
  return records;
}

function offsetsByPartition(records: LogRecord[], partitions: number): number[][] {
  const result: number[][] = Array.from({ length: partitions }, () => []);
  for (const r of records) result[r.partition]!.push(r.offset);
  return result;
}

async function produce(log: PostgresRecordLog, stream: string, n: number, partitions = 2) {
  await log.createStream(stream, { partitions });
  await log.produce(
    stream,
    range(0, n).map((i) => ({ key: `k${i}`, value: { i } })),
  );
  return (await log.endOffsets(stream)).map((e) => e.offset);
}

describe('purgePostgresLog', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let log: PostgresRecordLog;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = testPool({ connectionString: db.url, max: 6 });
    log = new PostgresRecordLog({ pool, leaseMs: LEASE_MS });
  });

  afterAll(async () => {
    await log?.close();
    await pool?.end();
    await db?.drop();
  });

  it('deletes old records every group has committed, keeps what the slower group still needs', async () => {
    const stream = streamNames.raw('purge-two-groups');
    const ends = await produce(log, stream, 60);
    expect(ends.every((e) => e >= 20)).toBe(true);

    // both groups read everything; "fast" commits it all, "slow" half of each partition
    const half = ends.map((e) => Math.floor(e / 2));
    for (const group of ['fast', 'slow']) {
      const consumer = await log.consumer({ group, streams: [stream] });
      const records = await pollAll(consumer, 60);
      await consumer.commit(
        group === 'fast'
          ? nextOffsets(records)
          : half.map((offset, partition) => ({ stream, partition, offset })),
      );
      await consumer.close();
    }
    // all but the newest 3 records of each partition are past retention
    for (const [partition, end] of ends.entries()) {
      await backdate(pool, stream, partition, end - 3, 200);
    }
    const lagBefore = await Promise.all(['fast', 'slow'].map((g) => consumerLag(log, g, [stream])));

    const result = await purgePostgresLog(pool, RETENTION);

    const expected = half.reduce((a, b) => a + b, 0);
    expect(purgedFrom(result, stream)).toBe(expected);
    expect(result.skipped === false && result.streams.find((s) => s.stream === stream)?.kind).toBe(
      'raw',
    );
    expect(await stored(pool, stream, 2)).toEqual(ends.map((end, p) => range(half[p]!, end)));
    expect(await log.startOffsets(stream)).toEqual(
      half.map((offset, partition) => ({ partition, offset })),
    );
    // the lag is what is left to commit: the purge changes nothing there
    const lagAfter = await Promise.all(['fast', 'slow'].map((g) => consumerLag(log, g, [stream])));
    expect(lagAfter).toEqual(lagBefore);
    expect(lagAfter[1]!.total).toBe(60 - expected);

    // the slower group gets exactly what it had not committed, in order
    const slow = await log.consumer({ group: 'slow', streams: [stream] });
    const rest = await pollAll(slow, 60 - expected);
    expect(offsetsByPartition(rest, 2)).toEqual(ends.map((end, p) => range(half[p]!, end)));
    expect(await slow.poll(10, { timeoutMs: 200 })).toEqual([]);
    await slow.close();

    // a second pass finds nothing more to delete
    expect(purgedFrom(await purgePostgresLog(pool, RETENTION), stream)).toBe(0);
  });

  it('keeps every record of a partition a reading group has not committed in', async () => {
    const stream = streamNames.delivery(randomUUID());
    const ends = await produce(log, stream, 40);
    const done = await log.consumer({ group: 'pin.done', streams: [stream] });
    await done.commit(nextOffsets(await pollAll(done, 40)));
    await done.close();
    // a live member that committed in partition 0 only
    const partial = await log.consumer({ group: 'pin.partial', streams: [stream] });
    const records = await pollAll(partial, 40);
    await partial.commit(nextOffsets(records.filter((r) => r.partition === 0)));
    // and a group whose member never committed anything
    const idle = await log.consumer({ group: 'pin.idle', streams: [stream] });
    for (const [partition, end] of ends.entries()) {
      await backdate(pool, stream, partition, end, 500);
    }

    expect(purgedFrom(await purgePostgresLog(pool, RETENTION), stream)).toBe(0);

    // the member-only group left: partition 0 goes, partition 1 stays for pin.partial
    await idle.close();
    expect(purgedFrom(await purgePostgresLog(pool, RETENTION), stream)).toBe(ends[0]);
    expect(await stored(pool, stream, 2)).toEqual([[], range(0, ends[1]!)]);

    // without a live member it still reads the stream (its committed offset says so)
    await partial.close();
    expect(purgedFrom(await purgePostgresLog(pool, RETENTION), stream)).toBe(0);
    expect(await stored(pool, stream, 2)).toEqual([[], range(0, ends[1]!)]);
  });

  it('purges a stream no group reads by time alone; dead letters by their own retention', async () => {
    const raw = streamNames.raw('purge-lonely');
    const rawEnds = await produce(log, raw, 30);
    const dlq = streamNames.deadLetter('purge-conn');
    const dlqEnds = await produce(log, dlq, 30);
    for (const p of [0, 1]) {
      // raw: the first half 200 hours old (past 168)
      await backdate(pool, raw, p, Math.floor(rawEnds[p]! / 2), 200);
      // dead letters: 200 hours old throughout, the first third 800 (past 720)
      await backdate(pool, dlq, p, dlqEnds[p]!, 200);
      await backdate(pool, dlq, p, Math.floor(dlqEnds[p]! / 3), 800);
    }

    const result = await purgePostgresLog(pool, RETENTION);

    expect(await stored(pool, raw, 2)).toEqual(
      rawEnds.map((end) => range(Math.floor(end / 2), end)),
    );
    expect(await stored(pool, dlq, 2)).toEqual(
      dlqEnds.map((end) => range(Math.floor(end / 3), end)),
    );
    expect(result.skipped === false && result.streams.find((s) => s.stream === dlq)?.kind).toBe(
      'dead-letter',
    );
    // reading without a group starts at the first record still stored
    const read = await log.read({ stream: dlq, partition: 0, offset: 0, max: 1000 });
    expect(read.map((r) => r.offset)).toEqual(range(Math.floor(dlqEnds[0]! / 3), dlqEnds[0]!));
  });

  it('starts a new group, a group reset to earliest and a group whose offset was purged at the first stored record', async () => {
    const stream = streamNames.raw('purge-restart');
    const ends = await produce(log, stream, 40);
    for (const [p, end] of ends.entries()) await backdate(pool, stream, p, end - 5, 300);
    await purgePostgresLog(pool, RETENTION);
    const firsts = ends.map((end) => end - 5);
    const remaining = ends.map((end, p) => range(firsts[p]!, end));

    const fresh = await log.consumer({
      group: 'restart.new',
      streams: [stream],
      autoOffsetReset: 'earliest',
    });
    expect(offsetsByPartition(await pollAll(fresh, 10), 2)).toEqual(remaining);
    await fresh.close();

    // stopped group reset to earliest: the first stored offsets
    const reset = await log.resetOffsets({ group: 'restart.reset', stream, to: 'earliest' });
    expect(reset.map((c) => c.offset)).toEqual(firsts);
    const afterReset = await log.consumer({ group: 'restart.reset', streams: [stream] });
    expect(offsetsByPartition(await pollAll(afterReset, 10), 2)).toEqual(remaining);

    // a seek below the first stored record reads from there on, as on Kafka
    for (const partition of [0, 1]) await afterReset.seek({ stream, partition, offset: 0 });
    expect(offsetsByPartition(await pollAll(afterReset, 10), 2)).toEqual(remaining);
    await afterReset.close();

    // a reset that raced a pass left the group's offsets below the first stored records
    await pool.query(
      `INSERT INTO log_group_offsets (group_name, stream_id, partition, committed_offset)
       SELECT 'restart.raced', id, p, 0 FROM log_streams, generate_series(0, 1) AS p
        WHERE name = $1`,
      [stream],
    );
    const raced = await log.consumer({ group: 'restart.raced', streams: [stream] });
    expect(offsetsByPartition(await pollAll(raced, 10), 2)).toEqual(remaining);
    await raced.commit(nextOffsets(await raced.poll(1, { timeoutMs: 10 })));
    await raced.close();
  });

  it('runs one pass at a time: another process meanwhile skips, without an error', async () => {
    const stream = streamNames.raw('purge-lock');
    const ends = await produce(log, stream, 20);
    for (const [p, end] of ends.entries()) await backdate(pool, stream, p, end, 200);

    // another process is in the middle of a pass
    const other = await pool.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [PURGE_LOCK_KEY]);
      expect(await purgePostgresLog(pool, RETENTION)).toEqual({ skipped: true });
      expect((await stored(pool, stream, 2)).flat()).toHaveLength(20);
    } finally {
      await other.query('SELECT pg_advisory_unlock($1)', [PURGE_LOCK_KEY]);
      other.release();
    }

    // two processes (two pools) start a pass together: together they delete each record once
    const second = testPool({ connectionString: db.url, max: 2 });
    try {
      const results = await Promise.all([
        purgePostgresLog(pool, RETENTION),
        purgePostgresLog(second, RETENTION),
      ]);
      expect(results.some((r) => !r.skipped)).toBe(true);
      expect(results.reduce((sum, r) => sum + (r.skipped ? 0 : purgedFrom(r, stream)), 0)).toBe(20);
      expect((await stored(pool, stream, 2)).flat()).toEqual([]);
    } finally {
      await second.end();
    }
  });

  it('deletes in chunks of the given size until nothing is left', async () => {
    const stream = streamNames.raw('purge-chunks');
    const ends = await produce(log, stream, 95);
    for (const [p, end] of ends.entries()) await backdate(pool, stream, p, end - 1, 200);
    const result = await purgePostgresLog(pool, { ...RETENTION, chunkSize: 7 });
    expect(purgedFrom(result, stream)).toBe(93);
    expect(await stored(pool, stream, 2)).toEqual(ends.map((end) => [end - 1]));
  });
});

describe('retention settings', () => {
  const load = (env: Record<string, string>) =>
    loadConfig<LogRetentionConfig>(
      'connectors',
      { type: 'object', properties: logRetentionConfigProperties() },
      env,
    );

  it('default to 7 days, 30 days for dead letters, a pass every 5 minutes', () => {
    expect(load({})).toEqual({
      LOG_RETENTION_HOURS: 168,
      LOG_DEAD_LETTER_RETENTION_HOURS: 720,
      LOG_RETENTION_INTERVAL_SECONDS: 300,
    });
    expect(logRetention({ LOG_RETENTION_HOURS: 24 }).LOG_DEAD_LETTER_RETENTION_HOURS).toBe(720);
  });

  it('refuses invalid values, naming the variable', () => {
    for (const [name, value] of [
      ['LOG_RETENTION_HOURS', '0'],
      ['LOG_RETENTION_HOURS', 'a week'],
      ['LOG_DEAD_LETTER_RETENTION_HOURS', '-5'],
      ['LOG_DEAD_LETTER_RETENTION_HOURS', '1.5'],
      ['LOG_RETENTION_INTERVAL_SECONDS', '-1'],
    ] as const) {
      expect(() => load({ [name]: value }), `${name}=${value}`).toThrow(ConfigError);
      expect(() => load({ [name]: value })).toThrow(new RegExp(`配置无效[\\s\\S]*${name}`));
    }
  });

  it('with interval 0, or on Kafka, schedules no pass', async () => {
    const pool = { query: () => Promise.reject(new Error('no pass should run')) };
    const postgres = new PostgresRecordLog({ pool: pool as unknown as pg.Pool });
    const job = (log: PostgresRecordLog | KafkaRecordLog, interval: number) =>
      new LogRetentionJob({
        pool: pool as unknown as pg.Pool,
        log,
        logger,
        settings: { ...load({}), LOG_RETENTION_INTERVAL_SECONDS: interval },
      });
    expect(load({ LOG_RETENTION_INTERVAL_SECONDS: '0' }).LOG_RETENTION_INTERVAL_SECONDS).toBe(0);
    expect(job(postgres, 0).enabled).toBe(false);
    expect(job(postgres, 300).enabled).toBe(true);
    const kafka = new KafkaRecordLog({ brokers: 'kafka-1:9092' });
    expect(job(kafka, 300).enabled).toBe(false);
    await kafka.close();
  });

  it('give Kafka topics their retention.ms', async () => {
    const pool = { query: () => Promise.reject(new Error('unused')) } as unknown as pg.Pool;
    const kafka = createRecordLog(
      {
        KAFKA_BROKERS: 'kafka-1:9092',
        RECORD_LOG_LEASE_MS: 10_000,
        LOG_RETENTION_HOURS: 24,
        LOG_DEAD_LETTER_RETENTION_HOURS: 48,
      },
      { pool },
    ) as KafkaRecordLog;
    expect(kafka.options.retentionMs).toEqual({ records: 86_400_000, deadLetters: 172_800_000 });
    await kafka.close();
  });
});

describe('the connector worker purges the PostgreSQL log by itself', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let log: PostgresRecordLog;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = testPool({ connectionString: db.url, max: 8 });
    log = new PostgresRecordLog({ pool, leaseMs: LEASE_MS });
  });

  afterAll(async () => {
    await log?.close();
    await pool?.end();
    await db?.drop();
  });

  it('deletes consumed records past retention and counts them', async () => {
    const registry = new Registry();
    const metrics = createConnectorMetrics(registry, { pool, recordLog: log });
    const stream = streamNames.delivery(randomUUID());
    const ends = await produce(log, stream, 30);
    const sink = await log.consumer({ group: 'connect.purge-sink', streams: [stream] });
    await sink.commit(nextOffsets(await pollAll(sink, 30)));
    await sink.close();
    for (const [p, end] of ends.entries()) await backdate(pool, stream, p, end, 200);

    const worker = await startConnectWorker({
      pool,
      recordLog: log,
      logger,
      counters: metrics,
      leaseMs: LEASE_MS,
      retention: {
        settings: { ...logRetention({}), LOG_RETENTION_INTERVAL_SECONDS: 1 },
        recordsPurged: metrics.recordsPurged,
      },
    });
    try {
      const purged = async (kind: string) => {
        const metric = await registry.getSingleMetric('gx_log_records_purged_total')!.get();
        return metric.values.find((v) => v.labels.stream_kind === kind)?.value;
      };
      await until('the worker to purge the delivery stream', async () =>
        (await purged('delivery')) === 30 ? true : undefined,
      );
      expect((await stored(pool, stream, 2)).flat()).toEqual([]);
      expect(await purged('raw')).toBe(0);
      // the offsets survive the records: the sink has nothing left to read
      expect((await consumerLag(log, 'connect.purge-sink', [stream])).total).toBe(0);
    } finally {
      await worker.stop();
    }
  });
});
