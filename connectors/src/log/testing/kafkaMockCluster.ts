/**
 * librdkafka's mock cluster, for tests only: a client created with `test.mock.num.brokers`
 * starts an in-process cluster of that many brokers speaking the Kafka protocol on loopback
 * ports (produce, idempotence, consumer groups, offset commits). Its addresses come from the
 * client's own metadata, and other clients — in this process or another — connect to them as
 * to any Kafka. It lives as long as the client that created it.
 *
 * Never use it as a broker outside tests: it keeps everything in memory and is not durable.
 * What tests must allow for:
 * - no CreateTopics: topics are auto-created with 4 partitions (`topicCreation: 'auto'`);
 * - retention: each partition keeps only its last 5 MB or 100 000 messages, older ones are
 *   dropped (a consumer further behind jumps ahead to the oldest kept offset);
 * - an empty fetch is held for the full `fetch.wait.max.ms` (`MOCK_CLUSTER_CONSUMER_SETTINGS`);
 * - a group's first join is answered after a 3 s initial rebalance delay, and a group a member
 *   just left stays in rebalance for the session timeout less 1 s before the next can join.
 */
import Kafka from 'node-rdkafka';

/** partitions the mock cluster gives an auto-created topic */
export const MOCK_CLUSTER_PARTITIONS = 4;

/**
 * Consumer settings for the mock cluster: it holds a fetch that finds no data for the whole
 * `fetch.wait.max.ms` (default 500) even when records arrive meanwhile, where a real broker
 * answers at once; a consumer that has caught up would idle that long between batches.
 */
export const MOCK_CLUSTER_CONSUMER_SETTINGS = { 'fetch.wait.max.ms': 10 };

export interface KafkaMockCluster {
  /** bootstrap servers for other clients */
  brokers: string;
  stop(): Promise<void>;
}

export async function startKafkaMockCluster(brokerCount = 3): Promise<KafkaMockCluster> {
  // a hidden librdkafka property, absent from node-rdkafka's typings
  const owner = new Kafka.Producer({
    'test.mock.num.brokers': brokerCount,
    'client.id': 'gx-kafka-mock-cluster',
  } as Kafka.ProducerGlobalConfig);
  const metadata = await new Promise<Kafka.Metadata>((resolve, reject) =>
    owner.connect({ timeout: 10_000 }, (error, data) => (error ? reject(error) : resolve(data))),
  ).then(
    () =>
      new Promise<Kafka.Metadata>((resolve, reject) =>
        owner.getMetadata({ timeout: 10_000 }, (error, data) =>
          error ? reject(error) : resolve(data),
        ),
      ),
  );
  if (metadata.brokers.length !== brokerCount) {
    throw new Error(`mock cluster reported ${metadata.brokers.length} brokers, not ${brokerCount}`);
  }
  return {
    brokers: metadata.brokers.map((b) => `${b.host}:${b.port}`).join(','),
    stop: () =>
      new Promise<void>((resolve) => {
        owner.disconnect(() => resolve());
      }),
  };
}
