import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { ConflictError, InputError } from '@gx/platform';
import { SinglePoll } from './openConsumers.ts';
import { assignPartitions, type GroupMember } from './assignPartitions.ts';
import { inTransaction } from './inTransaction.ts';
import { GROUP_LOCK_CLASS, LOG_CHANNEL, type StreamInfo } from './postgresLogShared.ts';
import type { PostgresRecordLog } from './PostgresRecordLog.ts';
import { checkOffset } from './recordEncoding.ts';
import type {
  ConsumerOptions,
  LogRecord,
  OffsetResetPolicy,
  PollOptions,
  RecordConsumer,
  RecordValue,
  SeekTarget,
  StreamOffset,
  StreamPartition,
} from './RecordLog.ts';

/** an owned partition and where this consumer reads next */
interface Owned {
  stream: StreamInfo;
  partition: number;
  position: number;
}

/** longest sleep between two reads when no notification arrives (a lost NOTIFY costs this) */
const RECHECK_MS = 1_000;

/**
 * Up to $6 records from the owned partitions, in the order given ($3–$5), each partition from
 * its position on. Ownership is checked in the same statement: a partition this member no
 * longer owns yields nothing. The nested loop over the `unnest` keeps each partition's rows
 * together and in offset order, so the outer LIMIT cuts at most the tail of one partition.
 *
 * JSON values come back as text (`json`), not as `bytea`: node-postgres reads results in text
 * format, where a `bytea` is hex (2 bytes per byte, encoded by the server and decoded here),
 * which cost about a third of the log's read (bench/RESULTS.md, pipeline). The stored bytes are
 * `JSON.stringify`'s output as UTF-8 (encodeRecord): always valid UTF-8 without NUL, so
 * `convert_from` returns them unchanged. Binary values keep the `bytea` column (`value`).
 */
const POLL = `
  SELECT r.stream_id, r.partition, r.record_offset::text AS record_offset, r.record_key,
         CASE WHEN r.is_json THEN convert_from(r.value, 'UTF8') END AS json,
         CASE WHEN NOT r.is_json THEN r.value END AS value,
         r.headers, (extract(epoch FROM r.produced_at) * 1000)::float8 AS ts
    FROM unnest($3::int[], $4::int[], $5::bigint[]) AS p(stream_id, partition, position)
   CROSS JOIN LATERAL (
     SELECT * FROM log_records r
      WHERE r.stream_id = p.stream_id AND r.partition = p.partition
        AND r.record_offset >= p.position
        AND EXISTS (SELECT 1 FROM log_group_assignments a
                     WHERE a.group_name = $1 AND a.member_id = $2
                       AND a.stream_id = p.stream_id AND a.partition = p.partition)
      ORDER BY r.record_offset
      LIMIT $6) AS r
   LIMIT $6`;

const COMMIT = `
  INSERT INTO log_group_offsets (group_name, stream_id, partition, committed_offset)
  SELECT $1::varchar, c.stream_id, c.partition, c.committed_offset
    FROM unnest($3::int[], $4::int[], $5::bigint[]) AS c(stream_id, partition, committed_offset)
   WHERE EXISTS (SELECT 1 FROM log_group_assignments a
                  WHERE a.group_name = $1::varchar AND a.member_id = $2
                    AND a.stream_id = c.stream_id AND a.partition = c.partition)
  ON CONFLICT (group_name, stream_id, partition)
  DO UPDATE SET committed_offset = EXCLUDED.committed_offset, committed_at = now()
  RETURNING stream_id, partition`;

/** where a newly owned partition starts: committed offset, else the reset policy */
const START_POSITIONS = `
  SELECT p.stream_id, p.partition, p.next_offset::text AS next_offset,
         o.committed_offset::text AS committed_offset,
         COALESCE((SELECT min(r.record_offset) FROM log_records r
                    WHERE r.stream_id = p.stream_id AND r.partition = p.partition),
                  p.next_offset)::text AS first_offset
    FROM unnest($2::int[], $3::int[]) AS t(stream_id, partition)
    JOIN log_partitions p ON p.stream_id = t.stream_id AND p.partition = t.partition
    LEFT JOIN log_group_offsets o
      ON o.group_name = $1 AND o.stream_id = p.stream_id AND o.partition = p.partition`;

const RENEW = `
  UPDATE log_group_members
     SET heartbeat_at = now(), expires_at = now() + make_interval(secs => $3::float8 / 1000)
   WHERE group_name = $1 AND member_id = $2 AND expires_at >= now()`;

/** delete the group's expired members (their assignments go with them), list the others */
const LIVE_MEMBERS = `
  WITH expired AS (
    DELETE FROM log_group_members WHERE group_name = $1 AND expires_at < now() RETURNING member_id)
  SELECT member_id, stream_ids, (SELECT count(*) FROM expired)::int AS expired
    FROM log_group_members
   WHERE group_name = $1 AND member_id NOT IN (SELECT member_id FROM expired)`;

const NOTIFY_GROUP = `SELECT pg_notify('${LOG_CHANNEL}', 'g:' || $1::text)`;

const key = (streamId: number, partition: number) => `${streamId}/${partition}`;

/**
 * A member of a consumer group on the PostgreSQL log.
 *
 * Membership is a row in `log_group_members` with a lease that a background heartbeat renews;
 * ownership of a partition is a row in `log_group_assignments` (one owner per partition).
 * Every member derives the same target assignment from the live member rows
 * (`assignPartitions`). Changes are applied inside `poll`, between two batches, like Kafka's
 * rebalance callbacks: first partitions that should go elsewhere are revoked (`onRevoke`, so
 * the worker commits what it has written) and their rows deleted, then free target partitions
 * are claimed by inserting their rows. A partition whose owner has not released it yet is
 * simply not claimed until it has. A member whose lease expired is deleted by the next
 * member that looks, and its rows with it; if it was only slow, its next heartbeat finds its
 * row gone and it gives up its partitions as lost (its commits are refused) and joins anew.
 *
 * Reads and commits are checked against the ownership rows in the same statement, so a
 * member never reads or commits a partition it does not own at that moment.
 */
export class PostgresConsumer implements RecordConsumer {
  readonly group: string;
  readonly memberId = randomUUID();
  private readonly log: PostgresRecordLog;
  private readonly streams: StreamInfo[];
  private readonly streamsById: Map<number, StreamInfo>;
  private readonly autoOffsetReset: OffsetResetPolicy;
  private readonly onAssign: ConsumerOptions['onAssign'];
  private readonly onRevoke: ConsumerOptions['onRevoke'];
  private readonly owned = new Map<string, Owned>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeating = false;
  private rebalanceNeeded = true;
  private evicted = false;
  private closed = false;
  private readonly polls = new SinglePoll();
  /** bumped by every wake-up; a poll that saw no records sleeps only if it did not change */
  private wakeups = 0;
  private sleeper: (() => void) | undefined;
  private rotation = 0;

  constructor(log: PostgresRecordLog, options: ConsumerOptions, streams: StreamInfo[]) {
    this.log = log;
    this.group = options.group;
    this.streams = streams;
    this.streamsById = new Map(streams.map((s) => [s.id, s]));
    this.autoOffsetReset = options.autoOffsetReset ?? 'earliest';
    this.onAssign = options.onAssign;
    this.onRevoke = options.onRevoke;
  }

  reads(streamId: number): boolean {
    return this.streamsById.has(streamId);
  }

  /** records were committed to one of this consumer's streams */
  wake(): void {
    this.wakeups += 1;
    this.sleeper?.();
  }

  /** a member joined, left or released partitions */
  groupChanged(): void {
    this.rebalanceNeeded = true;
    this.wake();
  }

  async join(): Promise<void> {
    await inTransaction(this.log.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        GROUP_LOCK_CLASS,
        this.group,
      ]);
      // expired members, this one too if it is joining again after its lease ran out
      await client.query(
        'DELETE FROM log_group_members WHERE group_name = $1 AND expires_at < now()',
        [this.group],
      );
      await client.query(
        `INSERT INTO log_group_members (group_name, member_id, stream_ids, client, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::float8 / 1000))`,
        [
          this.group,
          this.memberId,
          this.streams.map((s) => s.id),
          `${os.hostname()}:${process.pid}`.slice(0, 200),
          this.log.leaseMs,
        ],
      );
      await client.query(NOTIFY_GROUP, [this.group]);
    });
    this.evicted = false;
    this.rebalanceNeeded = true;
    if (!this.heartbeatTimer) {
      this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.log.heartbeatMs);
      this.heartbeatTimer.unref();
    }
  }

  assignment(): StreamPartition[] {
    return [...this.owned.values()].map((o) => ({ stream: o.stream.name, partition: o.partition }));
  }

  poll(max: number, options: PollOptions = {}): Promise<LogRecord[]> {
    return this.polls.run(max, () => this.pollLoop(max, options.timeoutMs ?? 1_000));
  }

  private async pollLoop(max: number, timeoutMs: number): Promise<LogRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.closed) return [];
      if (this.rebalanceNeeded) await this.rebalance();
      const seen = this.wakeups;
      const records = await this.fetch(max);
      const left = deadline - Date.now();
      if (records.length > 0 || left <= 0) return records;
      if (this.wakeups !== seen || this.rebalanceNeeded) continue;
      // a broken LISTEN connection is reopened here; meanwhile the re-check interval applies
      await this.log.listen().catch(() => undefined);
      await this.sleep(Math.min(left, RECHECK_MS));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.sleeper = () => {
        this.sleeper = undefined;
        done();
      };
    });
  }

  private async fetch(max: number): Promise<LogRecord[]> {
    const owned = [...this.owned.values()];
    if (owned.length === 0) return [];
    // start with another partition each time, so that a busy one cannot starve the rest
    this.rotation = (this.rotation + 1) % owned.length;
    const order = [...owned.slice(this.rotation), ...owned.slice(0, this.rotation)];
    // the positions asked from: a seek made while the query runs must not be overridden below
    const asked = new Map(order.map((o) => [o, o.position]));
    const { rows } = await this.log.pool.query<{
      stream_id: number;
      partition: number;
      record_offset: string;
      record_key: string;
      json: string | null;
      value: Buffer | null;
      headers: Record<string, string> | null;
      ts: number;
    }>({
      name: 'gx-log-poll',
      text: POLL,
      values: [
        this.group,
        this.memberId,
        order.map((o) => o.stream.id),
        order.map((o) => o.partition),
        order.map((o) => o.position),
        max,
      ],
    });
    const records: LogRecord[] = [];
    const started = new Set<Owned>();
    for (const row of rows) {
      const owner = this.owned.get(key(row.stream_id, row.partition));
      const offset = Number(row.record_offset);
      if (!owner) continue;
      // The stored records of a partition are a dense range of offsets, so a batch that starts
      // above the position means retention deleted the records from the position on (a reset
      // or seek to a purged offset): read on from the first record still stored, as a Kafka
      // consumer does after its offset fell below the log start (purgeLog.ts).
      if (!started.has(owner) && owner.position === asked.get(owner) && offset > owner.position)
        owner.position = offset;
      started.add(owner);
      // offsets are dense: take each partition's records only while they follow on
      if (offset !== owner.position) continue;
      owner.position = offset + 1;
      records.push({
        stream: owner.stream.name,
        partition: row.partition,
        offset,
        key: row.record_key,
        value: row.json === null ? row.value! : (JSON.parse(row.json) as RecordValue),
        headers: row.headers ?? {},
        timestamp: row.ts,
      });
    }
    return records;
  }

  async commit(offsets: readonly StreamOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    // one row per partition (the last one given): an upsert cannot touch a row twice
    const latest = new Map<string, { streamId: number; partition: number; offset: number }>();
    offsets.forEach(({ stream, partition, offset }, i) => {
      const info = this.streams.find((s) => s.name === stream);
      if (!info) throw new InputError(`消费者未读取流 ${stream}`);
      checkOffset(offset, `/${i}/offset`);
      latest.set(key(info.id, partition), { streamId: info.id, partition, offset });
    });
    const wanted = [...latest.values()];
    const { rows } = await this.log.pool.query<{ stream_id: number; partition: number }>({
      name: 'gx-log-commit',
      text: COMMIT,
      values: [
        this.group,
        this.memberId,
        wanted.map((w) => w.streamId),
        wanted.map((w) => w.partition),
        wanted.map((w) => w.offset),
      ],
    });
    if (rows.length < wanted.length) {
      const done = new Set(rows.map((r) => key(r.stream_id, r.partition)));
      const refused = wanted
        .filter((w) => !done.has(key(w.streamId, w.partition)))
        .map((w) => ({ stream: this.streamsById.get(w.streamId)!.name, partition: w.partition }));
      throw new ConflictError('分区已不归本消费者所有，提交被拒绝；记录将重新投递给新的所有者', {
        partitions: refused,
      });
    }
  }

  async seek({
    stream,
    partition,
    offset,
  }: StreamPartition & { offset: SeekTarget }): Promise<void> {
    const info = this.streams.find((s) => s.name === stream);
    const owner = info && this.owned.get(key(info.id, partition));
    if (!owner) throw new ConflictError(`分区 ${stream}/${partition} 不归本消费者所有`);
    if (typeof offset === 'number') {
      checkOffset(offset);
      owner.position = offset;
      return;
    }
    const [start] = await this.startPositions([owner], offset, false);
    owner.position = start!.position;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    this.sleeper?.();
    await this.polls.settled();
    try {
      const owned = this.assignment();
      if (owned.length > 0) await this.onRevoke?.(owned, { lost: false });
    } finally {
      this.owned.clear();
      // the assignments go with the member row (cascade); the others hear of it at once
      await inTransaction(this.log.pool, async (client) => {
        await client.query(
          'DELETE FROM log_group_members WHERE group_name = $1 AND member_id = $2',
          [this.group, this.memberId],
        );
        await client.query(NOTIFY_GROUP, [this.group]);
      }).catch(() => undefined);
      this.log.forget(this);
    }
  }

  /** Keep the lease; notice when the assignment should change and let the next poll do it. */
  private async heartbeat(): Promise<void> {
    if (this.closed || this.heartbeating) return;
    this.heartbeating = true;
    try {
      const renewed = await this.log.pool.query(RENEW, [
        this.group,
        this.memberId,
        this.log.leaseMs,
      ]);
      if (renewed.rowCount === 0) {
        this.evicted = true;
        this.groupChanged();
        return;
      }
      const { target, inDatabase } = await this.readAssignment();
      const settled =
        sameKeys(target, inDatabase) && sameKeys(inDatabase, new Set(this.owned.keys()));
      if (!settled) this.groupChanged();
    } catch {
      // the database is unreachable: nothing to do but try again; the lease may run out
    } finally {
      this.heartbeating = false;
    }
  }

  private async readAssignment(): Promise<{ target: Set<string>; inDatabase: Set<string> }> {
    const { rows: members } = await this.log.pool.query<{
      member_id: string;
      stream_ids: number[];
      expired: number;
    }>(LIVE_MEMBERS, [this.group]);
    if (members[0] && members[0].expired > 0) {
      await this.log.pool.query(NOTIFY_GROUP, [this.group]).catch(() => undefined);
    }
    const live: GroupMember[] = members.map((m) => ({
      memberId: m.member_id,
      streamIds: m.stream_ids,
    }));
    const counts = new Map(this.streams.map((s) => [s.id, s.partitions]));
    const target = assignPartitions(live, counts, this.memberId);
    const { rows } = await this.log.pool.query<{ stream_id: number; partition: number }>(
      'SELECT stream_id, partition FROM log_group_assignments WHERE group_name = $1 AND member_id = $2',
      [this.group, this.memberId],
    );
    return { target, inDatabase: new Set(rows.map((r) => key(r.stream_id, r.partition))) };
  }

  /** Apply the target assignment: revoke, release, claim, assign. Runs inside `poll`. */
  private async rebalance(): Promise<void> {
    this.rebalanceNeeded = false;
    if (this.evicted) {
      await this.revoke([...this.owned.keys()], true);
      await this.join();
      this.rebalanceNeeded = false;
    }
    const { target, inDatabase } = await this.readAssignment();

    const lost = [...this.owned.keys()].filter((k) => !inDatabase.has(k));
    await this.revoke(lost, true);
    const release = [...inDatabase].filter((k) => !target.has(k));
    await this.revoke(release, false);

    const wanted = [...target].filter((k) => !inDatabase.has(k));
    let claimed: string[] = [];
    if (wanted.length > 0) {
      try {
        const { rows } = await this.log.pool.query<{ stream_id: number; partition: number }>(
          `INSERT INTO log_group_assignments (group_name, stream_id, partition, member_id)
           SELECT $1, w.stream_id, w.partition, $2
             FROM unnest($3::int[], $4::int[]) AS w(stream_id, partition)
           ON CONFLICT DO NOTHING
           RETURNING stream_id, partition`,
          [this.group, this.memberId, ...splitKeys(wanted)],
        );
        claimed = rows.map((r) => key(r.stream_id, r.partition));
      } catch (error) {
        // our member row is gone (foreign key): we were evicted meanwhile
        if ((error as { code?: string }).code !== '23503') throw error;
        this.evicted = true;
        this.rebalanceNeeded = true;
        return;
      }
    }
    const fresh = [...claimed, ...[...inDatabase].filter((k) => target.has(k))].filter(
      (k) => !this.owned.has(k),
    );
    if (fresh.length === 0) return;
    const starts = await this.startPositions(
      fresh.map((k) => {
        const [streamId, partition] = k.split('/').map(Number) as [number, number];
        return { stream: this.streamsById.get(streamId)!, partition, position: 0 };
      }),
      this.autoOffsetReset,
      true,
    );
    for (const start of starts) this.owned.set(key(start.stream.id, start.partition), start);
    await this.onAssign?.(starts.map((s) => ({ stream: s.stream.name, partition: s.partition })));
  }

  /** Drop partitions (after `onRevoke`); unless lost, delete their rows and tell the group. */
  private async revoke(keys: string[], lost: boolean): Promise<void> {
    if (keys.length === 0) return;
    const known = keys.map((k) => this.owned.get(k)).filter((o): o is Owned => o !== undefined);
    try {
      if (known.length > 0) {
        await this.onRevoke?.(
          known.map((o) => ({ stream: o.stream.name, partition: o.partition })),
          { lost },
        );
      }
    } finally {
      for (const k of keys) this.owned.delete(k);
      if (!lost) {
        await this.log.pool.query(
          `WITH released AS (
             DELETE FROM log_group_assignments a
              USING unnest($3::int[], $4::int[]) AS r(stream_id, partition)
              WHERE a.group_name = $1 AND a.member_id = $2
                AND a.stream_id = r.stream_id AND a.partition = r.partition
             RETURNING 1)
           SELECT pg_notify('${LOG_CHANNEL}', 'g:' || $1::text)
             FROM (SELECT count(*) FROM released) AS r`,
          [this.group, this.memberId, ...splitKeys(keys)],
        );
      }
    }
  }

  /** where to read `partitions` from: the committed offset (if `committed`), else `policy` */
  private async startPositions(
    partitions: Owned[],
    policy: OffsetResetPolicy,
    committed: boolean,
  ): Promise<Owned[]> {
    const { rows } = await this.log.pool.query<{
      stream_id: number;
      partition: number;
      next_offset: string;
      committed_offset: string | null;
      first_offset: string;
    }>(START_POSITIONS, [
      this.group,
      partitions.map((p) => p.stream.id),
      partitions.map((p) => p.partition),
    ]);
    return rows.map((r) => ({
      stream: this.streamsById.get(r.stream_id)!,
      partition: r.partition,
      position: Number(
        (committed ? r.committed_offset : null) ??
          (policy === 'latest' ? r.next_offset : r.first_offset),
      ),
    }));
  }
}

function splitKeys(keys: string[]): [number[], number[]] {
  const pairs = keys.map((k) => k.split('/').map(Number) as [number, number]);
  return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
}

function sameKeys(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((k) => b.has(k));
}
