/**
 * The record log: named streams of keyed records, split into partitions, read by consumer
 * groups. Two transports implement it — `PostgresRecordLog` (the embedded default) and
 * `KafkaRecordLog` (`KAFKA_BROKERS`) — and one contract suite (`recordLog.contract.ts`) holds
 * both to the same behaviour. Streams: per resource a raw stream, per subscription grant a
 * delivery stream, per connector a dead-letter stream (`streamNames.ts`).
 *
 * Delivery semantics (docs/adr/0006-record-log.md):
 *
 * - **Partitioning.** A record goes to partition `murmur2(utf8(key)) mod partitions`
 *   (`partitionForKey`, Kafka's default partitioner), computed by us on both transports, so a
 *   key lands on the same partition whichever transport holds the stream.
 * - **Order.** Offsets are dense per partition, starting at 0 (0, 1, 2, …), and a consumer
 *   reads a partition in offset order. Records of one `produce` call that share a partition
 *   keep their order; there is no order across partitions.
 * - **At-least-once.** `poll` never moves a committed offset. A worker processes what it
 *   polled, writes it to its sink, and only then calls `commit`. A worker that dies (even by
 *   SIGKILL) or loses a partition before committing leaves those records to whoever gets the
 *   partition next, so they are delivered again: sinks must be idempotent by record key.
 * - **Groups.** The partitions of the streams a group reads are divided among its live
 *   members; a partition has at most one owner at a time. A member that closes hands its
 *   partitions over at once; one that stops heartbeating loses them when its lease (PostgreSQL)
 *   or session (Kafka) expires.
 * - **Produce.** `produce` resolves when every record is durably stored (PostgreSQL: the
 *   transaction committed; Kafka: acknowledged by the in-sync replicas, idempotent producer).
 *   A call that fails may have stored some or all of its records; retrying it can duplicate
 *   them, which idempotent sinks absorb.
 * - **Retention.** A record goes once it is older than its stream's retention and every group
 *   that reads the stream has committed past it (PostgreSQL: `purgeLog.ts`; Kafka: the topic's
 *   `retention.ms`, by time alone). Offsets never change: a partition's first stored offset
 *   (`startOffsets`) rises, and a group whose offset fell below it reads from there.
 */

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A record's value: bytes, or any JSON value (stored as its UTF-8 JSON text). */
export type RecordValue = Buffer | JsonValue;

/** What a producer hands the log. */
export interface ProduceRecord {
  key: string;
  value: RecordValue;
  /** small string metadata (reason of a dead letter, trace id…); names starting `gx.` are reserved */
  headers?: Readonly<Record<string, string>>;
}

export interface StreamPartition {
  stream: string;
  partition: number;
}

/** A place in a stream. For commits and seeks, `offset` is the next offset to read. */
export interface StreamOffset extends StreamPartition {
  offset: number;
}

/** A record as a consumer receives it: the value comes back as it was produced. */
export interface LogRecord extends StreamOffset {
  key: string;
  value: RecordValue;
  headers: Record<string, string>;
  /** when the log accepted the record, milliseconds since the epoch */
  timestamp: number;
}

export interface PartitionOffset {
  partition: number;
  offset: number;
}

export interface CreateStreamOptions {
  partitions: number;
}

/** Where a group starts in a partition it has no committed offset for. */
export type OffsetResetPolicy = 'earliest' | 'latest';

/** `lost`: the partitions were taken away (lease or session expired); commits for them fail. */
export interface RevokeInfo {
  lost: boolean;
}

export interface ConsumerOptions {
  group: string;
  streams: readonly string[];
  /** default `earliest` */
  autoOffsetReset?: OffsetResetPolicy;
  /** called inside `poll` after the consumer received partitions, before reading them */
  onAssign?: (partitions: StreamPartition[]) => void | Promise<void>;
  /**
   * called inside `poll` (or `close`) before partitions are handed to another member: commit
   * what has been written to the sink here, or it will be delivered again
   */
  onRevoke?: (partitions: StreamPartition[], info: RevokeInfo) => void | Promise<void>;
}

export interface PollOptions {
  /** longest wait for the first record; default 1 000 ms */
  timeoutMs?: number;
}

export type SeekTarget = number | OffsetResetPolicy;

export interface RecordConsumer {
  /** at most `max` records, waiting up to `timeoutMs` when there are none; one call at a time */
  poll(max: number, options?: PollOptions): Promise<LogRecord[]>;
  /**
   * Commit the next offset to read (last processed + 1) for partitions this consumer owns;
   * resolves once stored. Fails with ConflictError when a partition is no longer this
   * consumer's or a Kafka group is rebalancing: nothing to undo, a later commit covers the
   * records or the partition's next owner reads them again.
   */
  commit(offsets: readonly StreamOffset[]): Promise<void>;
  /** move this consumer's read position in an owned partition (not committed) */
  seek(target: StreamPartition & { offset: SeekTarget }): Promise<void>;
  /** the partitions this consumer owns now */
  assignment(): StreamPartition[];
  /** hand over the partitions (after `onRevoke`) and leave the group */
  close(): Promise<void>;
}

export interface CommittedOffset extends StreamPartition {
  /** next offset the group will read, null when the group never committed in this partition */
  offset: number | null;
}

export type ResetOffsetsTarget = OffsetResetPolicy | readonly PartitionOffset[];

export interface ResetOffsetsOptions {
  group: string;
  stream: string;
  to: ResetOffsetsTarget;
}

/** Where `read` starts and how much it takes. */
export interface ReadOptions extends StreamOffset {
  /** at most this many records (1–1000) */
  max: number;
}

export interface RecordLog {
  readonly transport: 'postgres' | 'kafka';
  /** create the stream, or check an existing one has that many partitions (ConflictError) */
  createStream(name: string, options: CreateStreamOptions): Promise<void>;
  /** number of partitions of an existing stream (NotFoundError when it does not exist) */
  partitions(stream: string): Promise<number>;
  /** store records; returns each record's partition and offset, in input order */
  produce(stream: string, records: readonly ProduceRecord[]): Promise<PartitionOffset[]>;
  /** join `group` as a new member reading `streams` */
  consumer(options: ConsumerOptions): Promise<RecordConsumer>;
  /** per partition, the offset the next produced record will get */
  endOffsets(stream: string): Promise<PartitionOffset[]>;
  /** per partition, the first offset still stored (retention raises it); the end when empty */
  startOffsets(stream: string): Promise<PartitionOffset[]>;
  /**
   * Look at stored records without a consumer group (the management API's dead-letter view):
   * up to `max` records of one partition from `offset` on, in offset order, stopping at the
   * partition's end as it was when the call began. Moves no group's offsets.
   */
  read(options: ReadOptions): Promise<LogRecord[]>;
  /** the group's committed offsets in every partition of `streams` */
  committed(group: string, streams: readonly string[]): Promise<CommittedOffset[]>;
  /**
   * Set the group's committed offsets in a stream (management API "reset offsets"). The group
   * must have no live member: stop its workers first (ConflictError otherwise).
   */
  resetOffsets(options: ResetOffsetsOptions): Promise<CommittedOffset[]>;
  close(): Promise<void>;
}
