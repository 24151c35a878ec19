import Kafka from 'node-rdkafka';
import { ConflictError } from '@gx/platform';
import { SinglePoll } from './openConsumers.ts';
import { kafkaError, type KafkaRecordLog } from './KafkaRecordLog.ts';
import { checkOffset, decodeValue, partitionId, VALUE_TYPE_HEADER } from './recordEncoding.ts';
import type {
  ConsumerOptions,
  LogRecord,
  PartitionOffset,
  PollOptions,
  RecordConsumer,
  SeekTarget,
  StreamOffset,
  StreamPartition,
} from './RecordLog.ts';

const { ERRORS } = Kafka.CODES;
const TIMEOUT_MS = 30_000;
/**
 * Longest single wait inside librdkafka. node-rdkafka's consume(n) waits up to its timeout for
 * *each* message, so a poll takes what is queued without waiting, and only when nothing is
 * waits (in slices, applying pending rebalances between them) for one record and then takes
 * what has come with it.
 */
const SLICE_MS = 100;
/** Kafka's logical offsets for seek */
const OFFSET_BEGINNING = -2;
const OFFSET_END = -1;

interface RebalanceEvent {
  assign: boolean;
  partitions: Kafka.TopicPartition[];
}

const toStreamPartition = (tp: Kafka.TopicPartition): StreamPartition => ({
  stream: tp.topic,
  partition: tp.partition,
});

/** node-rdkafka's `consume(n)` with a given wait, as a promise */
export function consume(
  client: Kafka.KafkaConsumer,
  max: number,
  timeoutMs: number,
): Promise<Kafka.Message[]> {
  client.setDefaultConsumeTimeout(timeoutMs);
  return new Promise((resolve, reject) =>
    client.consume(max, (error, messages) =>
      error ? reject(kafkaError(error)) : resolve(messages),
    ),
  );
}

export function connect(client: Kafka.KafkaConsumer): Promise<void> {
  return new Promise((resolve, reject) =>
    client.connect({ timeout: TIMEOUT_MS }, (error) =>
      error ? reject(kafkaError(error)) : resolve(),
    ),
  );
}

/** disconnect, but never hang a shutdown on it (librdkafka can wait on a stuck rebalance) */
export function disconnect(client: Kafka.KafkaConsumer): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, TIMEOUT_MS);
    client.disconnect(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * A member of a Kafka consumer group: `enable.auto.commit=false` (and no offset store), the
 * cooperative-sticky assignor (a rebalance moves only the partitions that change owner),
 * commits only through `commit`.
 *
 * librdkafka announces rebalances through `rebalance_cb`; they are queued and applied inside
 * `poll` (or `close`), where `onAssign` / `onRevoke` run between two batches, exactly as on the
 * PostgreSQL log, and the partitions are (un)assigned incrementally afterwards. Records that
 * arrive for a partition being revoked are dropped: its next owner reads them from the
 * committed offset. Whether a revocation was a loss (session expired) is not exposed by
 * node-rdkafka, so `lost` is always false here; a commit after a loss fails with ConflictError.
 */
export class KafkaRecordConsumer implements RecordConsumer {
  private readonly log: KafkaRecordLog;
  private readonly options: ConsumerOptions;
  private readonly client: Kafka.KafkaConsumer;
  private readonly assigned = new Map<string, StreamPartition>();
  private readonly revoking = new Set<string>();
  private pending: RebalanceEvent[] = [];
  private readonly polls = new SinglePoll();
  private closing = false;

  constructor(log: KafkaRecordLog, options: ConsumerOptions) {
    this.log = log;
    this.options = options;
    this.client = new Kafka.KafkaConsumer(
      {
        ...log.baseSettings(),
        'group.id': options.group,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'enable.partition.eof': false,
        'allow.auto.create.topics': false,
        'partition.assignment.strategy': 'cooperative-sticky',
        'session.timeout.ms': log.options.sessionTimeoutMs ?? 45_000,
        'heartbeat.interval.ms': log.options.heartbeatIntervalMs ?? 3_000,
        'max.poll.interval.ms': log.options.maxPollIntervalMs ?? 300_000,
        ...log.options.consumerSettings,
        rebalance_cb: (error: { code: number }, partitions: Kafka.TopicPartition[]) =>
          this.rebalanced(error.code, partitions),
      },
      { 'auto.offset.reset': options.autoOffsetReset ?? 'earliest' },
    );
  }

  async connect(): Promise<void> {
    await connect(this.client);
    this.client.subscribe([...this.options.streams]);
  }

  private rebalanced(code: number, partitions: Kafka.TopicPartition[]): void {
    const assign = code === ERRORS.ERR__ASSIGN_PARTITIONS;
    if (!assign && code !== ERRORS.ERR__REVOKE_PARTITIONS) return;
    if (this.closing) {
      // librdkafka's close waits for this: answer at once (close already called onRevoke)
      this.applyAssignment({ assign, partitions });
      return;
    }
    if (!assign)
      for (const tp of partitions) this.revoking.add(partitionId(tp.topic, tp.partition));
    this.pending.push({ assign, partitions });
  }

  private applyAssignment({ assign, partitions }: RebalanceEvent): void {
    try {
      if (assign) this.client.incrementalAssign(partitions);
      else this.client.incrementalUnassign(partitions);
    } catch {
      // while closing librdkafka may already have let go of them
    }
    for (const tp of partitions) {
      const id = partitionId(tp.topic, tp.partition);
      this.revoking.delete(id);
      if (assign) this.assigned.set(id, toStreamPartition(tp));
      else this.assigned.delete(id);
    }
  }

  /** Apply queued rebalances in order, with the application's callbacks. */
  private async applyPending(): Promise<void> {
    while (this.pending.length > 0) {
      const event = this.pending.shift()!;
      const partitions = event.partitions.map(toStreamPartition);
      if (event.assign) {
        this.applyAssignment(event);
        if (partitions.length > 0) await this.options.onAssign?.(partitions);
      } else {
        try {
          const known = partitions.filter((p) =>
            this.assigned.has(partitionId(p.stream, p.partition)),
          );
          if (known.length > 0) await this.options.onRevoke?.(known, { lost: false });
        } finally {
          this.applyAssignment(event);
        }
      }
    }
  }

  assignment(): StreamPartition[] {
    return [...this.assigned.values()];
  }

  poll(max: number, options: PollOptions = {}): Promise<LogRecord[]> {
    return this.polls.run(max, () => this.pollLoop(max, options.timeoutMs ?? 1_000));
  }

  private async pollLoop(max: number, timeoutMs: number): Promise<LogRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.applyPending();
      if (this.closing) return [];
      let messages = await consume(this.client, max, 0);
      if (messages.length === 0) {
        const wait = Math.max(1, Math.min(SLICE_MS, deadline - Date.now()));
        messages = await consume(this.client, 1, wait);
        if (messages.length > 0 && max > 1) {
          messages.push(...(await consume(this.client, max - 1, 0)));
        }
      }
      const records: LogRecord[] = [];
      for (const message of messages) {
        const id = partitionId(message.topic, message.partition);
        if (!this.assigned.has(id) || this.revoking.has(id)) continue;
        records.push(toRecord(message));
      }
      if (records.length > 0 || Date.now() >= deadline) return records;
    }
  }

  async commit(offsets: readonly StreamOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const latest = new Map<string, Kafka.TopicPartitionOffset>();
    offsets.forEach(({ stream, partition, offset }, i) => {
      checkOffset(offset, `/${i}/offset`);
      latest.set(partitionId(stream, partition), { topic: stream, partition, offset });
    });
    const refused = [...latest.keys()].filter((id) => !this.assigned.has(id));
    if (refused.length > 0) {
      throw new ConflictError('分区已不归本消费者所有，提交被拒绝；记录将重新投递给新的所有者', {
        partitions: refused,
      });
    }
    try {
      this.client.commitSync([...latest.values()]);
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (
        code === ERRORS.ERR_ILLEGAL_GENERATION ||
        code === ERRORS.ERR_UNKNOWN_MEMBER_ID ||
        code === ERRORS.ERR_REBALANCE_IN_PROGRESS
      ) {
        throw new ConflictError('消费组正在重新分配分区，提交被拒绝；记录将重新投递', {
          kafkaCode: code,
        });
      }
      throw kafkaError(error);
    }
  }

  async seek({
    stream,
    partition,
    offset,
  }: StreamPartition & { offset: SeekTarget }): Promise<void> {
    if (!this.assigned.has(partitionId(stream, partition))) {
      throw new ConflictError(`分区 ${stream}/${partition} 不归本消费者所有`);
    }
    if (typeof offset === 'number') checkOffset(offset);
    const target =
      offset === 'earliest' ? OFFSET_BEGINNING : offset === 'latest' ? OFFSET_END : offset;
    await new Promise<void>((resolve, reject) =>
      this.client.seek({ topic: stream, partition, offset: target }, TIMEOUT_MS, (error) =>
        error ? reject(kafkaError(error)) : resolve(),
      ),
    );
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.polls.settled();
    try {
      const owned = this.assignment();
      this.pending = [];
      if (owned.length > 0) await this.options.onRevoke?.(owned, { lost: false });
    } finally {
      await disconnect(this.client);
      this.assigned.clear();
      this.log.forget(this);
    }
  }

  /**
   * For `KafkaRecordLog.resetOffsets`: join `group` alone, check that every partition of
   * `stream` was given to us (else another member is alive), commit `targets`, leave.
   */
  static async commitAsSoleMember(
    log: KafkaRecordLog,
    group: string,
    stream: string,
    partitions: number,
    targets: PartitionOffset[],
  ): Promise<void> {
    let given: StreamPartition[] | undefined;
    const member = new KafkaRecordConsumer(log, {
      group,
      streams: [stream],
      onAssign: (assigned) => void (given ??= assigned),
    });
    // an assignment that leaves us nothing is not announced to onAssign: watch librdkafka's
    member.client.on('rebalance', (error) => {
      if (error?.code === ERRORS.ERR__ASSIGN_PARTITIONS) given ??= [];
    });
    await member.connect();
    try {
      const deadline = Date.now() + (log.options.sessionTimeoutMs ?? 45_000) + 15_000;
      while (given === undefined && Date.now() < deadline) await member.poll(1, { timeoutMs: 200 });
      await member.applyPending();
      const owned = member.assignment();
      if (owned.length < partitions) {
        throw new ConflictError(
          `消费组 ${group} 仍有活动成员，须先停止其工作进程（已终止的进程在会话超时后自动退出）`,
        );
      }
      member.client.commitSync(targets.map((t) => ({ topic: stream, ...t })));
    } finally {
      await member.close();
    }
  }
}

export function toRecord(message: Kafka.Message): LogRecord {
  const headers: Record<string, string> = {};
  let isJson = false;
  for (const header of message.headers ?? []) {
    for (const [name, value] of Object.entries(header)) {
      const text = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
      if (name === VALUE_TYPE_HEADER) isJson = text === 'json';
      else headers[name] = text;
    }
  }
  const key = message.key;
  return {
    stream: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: key === null || key === undefined ? '' : Buffer.isBuffer(key) ? key.toString('utf8') : key,
    value: decodeValue(message.value ?? Buffer.alloc(0), isJson),
    headers,
    timestamp: message.timestamp ?? 0,
  };
}
