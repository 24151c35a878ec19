import pg from 'pg';
import { ConflictError, NotFoundError } from '@gx/platform';
import { copyLogRecords } from './copyLogRecords.ts';
import { OpenConsumers } from './openConsumers.ts';
import { resetTargets } from './resetTargets.ts';
import { inTransaction } from './inTransaction.ts';
import { partitionForKey } from './partitionForKey.ts';
import { PostgresConsumer } from './PostgresConsumer.ts';
import { GROUP_LOCK_CLASS, LOG_CHANNEL, type StreamInfo } from './postgresLogShared.ts';
import {
  checkName,
  checkPartitionCount,
  checkReadOptions,
  decodeValue,
  encodeRecord,
  type EncodedRecord,
} from './recordEncoding.ts';
import type {
  CommittedOffset,
  ConsumerOptions,
  CreateStreamOptions,
  LogRecord,
  PartitionOffset,
  ProduceRecord,
  ReadOptions,
  RecordConsumer,
  RecordLog,
  ResetOffsetsOptions,
} from './RecordLog.ts';

export interface PostgresRecordLogOptions {
  /** the service's pool; the log does not end it */
  pool: pg.Pool;
  /**
   * How long a consumer keeps its partitions without a heartbeat: the longest a dead worker's
   * partitions wait before another member takes them. Default 10 000 ms.
   */
  leaseMs?: number;
  /** heartbeat period; default a fifth of the lease */
  heartbeatMs?: number;
}

const LOCK_PARTITIONS = `
  SELECT partition, next_offset::text AS next_offset
    FROM log_partitions
   WHERE stream_id = $1 AND partition = ANY($2::int[])
   ORDER BY partition
     FOR UPDATE`;

const ADVANCE_AND_NOTIFY = `
  WITH advanced AS (
    UPDATE log_partitions p SET next_offset = n.next_offset
      FROM unnest($2::int[], $3::bigint[]) AS n(partition, next_offset)
     WHERE p.stream_id = $1 AND p.partition = n.partition
    RETURNING 1)
  SELECT pg_notify('${LOG_CHANNEL}', 's:' || $1::text) FROM (SELECT count(*) FROM advanced) AS a`;

const COMMITTED = `
  SELECT s.name AS stream, p.partition, o.committed_offset::text AS committed_offset
    FROM log_streams s
    JOIN log_partitions p ON p.stream_id = s.id
    LEFT JOIN log_group_offsets o
      ON o.group_name = $1 AND o.stream_id = p.stream_id AND o.partition = p.partition
   WHERE s.id = ANY($2::int[])
   ORDER BY s.name, p.partition`;

/** per partition: the end offset and the first stored offset (the end when empty) */
const PARTITION_BOUNDS = `
  SELECT p.partition, p.next_offset::text AS next_offset,
         COALESCE((SELECT min(r.record_offset) FROM log_records r
                    WHERE r.stream_id = p.stream_id AND r.partition = p.partition),
                  p.next_offset)::text AS first_offset
    FROM log_partitions p
   WHERE p.stream_id = $1
   ORDER BY p.partition`;

/**
 * The record log in PostgreSQL (the embedded default). Producing is one transaction per call:
 * lock the touched partition rows in partition order, COPY the records in (binary format) with
 * the offsets read from them, advance the rows, NOTIFY, commit. Consumers long-poll: they LISTEN on one connection per log and re-read when their
 * streams or groups change (and at least every second, should a notification be lost).
 * Consumer groups: `PostgresConsumer`.
 */
export class PostgresRecordLog implements RecordLog {
  readonly transport = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  private readonly streams = new Map<string, StreamInfo>();
  private readonly consumers = new OpenConsumers<PostgresConsumer>();
  private listener: Promise<pg.Client> | undefined;
  private closed = false;

  constructor({ pool, leaseMs = 10_000, heartbeatMs }: PostgresRecordLogOptions) {
    this.pool = pool;
    this.leaseMs = leaseMs;
    this.heartbeatMs = heartbeatMs ?? Math.max(50, Math.floor(leaseMs / 5));
  }

  async createStream(name: string, { partitions }: CreateStreamOptions): Promise<void> {
    checkName('stream', name);
    checkPartitionCount(partitions);
    await this.pool.query(
      `WITH created AS (
         INSERT INTO log_streams (name, partitions) VALUES ($1, $2)
         ON CONFLICT (name) DO NOTHING RETURNING id)
       INSERT INTO log_partitions (stream_id, partition)
       SELECT id, generate_series(0, $2 - 1) FROM created`,
      [name, partitions],
    );
    const stream = await this.stream(name);
    if (stream.partitions !== partitions) {
      throw new ConflictError(
        `流 ${name} 已存在，分区数为 ${stream.partitions}，不是 ${partitions}`,
      );
    }
  }

  async partitions(stream: string): Promise<number> {
    return (await this.stream(stream)).partitions;
  }

  /** The stream's id and partition count, cached: streams are never changed or removed. */
  async stream(name: string): Promise<StreamInfo> {
    const cached = this.streams.get(name);
    if (cached) return cached;
    checkName('stream', name);
    const { rows } = await this.pool.query<{ id: number; partitions: number }>(
      'SELECT id, partitions FROM log_streams WHERE name = $1',
      [name],
    );
    if (!rows[0]) throw new NotFoundError(`流 ${name} 不存在`);
    const info = { id: rows[0].id, name, partitions: rows[0].partitions };
    this.streams.set(name, info);
    return info;
  }

  async produce(streamName: string, records: readonly ProduceRecord[]): Promise<PartitionOffset[]> {
    const stream = await this.stream(streamName);
    if (records.length === 0) return [];
    const encoded: EncodedRecord[] = records.map(encodeRecord);
    const partitions = encoded.map((r) => partitionForKey(r.key, stream.partitions));
    const touched = [...new Set(partitions)].sort((a, b) => a - b);

    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ partition: number; next_offset: string }>({
        name: 'gx-log-lock-partitions',
        text: LOCK_PARTITIONS,
        values: [stream.id, touched],
      });
      const next = new Map(rows.map((r) => [r.partition, Number(r.next_offset)]));
      const offsets = partitions.map((p) => {
        const offset = next.get(p)!;
        next.set(p, offset + 1);
        return offset;
      });
      await copyLogRecords(client, stream.id, encoded, partitions, offsets);
      await client.query({
        name: 'gx-log-advance-partitions',
        text: ADVANCE_AND_NOTIFY,
        values: [stream.id, touched, touched.map((p) => next.get(p)!)],
      });
      return partitions.map((partition, i) => ({ partition, offset: offsets[i]! }));
    });
  }

  consumer(options: ConsumerOptions): Promise<RecordConsumer> {
    return this.consumers.add(
      options,
      async () => {
        const streams = await Promise.all(options.streams.map((s) => this.stream(s)));
        await this.listen();
        return new PostgresConsumer(this, options, streams);
      },
      (consumer) => consumer.join(),
    );
  }

  /** called by a consumer once it has left its group */
  forget(consumer: PostgresConsumer): void {
    this.consumers.forget(consumer);
  }

  async endOffsets(streamName: string): Promise<PartitionOffset[]> {
    const stream = await this.stream(streamName);
    const { rows } = await this.pool.query<{ partition: number; next_offset: string }>(
      'SELECT partition, next_offset::text AS next_offset FROM log_partitions WHERE stream_id = $1 ORDER BY partition',
      [stream.id],
    );
    return rows.map((r) => ({ partition: r.partition, offset: Number(r.next_offset) }));
  }

  async startOffsets(streamName: string): Promise<PartitionOffset[]> {
    const stream = await this.stream(streamName);
    const { rows } = await this.pool.query<{ partition: number; first_offset: string }>(
      PARTITION_BOUNDS,
      [stream.id],
    );
    return rows.map((r) => ({ partition: r.partition, offset: Number(r.first_offset) }));
  }

  async read({ stream: streamName, partition, offset, max }: ReadOptions): Promise<LogRecord[]> {
    const stream = await this.stream(streamName);
    checkReadOptions(stream.partitions, partition, offset, max);
    const { rows } = await this.pool.query<{
      record_offset: string;
      record_key: string;
      value: Buffer;
      is_json: boolean;
      headers: Record<string, string> | null;
      ts: number;
    }>(
      `SELECT record_offset::text AS record_offset, record_key, value, is_json, headers,
              (extract(epoch FROM produced_at) * 1000)::float8 AS ts
         FROM log_records
        WHERE stream_id = $1 AND partition = $2 AND record_offset >= $3
        -- the column, not the text alias of the select list (which would sort 10 before 9)
        ORDER BY log_records.record_offset
        LIMIT $4`,
      [stream.id, partition, offset, max],
    );
    return rows.map((row) => ({
      stream: streamName,
      partition,
      offset: Number(row.record_offset),
      key: row.record_key,
      value: decodeValue(row.value, row.is_json),
      headers: row.headers ?? {},
      timestamp: row.ts,
    }));
  }

  async committed(group: string, streamNames: readonly string[]): Promise<CommittedOffset[]> {
    checkName('group', group);
    const streams = await Promise.all(streamNames.map((s) => this.stream(s)));
    const { rows } = await this.pool.query<{
      stream: string;
      partition: number;
      committed_offset: string | null;
    }>(COMMITTED, [group, streams.map((s) => s.id)]);
    return rows.map((r) => ({
      stream: r.stream,
      partition: r.partition,
      offset: r.committed_offset === null ? null : Number(r.committed_offset),
    }));
  }

  async resetOffsets({
    group,
    stream: streamName,
    to,
  }: ResetOffsetsOptions): Promise<CommittedOffset[]> {
    checkName('group', group);
    const stream = await this.stream(streamName);
    await inTransaction(this.pool, async (client) => {
      // joins take the same lock: no member can start reading the old offsets meanwhile
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        GROUP_LOCK_CLASS,
        group,
      ]);
      await client.query(
        'DELETE FROM log_group_members WHERE group_name = $1 AND expires_at < now()',
        [group],
      );
      const { rows: live } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM log_group_members WHERE group_name = $1',
        [group],
      );
      if (live[0]!.n > 0) {
        throw new ConflictError(
          `消费组 ${group} 仍有 ${live[0]!.n} 个活动成员，须先停止其工作进程（已终止的进程在租约到期后自动退出）`,
        );
      }
      const { rows: bounds } = await client.query<{
        partition: number;
        next_offset: string;
        first_offset: string;
      }>(PARTITION_BOUNDS, [stream.id]);
      const targets = resetTargets(
        stream.name,
        bounds.map((b) => ({
          partition: b.partition,
          first: Number(b.first_offset),
          end: Number(b.next_offset),
        })),
        to,
      );
      await client.query(
        `INSERT INTO log_group_offsets (group_name, stream_id, partition, committed_offset)
         SELECT $1, $2, t.partition, t.committed_offset
           FROM unnest($3::int[], $4::bigint[]) AS t(partition, committed_offset)
         ON CONFLICT (group_name, stream_id, partition)
         DO UPDATE SET committed_offset = EXCLUDED.committed_offset, committed_at = now()`,
        [group, stream.id, targets.map((t) => t.partition), targets.map((t) => t.offset)],
      );
    });
    return this.committed(group, [streamName]);
  }

  /** One LISTEN connection per log; re-opened on the next poll after it failed. */
  listen(): Promise<pg.Client> {
    if (!this.listener) {
      const client = new pg.Client(this.pool.options);
      const listening = (async () => {
        client.on('notification', (message) => this.notified(message.payload ?? ''));
        client.on('error', () => {
          if (this.listener === listening) this.listener = undefined;
          client.end().catch(() => undefined);
        });
        await client.connect();
        await client.query(`LISTEN ${LOG_CHANNEL}`);
        return client;
      })();
      listening.catch(() => {
        if (this.listener === listening) this.listener = undefined;
      });
      this.listener = listening;
    }
    return this.listener;
  }

  private notified(payload: string): void {
    const kind = payload.slice(0, 2);
    const subject = payload.slice(2);
    for (const consumer of this.consumers.all()) {
      if (kind === 's:' && consumer.reads(Number(subject))) consumer.wake();
      else if (kind === 'g:' && consumer.group === subject) consumer.groupChanged();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.consumers.closeAll();
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await (await listener.catch(() => undefined))?.end().catch(() => undefined);
  }
}
