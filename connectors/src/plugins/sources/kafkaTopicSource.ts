import Kafka from 'node-rdkafka';
import type { Logger } from '@gx/platform';
import type { JsonValue } from '../../log/RecordLog.ts';
import { defineSource, type SourceBatch, type SourceTask } from '../../runtime/plugin.ts';
import { isSecretRef, type SecretRef } from '../../runtime/secrets.ts';
import { BatchCollector, isJsonObject, type RecordValue } from './BatchCollector.ts';
import { loadOptionsSchema } from './loadOptionsSchema.ts';

/** A type alias (not an interface) so that it is assignable to the registry's plain options. */
export type KafkaTopicOptions = {
  /** bootstrap servers, `host:port,…`, or a reference to them */
  brokers: string | SecretRef;
  topic: string;
  group: string;
  /** where the group starts in a partition without a committed offset; default earliest */
  startFrom?: 'earliest' | 'latest';
  valueFormat?: 'json';
  /**
   * a message with a null value (a Kafka tombstone): `delete` (default) deletes the record whose
   * key the message key gives; `dead-letter` puts it in the dead-letter stream
   */
  tombstones?: 'delete' | 'dead-letter';
  /** more librdkafka settings (security.protocol, sasl.*…); a value may be a secret */
  settings?: Record<string, string | number | boolean | SecretRef>;
};

/**
 * Informational: the next offset per partition after the batches read so far. The group's
 * committed offsets, not this, decide where a new task starts; this shows the operator where
 * reading stands.
 */
export interface KafkaTopicPosition {
  partitions: Record<string, number>;
}

const TIMEOUT_MS = 30_000;
/** how long a poll waits for a first message when none is queued (in slices) */
const WAIT_MS = 500;
const SLICE_MS = 100;

const { ERRORS } = Kafka.CODES;
/** commit refusals that mean the partitions moved to another member: it reads them again */
const REBALANCE_CODES = new Set<number>([
  ERRORS.ERR_ILLEGAL_GENERATION,
  ERRORS.ERR_UNKNOWN_MEMBER_ID,
  ERRORS.ERR_REBALANCE_IN_PROGRESS,
  ERRORS.ERR__STATE,
]);

/**
 * The key fields a tombstone's message key names: with one key field the key itself (as
 * `recordKey` writes it), with several a JSON array of their values in key order or a JSON
 * object holding them. Undefined when the key says neither.
 */
export function keyValueOf(
  messageKey: string,
  keyFields: readonly string[],
): RecordValue | undefined {
  if (keyFields.length === 1) return { [keyFields[0]!]: messageKey };
  let parsed: unknown;
  try {
    parsed = JSON.parse(messageKey);
  } catch {
    return undefined;
  }
  const value: RecordValue = {};
  if (Array.isArray(parsed)) {
    if (parsed.length !== keyFields.length) return undefined;
    keyFields.forEach((field, i) => (value[field] = parsed[i] as JsonValue));
  } else if (isJsonObject(parsed)) {
    for (const field of keyFields) value[field] = parsed[field] as JsonValue;
  } else {
    return undefined;
  }
  return value;
}

function tombstoneKeyReason(keyFields: readonly string[]): string {
  return keyFields.length === 1
    ? '删除标记（消息值为空）须以记录主键作为消息键'
    : `删除标记（消息值为空）的消息键须为主键字段 ${keyFields.join('、')} 的值组成的 JSON 数组或对象`;
}

/** node-rdkafka's `consume(n)` waits up to its default timeout for each message */
function consume(client: Kafka.KafkaConsumer, max: number, timeoutMs: number) {
  client.setDefaultConsumeTimeout(timeoutMs);
  return new Promise<Kafka.Message[]>((resolve, reject) =>
    client.consume(max, (error, messages) => (error ? reject(error) : resolve(messages))),
  );
}

function isPosition(value: JsonValue | null): value is KafkaTopicPosition & JsonValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value.partitions === 'object' &&
    value.partitions !== null &&
    !Array.isArray(value.partitions)
  );
}

/**
 * A member of the external topic's consumer group, committing only in `acknowledge` (after
 * the runtime stored the batch), so that a crash leaves the batch to be read again.
 *
 * In-process retries: when the runtime polls again without having acknowledged the previous
 * batch (storing it failed), the consumer's fetch position is already past it; the partitions
 * of that batch are sought back to its first offsets so that it is read again, not skipped.
 */
class KafkaTopicTask implements SourceTask {
  private readonly client: Kafka.KafkaConsumer;
  private readonly topic: string;
  private readonly keyFields: readonly string[];
  private readonly deleteTombstones: boolean;
  private readonly redact: (text: string) => string;
  private readonly logger: Logger;
  /** partition → first offset of the batch returned and not yet acknowledged */
  private unacknowledged = new Map<number, number>();
  private closed = false;

  constructor(
    client: Kafka.KafkaConsumer,
    options: KafkaTopicOptions,
    keyFields: readonly string[],
    redact: (text: string) => string,
    logger: Logger,
  ) {
    this.client = client;
    this.topic = options.topic;
    this.keyFields = keyFields;
    this.deleteTombstones = options.tombstones !== 'dead-letter';
    this.redact = redact;
    this.logger = logger;
  }

  private error(what: string, error: unknown): Error {
    const message = (error as { message?: string }).message ?? String(error);
    return Object.assign(new Error(`${what}: ${this.redact(message)}`), {
      code: (error as { code?: number }).code,
    });
  }

  private async rewind(): Promise<void> {
    const owned = new Set(
      this.client
        .assignments()
        .filter((a) => a.topic === this.topic)
        .map((a) => a.partition),
    );
    for (const [partition, offset] of this.unacknowledged) {
      // a partition taken away meanwhile is read again by its new owner from the commit
      if (!owned.has(partition)) continue;
      await new Promise<void>((resolve, reject) =>
        this.client.seek({ topic: this.topic, partition, offset }, TIMEOUT_MS, (error) =>
          error ? reject(this.error('Kafka 重新定位失败', error)) : resolve(),
        ),
      );
    }
    this.unacknowledged.clear();
  }

  async poll(
    stored: JsonValue | null,
    { maxRecords, signal }: { maxRecords: number; signal: AbortSignal },
  ): Promise<SourceBatch | null> {
    if (this.unacknowledged.size > 0) await this.rewind();
    let messages: Kafka.Message[];
    try {
      messages = await consume(this.client, maxRecords, 0);
      for (let waited = 0; messages.length === 0 && waited < WAIT_MS; waited += SLICE_MS) {
        if (signal.aborted) return null;
        messages = await consume(this.client, 1, SLICE_MS);
        if (messages.length > 0 && maxRecords > 1) {
          messages.push(...(await consume(this.client, maxRecords - 1, 0)));
        }
      }
    } catch (error) {
      throw this.error(`读取 Kafka 主题 ${this.topic} 失败`, error);
    }
    if (messages.length === 0) return null;

    const batch = new BatchCollector(this.keyFields);
    const first = new Map<number, number>();
    const next = new Map<number, number>();
    for (const message of messages) {
      const { partition, offset } = message;
      if (!first.has(partition)) first.set(partition, offset);
      next.set(partition, Math.max(next.get(partition) ?? 0, offset + 1));
      this.collect(batch, message);
    }
    this.unacknowledged = first;
    const partitions: Record<string, number> = isPosition(stored)
      ? { ...(stored.partitions as Record<string, number>) }
      : {};
    for (const [partition, offset] of next) partitions[String(partition)] = offset;
    return {
      records: batch.records,
      deadLetters: batch.deadLetters,
      position: { partitions },
      acknowledge: () => this.commit(next),
    };
  }

  private collect(batch: BatchCollector, message: Kafka.Message): void {
    const context = {
      topic: message.topic,
      partition: String(message.partition),
      offset: String(message.offset),
    };
    const messageKey =
      message.key === undefined || message.key === null ? undefined : String(message.key);
    const locate = () => ({
      key: messageKey ?? `${message.topic}/${message.partition}@${message.offset}`,
      context,
    });
    if (message.value === null || message.value === undefined) {
      const { key } = locate();
      if (!this.deleteTombstones) {
        batch.reject(key, null, '消息值为空（删除标记），本连接器不接受删除', context);
        return;
      }
      const fields = messageKey === undefined ? undefined : keyValueOf(messageKey, this.keyFields);
      if (fields === undefined) {
        batch.reject(key, null, tombstoneKeyReason(this.keyFields), context);
        return;
      }
      batch.add(fields, locate, { deleted: true });
      return;
    }
    const text = message.value.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      batch.reject(locate().key, text, `JSON 无效: ${(error as Error).message}`, context);
      return;
    }
    if (isJsonObject(value)) batch.add(value, locate);
    else batch.reject(locate().key, value as JsonValue, '消息值不是 JSON 对象', context);
  }

  /** commits the offsets after the batch; synchronous in librdkafka, so durable on return */
  private async commit(next: Map<number, number>): Promise<void> {
    this.unacknowledged.clear();
    if (this.closed || next.size === 0) return;
    try {
      this.client.commitSync(
        [...next].map(([partition, offset]) => ({ topic: this.topic, partition, offset })),
      );
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code !== undefined && REBALANCE_CODES.has(code)) {
        // the partitions moved: their new owner reads the batch again from the last commit
        this.logger.warn(
          { topic: this.topic, kafkaCode: code },
          'Kafka 消费组重新分配，提交被拒绝',
        );
        return;
      }
      throw this.error(`提交 Kafka 主题 ${this.topic} 的偏移量失败`, error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, TIMEOUT_MS);
      this.client.disconnect(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export const kafkaTopicSource = defineSource<KafkaTopicOptions>({
  kind: 'source',
  type: 'kafka-topic',
  title: '外部 Kafka 主题',
  optionsSchema: loadOptionsSchema('kafka-topic'),
  positionSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['partitions'],
    properties: {
      partitions: {
        title: '各分区的下一个偏移量',
        type: 'object',
        propertyNames: { pattern: '^[0-9]+$' },
        additionalProperties: { type: 'integer', minimum: 0 },
      },
    },
  },
  async create(options, context) {
    const brokers = isSecretRef(options.brokers)
      ? await context.secrets.resolve(options.brokers)
      : options.brokers;
    const settings: Record<string, string | number | boolean> = {};
    const secrets: string[] = isSecretRef(options.brokers) ? brokers.split(',') : [];
    for (const [name, value] of Object.entries(options.settings ?? {})) {
      if (isSecretRef(value)) {
        const secret = await context.secrets.resolve(value);
        settings[name] = secret;
        secrets.push(secret);
      } else {
        settings[name] = value;
      }
    }
    // librdkafka messages may name brokers; a secret one (or any secret setting) is masked
    const redact = (text: string) =>
      secrets.filter(Boolean).reduce((t, secret) => t.replaceAll(secret, '***'), text);
    const client = new Kafka.KafkaConsumer(
      {
        'client.id': `gx-connector-${context.connector}`,
        ...settings,
        'bootstrap.servers': brokers,
        'group.id': options.group,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'enable.partition.eof': false,
        rebalance_cb: true,
      } as Kafka.ConsumerGlobalConfig,
      { 'auto.offset.reset': options.startFrom ?? 'earliest' },
    );
    client.on('event.error', (error) =>
      context.logger.warn({ topic: options.topic, err: redact(error.message) }, 'Kafka 客户端错误'),
    );
    const task = new KafkaTopicTask(client, options, context.keyFields, redact, context.logger);
    try {
      await new Promise<void>((resolve, reject) =>
        client.connect({ timeout: TIMEOUT_MS }, (error) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      await task.close();
      throw Object.assign(
        new Error(`连接 Kafka 失败: ${redact((error as Error).message ?? String(error))}`),
        { code: (error as { code?: number }).code },
      );
    }
    client.subscribe([options.topic]);
    return task;
  },
});
