import { randomUUID } from 'node:crypto';
import Kafka from 'node-rdkafka';
import { ConflictError, NotFoundError } from '@gx/platform';
import {
  connect,
  consume,
  disconnect,
  KafkaRecordConsumer,
  toRecord,
} from './KafkaRecordConsumer.ts';
import { OpenConsumers } from './openConsumers.ts';
import { resetTargets } from './resetTargets.ts';
import { partitionForKey } from './partitionForKey.ts';
import { streamKindOf } from './streamKind.ts';
import {
  checkName,
  checkPartitionCount,
  checkReadOptions,
  encodeRecord,
  VALUE_TYPE_HEADER,
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

export type KafkaSettings = Record<string, string | number | boolean>;

export interface KafkaRecordLogOptions {
  /** bootstrap servers, `host:port,host:port` (`KAFKA_BROKERS`) */
  brokers: string;
  /** default `gx-connectors` */
  clientId?: string;
  /**
   * How `createStream` creates a topic: through the Admin API (default), or by asking the
   * broker for the topic's metadata and letting it auto-create it (`auto.create.topics.enable`
   * clusters with the wanted default partition count, e.g. librdkafka's mock cluster, which has
   * no CreateTopics and makes 4 partitions).
   */
  topicCreation?: 'admin' | 'auto';
  /** for the Admin API; default -1, the broker's `default.replication.factor` */
  replicationFactor?: number;
  /**
   * `retention.ms` of the topics `createStream` creates through the Admin API: dead-letter
   * streams (`gx.dlq.*`) get `deadLetters`, the others `records`. Unset: the broker's default.
   * Kafka deletes by time alone, whether or not a group has read the records.
   */
  retentionMs?: { records: number; deadLetters: number };
  /** consumer group session: a member silent this long loses its partitions; default 45 000 */
  sessionTimeoutMs?: number;
  /** default 3 000 */
  heartbeatIntervalMs?: number;
  /** a member that does not poll this long leaves its group; default 300 000 */
  maxPollIntervalMs?: number;
  /** extra librdkafka settings for every client (`security.protocol`, `sasl.*`, …) */
  settings?: KafkaSettings;
  /** extra librdkafka settings for consumers only (`fetch.wait.max.ms`, …) */
  consumerSettings?: KafkaSettings;
}

/** a produce call waiting for its delivery reports */
interface PendingBatch {
  offsets: PartitionOffset[];
  remaining: number;
  error: Error | undefined;
  resolve: (offsets: PartitionOffset[]) => void;
  reject: (error: Error) => void;
}

const TIMEOUT_MS = 30_000;
const { ERRORS } = Kafka.CODES;

/** Wrap librdkafka's callback style; its errors become Errors with their code. */
function call<T>(start: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    start((error, value) => (error ? reject(kafkaError(error)) : resolve(value as T))),
  );
}

export function kafkaError(error: unknown): Error & { code?: number } {
  if (error instanceof Error) return error;
  const e = error as { message?: string; code?: number };
  return Object.assign(new Error(e.message ?? String(error)), { code: e.code });
}

/**
 * The record log on Kafka through node-rdkafka (librdkafka). One idempotent producer per log
 * (`enable.idempotence`: no duplicates or reordering from its own retries); records go to the
 * partition `partitionForKey` gives, passed explicitly, so they land where the PostgreSQL log
 * would put them. Consumers: `KafkaRecordConsumer` (cooperative-sticky groups, explicit
 * commits only). Each consumer's poll occupies a libuv thread while it waits: raise
 * `UV_THREADPOOL_SIZE` above the number of consumers in a process.
 */
export class KafkaRecordLog implements RecordLog {
  readonly transport = 'kafka' as const;
  readonly options: KafkaRecordLogOptions;
  private producer: Promise<Kafka.Producer> | undefined;
  private readonly partitionCounts = new Map<string, number>();
  private readonly offsetReaders = new Map<string, Promise<Kafka.KafkaConsumer>>();
  private readonly consumers = new OpenConsumers<KafkaRecordConsumer>();
  private closing: Promise<void> | undefined;

  constructor(options: KafkaRecordLogOptions) {
    this.options = options;
  }

  /** settings every client of this log shares */
  baseSettings(): KafkaSettings {
    return {
      'bootstrap.servers': this.options.brokers,
      'client.id': this.options.clientId ?? 'gx-connectors',
      ...this.options.settings,
    };
  }

  private producerClient(): Promise<Kafka.Producer> {
    if (!this.producer) {
      const producer = new Kafka.Producer({
        ...this.baseSettings(),
        'enable.idempotence': true,
        'allow.auto.create.topics': false,
        dr_cb: true,
        'linger.ms': 5,
        'batch.num.messages': 10_000,
      });
      producer.on('delivery-report', (error, report) => {
        const { batch, index } = report.opaque as { batch: PendingBatch; index: number };
        if (error) batch.error ??= kafkaError(error);
        else batch.offsets[index] = { partition: report.partition, offset: report.offset };
        batch.remaining -= 1;
        if (batch.remaining === 0) {
          if (batch.error) batch.reject(batch.error);
          else batch.resolve(batch.offsets);
        }
      });
      this.producer = call<unknown>((done) => producer.connect({ timeout: TIMEOUT_MS }, done)).then(
        () => {
          producer.setPollInterval(5);
          return producer;
        },
      );
      this.producer.catch(() => (this.producer = undefined));
    }
    return this.producer;
  }

  async createStream(name: string, { partitions }: CreateStreamOptions): Promise<void> {
    checkName('stream', name);
    checkPartitionCount(partitions);
    if ((this.options.topicCreation ?? 'admin') === 'admin') {
      const admin = Kafka.AdminClient.create(this.baseSettings());
      try {
        await call<void>((done) =>
          admin.createTopic(
            {
              topic: name,
              num_partitions: partitions,
              replication_factor: this.options.replicationFactor ?? -1,
              ...this.topicConfig(name),
            },
            TIMEOUT_MS,
            done,
          ),
        ).catch((error: { code?: number }) => {
          if (error.code !== ERRORS.ERR_TOPIC_ALREADY_EXISTS) throw error;
        });
      } finally {
        admin.disconnect();
      }
    } else {
      await this.autoCreate(name);
    }
    const actual = await this.partitions(name);
    if (actual !== partitions) {
      throw new ConflictError(`流 ${name} 已存在，分区数为 ${actual}，不是 ${partitions}`);
    }
  }

  /** the settings a new topic gets: its retention, when configured */
  private topicConfig(name: string): { config?: Record<string, string> } {
    const retention = this.options.retentionMs;
    if (!retention) return {};
    const ms = streamKindOf(name) === 'dead-letter' ? retention.deadLetters : retention.records;
    return { config: { 'retention.ms': String(ms) } };
  }

  /** Ask for the topic's metadata with auto-creation allowed, until it has partitions. */
  private async autoCreate(name: string): Promise<void> {
    const client = new Kafka.Producer({ ...this.baseSettings(), 'allow.auto.create.topics': true });
    await call<unknown>((done) => client.connect({ timeout: TIMEOUT_MS }, done));
    try {
      const deadline = Date.now() + TIMEOUT_MS;
      for (;;) {
        const metadata = await call<Kafka.Metadata>((done) =>
          client.getMetadata({ topic: name, timeout: TIMEOUT_MS }, done),
        );
        const topic = metadata.topics.find((t) => t.name === name);
        if (topic && topic.partitions.length > 0) return;
        if (Date.now() > deadline) throw new Error(`topic ${name} was not auto-created`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await call<unknown>((done) => client.disconnect(done)).catch(() => undefined);
    }
  }

  async partitions(stream: string): Promise<number> {
    const cached = this.partitionCounts.get(stream);
    if (cached) return cached;
    checkName('stream', stream);
    const producer = await this.producerClient();
    const metadata = await call<Kafka.Metadata>((done) =>
      producer.getMetadata({ topic: stream, timeout: TIMEOUT_MS }, done),
    ).catch((error: { code?: number }) => {
      if (
        error.code === ERRORS.ERR_UNKNOWN_TOPIC_OR_PART ||
        error.code === ERRORS.ERR__UNKNOWN_TOPIC
      )
        return undefined;
      throw error;
    });
    const count = metadata?.topics.find((t) => t.name === stream)?.partitions.length ?? 0;
    if (count === 0) throw new NotFoundError(`流 ${stream} 不存在`);
    // a topic's partitions can be added to, never taken away: a stale count only under-uses
    this.partitionCounts.set(stream, count);
    return count;
  }

  async produce(stream: string, records: readonly ProduceRecord[]): Promise<PartitionOffset[]> {
    const partitions = await this.partitions(stream);
    if (records.length === 0) return [];
    const encoded = records.map(encodeRecord);
    const producer = await this.producerClient();
    const batch = {
      offsets: [],
      remaining: encoded.length,
      error: undefined,
    } as unknown as PendingBatch;
    const done = new Promise<PartitionOffset[]>((resolve, reject) => {
      batch.resolve = resolve;
      batch.reject = reject;
    });
    for (let index = 0; index < encoded.length; index += 1) {
      const record = encoded[index]!;
      const headers: Kafka.MessageHeader[] = Object.entries(record.headers ?? {}).map(
        ([name, value]) => ({ [name]: value }),
      );
      if (record.isJson) headers.push({ [VALUE_TYPE_HEADER]: 'json' });
      const partition = partitionForKey(record.key, partitions);
      for (;;) {
        try {
          producer.produce(
            stream,
            partition,
            record.value,
            record.key,
            Date.now(),
            { batch, index },
            headers,
          );
          break;
        } catch (error) {
          // librdkafka's queue is full: let delivery reports drain it, then go on
          if ((error as { code?: number }).code !== ERRORS.ERR__QUEUE_FULL) {
            batch.error ??= kafkaError(error);
            batch.remaining -= encoded.length - index;
            if (batch.remaining === 0) batch.reject(batch.error);
            return done;
          }
          producer.poll();
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
    }
    return done;
  }

  consumer(options: ConsumerOptions): Promise<RecordConsumer> {
    return this.consumers.add(
      options,
      async () => {
        for (const stream of options.streams) await this.partitions(stream);
        return new KafkaRecordConsumer(this, options);
      },
      (consumer) => consumer.connect(),
    );
  }

  /** called by a consumer once it has left its group */
  forget(consumer: KafkaRecordConsumer): void {
    this.consumers.forget(consumer);
  }

  async endOffsets(stream: string): Promise<PartitionOffset[]> {
    return (await this.watermarks(stream)).map(({ partition, high }) => ({
      partition,
      offset: high,
    }));
  }

  async startOffsets(stream: string): Promise<PartitionOffset[]> {
    return (await this.watermarks(stream)).map(({ partition, low }) => ({
      partition,
      offset: low,
    }));
  }

  /**
   * A short-lived consumer that is assigned the one partition (no group membership, no
   * commits), reading from `offset` (or the low watermark, if retention removed it) up to the
   * end offset the call began with.
   */
  async read({ stream, partition, offset, max }: ReadOptions): Promise<LogRecord[]> {
    const partitions = await this.partitions(stream);
    checkReadOptions(partitions, partition, offset, max);
    const producer = await this.producerClient();
    const marks = await call<Kafka.WatermarkOffsets>((done) =>
      producer.queryWatermarkOffsets(stream, partition, TIMEOUT_MS, done),
    );
    const from = Math.max(offset, marks.lowOffset);
    const end = Math.min(marks.highOffset, from + max);
    if (from >= end) return [];
    const client = new Kafka.KafkaConsumer(
      {
        ...this.baseSettings(),
        ...this.options.consumerSettings,
        // never joins or commits: the id only satisfies librdkafka
        'group.id': `gx.read.${randomUUID()}`,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
      },
      { 'auto.offset.reset': 'earliest' },
    );
    await connect(client);
    try {
      client.assign([{ topic: stream, partition, offset: from }]);
      const records: LogRecord[] = [];
      const deadline = Date.now() + TIMEOUT_MS;
      let next = from;
      while (next < end) {
        if (Date.now() > deadline) {
          throw new Error(`reading ${stream}[${partition}] timed out at offset ${next}`);
        }
        for (const message of await consume(client, end - next, 100)) {
          if (message.offset < next || message.offset >= end) continue;
          records.push(toRecord(message));
          next = message.offset + 1;
        }
      }
      return records;
    } finally {
      await disconnect(client);
    }
  }

  /** per partition, the first offset still stored (the low watermark) and the end offset */
  private async watermarks(
    stream: string,
  ): Promise<{ partition: number; low: number; high: number }[]> {
    const partitions = await this.partitions(stream);
    const producer = await this.producerClient();
    return Promise.all(
      Array.from({ length: partitions }, async (_, partition) => {
        const marks = await call<Kafka.WatermarkOffsets>((done) =>
          producer.queryWatermarkOffsets(stream, partition, TIMEOUT_MS, done),
        );
        return { partition, low: marks.lowOffset, high: marks.highOffset };
      }),
    );
  }

  /**
   * A consumer of the group that never subscribes, kept per group: it reads the group's
   * committed offsets (OffsetFetch) without joining the group.
   */
  private offsetReader(group: string): Promise<Kafka.KafkaConsumer> {
    let reader = this.offsetReaders.get(group);
    if (!reader) {
      const consumer = new Kafka.KafkaConsumer(
        { ...this.baseSettings(), 'group.id': group, 'enable.auto.commit': false },
        {},
      );
      reader = call<unknown>((done) => consumer.connect({ timeout: TIMEOUT_MS }, done)).then(
        () => consumer,
      );
      reader.catch(() => this.offsetReaders.delete(group));
      this.offsetReaders.set(group, reader);
    }
    return reader;
  }

  async committed(group: string, streams: readonly string[]): Promise<CommittedOffset[]> {
    checkName('group', group);
    const wanted: Kafka.TopicPartition[] = [];
    for (const stream of streams) {
      const partitions = await this.partitions(stream);
      for (let partition = 0; partition < partitions; partition += 1)
        wanted.push({ topic: stream, partition });
    }
    const reader = await this.offsetReader(group);
    const found = await call<Kafka.TopicPartitionOffset[]>((done) =>
      reader.committed(wanted, TIMEOUT_MS, done),
    );
    return wanted.map(({ topic, partition }) => {
      const offset = found.find((f) => f.topic === topic && f.partition === partition)?.offset;
      return {
        stream: topic,
        partition,
        offset: typeof offset === 'number' && offset >= 0 ? offset : null,
      };
    });
  }

  /**
   * Kafka accepts offsets from outside a group only while the group is empty, and librdkafka's
   * mock cluster not even then once the group has existed; so the reset joins the group as its
   * only member, checks that it was given every partition of the stream (otherwise another
   * member is alive: ConflictError), commits and leaves.
   */
  async resetOffsets({ group, stream, to }: ResetOffsetsOptions): Promise<CommittedOffset[]> {
    checkName('group', group);
    const partitions = await this.partitions(stream);
    const marks = await this.watermarks(stream);
    const targets = resetTargets(
      stream,
      marks.map((m) => ({ partition: m.partition, first: m.low, end: m.high })),
      to,
    );
    await KafkaRecordConsumer.commitAsSoleMember(this, group, stream, partitions, targets);
    return this.committed(group, [stream]);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.consumers.closeAll();
    const clients: Promise<Kafka.Producer | Kafka.KafkaConsumer>[] = [
      ...this.offsetReaders.values(),
    ];
    if (this.producer) {
      const producer = this.producer;
      clients.push(
        producer.then(
          (p) => new Promise<Kafka.Producer>((resolve) => p.flush(TIMEOUT_MS, () => resolve(p))),
        ),
      );
    }
    await Promise.allSettled(
      clients.map(async (client) => {
        const c = await client;
        await call<unknown>((done) => c.disconnect(done));
      }),
    );
  }
}
