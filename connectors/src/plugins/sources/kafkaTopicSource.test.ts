import Kafka from 'node-rdkafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../log/RecordLog.ts';
import {
  MOCK_CLUSTER_CONSUMER_SETTINGS,
  startKafkaMockCluster,
  type KafkaMockCluster,
} from '../../log/testing/kafkaMockCluster.ts';
import type { SourceBatch, SourceTask } from '../../runtime/plugin.ts';
import { kafkaTopicSource, keyValueOf, type KafkaTopicOptions } from './kafkaTopicSource.ts';
import { optionsErrors, sourceTestContext } from './sourceTestContext.ts';

const signal = new AbortController().signal;
let cluster: KafkaMockCluster;
let producer: Kafka.Producer;

/** short sessions: the mock cluster holds a group that was just left for the session less 1 s */
const settings = {
  ...MOCK_CLUSTER_CONSUMER_SETTINGS,
  'session.timeout.ms': 3_000,
  'heartbeat.interval.ms': 300,
};

beforeAll(async () => {
  cluster = await startKafkaMockCluster(1);
  producer = new Kafka.Producer({ 'bootstrap.servers': cluster.brokers, dr_cb: true });
  await new Promise((resolve, reject) =>
    producer.connect({}, (error) => (error ? reject(error) : resolve(undefined))),
  );
  producer.setPollInterval(5);
});

afterAll(async () => {
  await new Promise((resolve) => producer?.disconnect(() => resolve(undefined)));
  await cluster?.stop();
});

/** produces and waits until every message is acknowledged by the broker */
async function produce(topic: string, messages: { key: string | null; value: string | null }[]) {
  let remaining = messages.length;
  const delivered = new Promise<void>((resolve, reject) => {
    const onReport = (error: Kafka.LibrdKafkaError) => {
      if (error) reject(error);
      else if (--remaining === 0) {
        producer.off('delivery-report', onReport);
        resolve();
      }
    };
    producer.on('delivery-report', onReport);
  });
  for (const { key, value } of messages) {
    producer.produce(topic, null, value === null ? null : Buffer.from(value), key ?? undefined);
  }
  await delivered;
}

async function createTask(options: Omit<KafkaTopicOptions, 'brokers'>): Promise<SourceTask> {
  return kafkaTopicSource.create(
    { brokers: { secret: { env: 'AGENCY_KAFKA' } }, settings, ...options },
    sourceTestContext(['id'], { AGENCY_KAFKA: cluster.brokers }),
  );
}

/** polls (acknowledging each batch) until `want` records and dead letters have come */
async function readUntil(task: SourceTask, want: number, from: JsonValue | null = null) {
  const batches: SourceBatch[] = [];
  let position = from;
  let count = 0;
  while (count < want) {
    const batch = await task.poll(position, { maxRecords: 7, signal });
    if (!batch) continue;
    batches.push(batch);
    count += batch.records.length + batch.deadLetters.length;
    position = batch.position;
    await batch.acknowledge?.();
  }
  return { batches, position };
}

describe('kafka-topic options schema', () => {
  it('accepts brokers as text or secret and refuses overriding the group or commits', () => {
    const base = { topic: 'agency.permits', group: 'gx-permits' };
    expect(optionsErrors(kafkaTopicSource, { ...base, brokers: 'k1:9092,k2:9092' })).toEqual([]);
    expect(
      optionsErrors(kafkaTopicSource, {
        ...base,
        brokers: { secret: { file: '/run/secrets/kafka' } },
        settings: {
          'sasl.password': { secret: { env: 'KAFKA_PASSWORD' } },
          'security.protocol': 'sasl_ssl',
        },
      }),
    ).toEqual([]);
    for (const name of ['enable.auto.commit', 'group.id', 'bootstrap.servers']) {
      expect(
        optionsErrors(kafkaTopicSource, { ...base, brokers: 'k:9092', settings: { [name]: true } }),
      ).not.toEqual([]);
    }
    expect(
      optionsErrors(kafkaTopicSource, { ...base, brokers: 'k:9092', valueFormat: 'avro' }),
    ).not.toEqual([]);
  });
});

describe('kafka-topic tombstone keys', () => {
  it('names the key fields from the message key: the key itself, or a JSON array or object of several', () => {
    expect(keyValueOf('P5', ['id'])).toEqual({ id: 'P5' });
    expect(keyValueOf('["330106", 7]', ['district', 'serial'])).toEqual({
      district: '330106',
      serial: 7,
    });
    expect(keyValueOf('{"serial":7,"district":"330106"}', ['district', 'serial'])).toEqual({
      district: '330106',
      serial: 7,
    });
    expect(keyValueOf('["330106"]', ['district', 'serial'])).toBeUndefined();
    expect(keyValueOf('330106-7', ['district', 'serial'])).toBeUndefined();
  });
});

describe('kafka-topic source', () => {
  it('reads JSON objects and tombstones as deletions, dead-letters other values, and a new task of the group continues after the commit', async () => {
    const topic = 'agency.permits';
    const good = Array.from({ length: 20 }, (_, i) => ({
      key: `k${i}`,
      value: JSON.stringify({ id: `P${i}`, holder: `持证人${i}` }),
    }));
    await produce(topic, [
      ...good,
      { key: 'bad-json', value: '{"id":' },
      { key: 'array', value: '[1,2]' },
      // a Kafka tombstone: P5 was deleted; without a message key it cannot say what
      { key: 'P5', value: null },
      { key: null, value: null },
      { key: 'no-key', value: '{"holder":"无主键"}' },
    ]);

    const first = await createTask({ topic, group: 'gx-permits' });
    const { batches, position } = await readUntil(first, 25);
    await first.close();

    const records = batches.flatMap((b) => b.records);
    expect(
      records
        .filter((r) => !r.deleted)
        .map((r) => r.key)
        .sort(),
    ).toEqual(good.map((_, i) => `P${i}`).sort());
    expect(records.find((r) => r.key === 'P3')?.value).toEqual({ id: 'P3', holder: '持证人3' });
    expect(records.filter((r) => r.deleted)).toEqual([
      { key: 'P5', value: { id: 'P5' }, deleted: true },
    ]);
    const dead = batches.flatMap((b) => b.deadLetters);
    const keyless = dead.find((d) => d.value === null);
    expect(keyless?.key).toMatch(/^agency\.permits\/\d+@\d+$/);
    expect(
      Object.fromEntries(dead.map((d) => [d === keyless ? 'tombstone' : d.key, d.reason])),
    ).toEqual({
      'bad-json': expect.stringMatching(/^JSON 无效: /),
      array: '消息值不是 JSON 对象',
      tombstone: '删除标记（消息值为空）须以记录主键作为消息键',
      'no-key': '缺少主键字段 id',
    });
    expect(dead[0]?.context).toMatchObject({
      topic,
      partition: expect.any(String),
      offset: expect.any(String),
    });
    const offsets = Object.values((position as { partitions: Record<string, number> }).partitions);
    expect(offsets.reduce((a, b) => a + b, 0)).toBe(25);

    // "restart": the same group continues after what was committed, nothing is read twice
    await produce(topic, [{ key: 'new', value: JSON.stringify({ id: 'P20' }) }]);
    const second = await createTask({ topic, group: 'gx-permits' });
    try {
      const more = await readUntil(second, 1, position);
      expect(more.batches.flatMap((b) => b.records).map((r) => r.key)).toEqual(['P20']);
      expect(await second.poll(more.position, { maxRecords: 7, signal })).toBeNull();
    } finally {
      await second.close();
    }
  });

  it('reads a batch again when polled anew without having acknowledged it', async () => {
    const topic = 'agency.licences';
    await produce(
      topic,
      Array.from({ length: 5 }, (_, i) => ({
        key: 'same',
        value: JSON.stringify({ id: `L${i}` }),
      })),
    );
    const task = await createTask({ topic, group: 'gx-licences' });
    try {
      let batch: SourceBatch | null = null;
      while (!batch) batch = await task.poll(null, { maxRecords: 3, signal });
      // storing the batch failed: the runtime polls again from the old position
      let again: SourceBatch | null = null;
      while (!again) again = await task.poll(null, { maxRecords: 3, signal });
      // each batch holds what the consumer had fetched by then (one record or three): both
      // start at L0, the first unacknowledged record, in order
      const ids = ['L0', 'L1', 'L2', 'L3', 'L4'];
      expect(batch.records.map((r) => r.key)).toEqual(ids.slice(0, batch.records.length));
      expect(again.records.map((r) => r.key)).toEqual(ids.slice(0, again.records.length));
      await again.acknowledge!();
      const rest = await readUntil(task, 5 - again.records.length, again.position);
      expect(rest.batches.flatMap((b) => b.records.map((r) => r.key))).toEqual(
        ['L0', 'L1', 'L2', 'L3', 'L4'].slice(again.records.length),
      );
    } finally {
      await task.close();
    }
  });

  it('dead-letters tombstones when told to, for topics where a null value is not a deletion', async () => {
    const topic = 'agency.readings';
    await produce(topic, [
      { key: 'R1', value: JSON.stringify({ id: 'R1' }) },
      { key: 'R1', value: null },
    ]);
    const task = await createTask({ topic, group: 'gx-readings', tombstones: 'dead-letter' });
    try {
      const { batches } = await readUntil(task, 2);
      expect(batches.flatMap((b) => b.records)).toEqual([{ key: 'R1', value: { id: 'R1' } }]);
      expect(batches.flatMap((b) => b.deadLetters).map((d) => [d.key, d.reason])).toEqual([
        ['R1', '消息值为空（删除标记），本连接器不接受删除'],
      ]);
    } finally {
      await task.close();
    }
  });

  it('fails to start without the brokers secret, naming only the reference', async () => {
    await expect(
      kafkaTopicSource.create(
        { brokers: { secret: { env: 'AGENCY_KAFKA' } }, topic: 't', group: 'g' },
        sourceTestContext(['id'], {}),
      ),
    ).rejects.toThrow('找不到密钥: 环境变量 AGENCY_KAFKA 未设置');
  });
});
