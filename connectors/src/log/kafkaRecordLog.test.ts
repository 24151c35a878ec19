import Kafka from 'node-rdkafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaRecordLog, type KafkaRecordLogOptions } from './KafkaRecordLog.ts';
import { partitionForKey } from './partitionForKey.ts';
import { describeRecordLogContract } from './recordLog.contract.ts';
import {
  MOCK_CLUSTER_CONSUMER_SETTINGS,
  MOCK_CLUSTER_PARTITIONS,
  startKafkaMockCluster,
  type KafkaMockCluster,
} from './testing/kafkaMockCluster.ts';

/**
 * Short sessions: a killed worker's partitions move within seconds, and the mock cluster holds
 * a group that was just left in rebalance for the session timeout less one second before it
 * lets the next member in.
 */
function mockOptions(cluster: KafkaMockCluster): KafkaRecordLogOptions {
  return {
    brokers: cluster.brokers,
    topicCreation: 'auto',
    sessionTimeoutMs: 3_000,
    heartbeatIntervalMs: 300,
    maxPollIntervalMs: 30_000,
    consumerSettings: MOCK_CLUSTER_CONSUMER_SETTINGS,
  };
}

describeRecordLogContract('Kafka (librdkafka mock cluster)', async () => {
  const cluster = await startKafkaMockCluster(3);
  const options = mockOptions(cluster);
  return {
    partitions: MOCK_CLUSTER_PARTITIONS,
    worker: { transport: 'kafka', ...options },
    open: async () => new KafkaRecordLog(options),
    close: () => cluster.stop(),
  };
});

describe('Kafka record log and other Kafka clients', () => {
  let cluster: KafkaMockCluster;
  let log: KafkaRecordLog;

  beforeAll(async () => {
    cluster = await startKafkaMockCluster(3);
    log = new KafkaRecordLog(mockOptions(cluster));
  });

  afterAll(async () => {
    await log?.close();
    await cluster?.stop();
  });

  it("puts keys where librdkafka's own murmur2 partitioner (Kafka's default) puts them", async () => {
    await log.createStream('raw.partitioner', { partitions: MOCK_CLUSTER_PARTITIONS });
    const keys = Array.from({ length: 200 }, (_, i) => `330106${String(i).padStart(12, '0')}`);
    const ours = await log.produce(
      'raw.partitioner',
      keys.map((key) => ({ key, value: Buffer.from(key) })),
    );

    // a topic property: node-rdkafka applies it only from the topic configuration
    const producer = new Kafka.Producer(
      { 'bootstrap.servers': cluster.brokers, dr_cb: true },
      { partitioner: 'murmur2_random' },
    );
    await new Promise((resolve, reject) =>
      producer.connect({}, (error) => (error ? reject(error) : resolve(undefined))),
    );
    producer.setPollInterval(5);
    const theirs = new Map<string, number>();
    const delivered = new Promise<void>((resolve) =>
      producer.on('delivery-report', (_error, report) => {
        theirs.set(String(report.opaque), report.partition);
        if (theirs.size === keys.length) resolve();
      }),
    );
    // partition -1: librdkafka chooses with its partitioner
    for (const key of keys)
      producer.produce('raw.partitioner', -1, Buffer.from(key), key, null, key);
    await delivered;
    await new Promise((resolve) => producer.disconnect(resolve));

    keys.forEach((key, i) => {
      expect(theirs.get(key)).toBe(ours[i]!.partition);
      expect(ours[i]!.partition).toBe(partitionForKey(key, MOCK_CLUSTER_PARTITIONS));
    });
  });
});
