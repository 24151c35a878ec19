/**
 * recordLogRaw: the raw record-log transports, produce + consume of 200 000 records of about
 * 1 KB (JSON), with no validation and no policy — the baseline the stream-pipeline benchmark
 * will be measured against (DESIGN §6: the pipeline must reach ≥ 50 % of this on the same
 * transport, and ≥ 20 000 records/s on PostgreSQL, ≥ 50 000 on Kafka).
 *
 * Per transport and round, each on a fresh 4-partition stream:
 * - produce: 4 producers each send batches of 1 000 records until all are stored;
 * - end to end: one consumer (joined before the clock starts) polls (≤ 2 000 per poll) and
 *   commits after every poll while the 4 producers send; the producers stay at most 8 000
 *   records ahead of the consumer's commits (librdkafka's mock cluster keeps only 5 MB per
 *   partition, so a consumer further behind would lose records; the bound holds for both
 *   transports). Figure = records ÷ time until the last record is committed.
 * Every record is checked to arrive exactly once (distinct partition/offset pairs).
 *
 * Transports: `PostgresRecordLog` on an embedded PostgreSQL 15 (fsync on, pool of 10) under
 * .data/bench/recordLogRaw; `KafkaRecordLog` against librdkafka's mock cluster (3 brokers)
 * in a child process — the only Kafka this machine has. The mock keeps everything in memory
 * and is no production broker: its figure is the client path (librdkafka, node-rdkafka, our
 * encoding), not what a real cluster would sustain.
 *
 * figure   = PostgreSQL log records/s end to end (median of rounds)
 * baseline = Kafka (mock cluster) records/s end to end (median)
 * ratio    = figure ÷ baseline
 * `RECORD_LOG_RECORDS=20000 npm run bench -- recordLogRaw` runs a smaller trial.
 */
import { fork } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { EmbeddedPostgres, runMigrations } from '@gx/platform';
import { freePort } from '@gx/platform/testing';
import {
  KafkaRecordLog,
  nextOffsets,
  PostgresRecordLog,
  type JsonValue,
  type ProduceRecord,
  type RecordLog,
} from '../../../connectors/src/log/index.ts';
import {
  MOCK_CLUSTER_CONSUMER_SETTINGS,
  startKafkaMockCluster,
} from '../../../connectors/src/log/testing/kafkaMockCluster.ts';
import { formatTable, median, reportResult, round, type BenchResult } from '../report.ts';

const NAME = 'recordLogRaw';
const RECORDS = Number(process.env.RECORD_LOG_RECORDS ?? 200_000);
const PARTITIONS = 4;
const BATCH = 1_000;
const PRODUCERS = 4;
const POLL_MAX = 2_000;
/** how far producers may run ahead of the committed records in the end-to-end phase */
const WINDOW = 8_000;
const ROUNDS = 3;
const POOL_MAX = 10;
/** DESIGN §6 pipeline bars, records/s: the raw transport must at least carry these */
const BARS = { postgres: 20_000, kafka: 50_000 } as const;

const thisFile = fileURLToPath(import.meta.url);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.join(repoRoot, '.data/bench/recordLogRaw');

type Transport = 'postgres' | 'kafka';

interface RoundResult {
  endToEndPerSecond: number;
  producePerSecond: number;
}

/** A directory entry's worth of fields, about 1 KB as JSON. */
function sampleValue(i: number): JsonValue {
  return {
    id_number: `33010619${String(900101 + (i % 9_000)).padStart(6, '0')}${String(i % 10_000).padStart(4, '0')}`,
    name: '张三丰',
    district: '西湖区',
    address: '浙江省杭州市西湖区文三路 90 号东部软件园 3 号楼 501 室',
    mobile: '13800138000',
    employer: '杭州市某某信息技术有限公司',
    insured_since: '2014-07-01',
    monthly_base: 8_712.5,
    status: 'active',
    remarks: 'x'.repeat(694),
    seq: i,
  };
}

const VALUES = Array.from({ length: BATCH }, (_, i) => sampleValue(i));
const VALUE_BYTES = Buffer.byteLength(JSON.stringify(VALUES[0]));

function batch(b: number): ProduceRecord[] {
  return VALUES.map((value, i) => ({ key: `r-${b}-${i}`, value }));
}

/** `PRODUCERS` loops sending batches of `BATCH` until `RECORDS`, each waiting for `ready()` */
async function produceAll(log: RecordLog, stream: string, ready: () => Promise<void>) {
  let nextBatch = 0;
  const batches = Math.ceil(RECORDS / BATCH);
  const producer = async () => {
    while (nextBatch < batches) {
      const b = nextBatch++;
      await ready();
      await log.produce(stream, batch(b).slice(0, Math.min(BATCH, RECORDS - b * BATCH)));
    }
  };
  await Promise.all(Array.from({ length: PRODUCERS }, producer));
}

async function produceOnly(log: RecordLog, stream: string): Promise<number> {
  const started = process.hrtime.bigint();
  await produceAll(log, stream, async () => undefined);
  return RECORDS / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function endToEnd(log: RecordLog, stream: string): Promise<number> {
  const consumer = await log.consumer({ group: `${stream}-e2e`, streams: [stream] });
  // join first: a Kafka group's first rebalance is not part of the transport's throughput
  while (consumer.assignment().length < PARTITIONS) await consumer.poll(1, { timeoutMs: 100 });
  const seen = new Set<string>();
  let sent = 0;
  let committed = 0;
  let waiting: (() => void)[] = [];
  const progressed = () => {
    const wake = waiting;
    waiting = [];
    for (const w of wake) w();
  };
  const ready = async () => {
    while (sent - committed >= WINDOW) await new Promise<void>((r) => waiting.push(r));
    sent += BATCH;
  };
  const started = process.hrtime.bigint();
  const producing = produceAll(log, stream, ready);
  let failed: unknown;
  producing.catch((error: unknown) => (failed = error));
  while (seen.size < RECORDS) {
    if (failed) throw failed;
    const records = await consumer.poll(POLL_MAX, { timeoutMs: 1_000 });
    for (const r of records) seen.add(`${r.partition}/${r.offset}`);
    if (records.length > 0) {
      await consumer.commit(nextOffsets(records));
      committed += records.length;
      progressed();
    }
  }
  const finished = process.hrtime.bigint();
  await producing;
  await consumer.close();
  if (seen.size !== RECORDS) throw new Error(`received ${seen.size} of ${RECORDS}`);
  return RECORDS / (Number(finished - started) / 1e9);
}

async function runRound(log: RecordLog, transport: Transport, r: number): Promise<RoundResult> {
  const name = `bench.${transport}.${r}.${process.pid}`;
  await log.createStream(`${name}.produce`, { partitions: PARTITIONS });
  await log.createStream(`${name}.e2e`, { partitions: PARTITIONS });
  const producePerSecond = await produceOnly(log, `${name}.produce`);
  return { producePerSecond, endToEndPerSecond: await endToEnd(log, `${name}.e2e`) };
}

/** The mock cluster in its own process, so that its broker threads are not ours. */
async function startMockClusterProcess(): Promise<{ brokers: string; stop(): void }> {
  const child = fork(thisFile, ['mock-cluster'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const brokers = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { brokers: string }) => resolve(m.brokers));
    child.once('exit', (code) => reject(new Error(`mock cluster process exited with ${code}`)));
  });
  return { brokers, stop: () => void child.kill('SIGTERM') };
}

async function mockClusterProcess(): Promise<void> {
  const cluster = await startKafkaMockCluster(3);
  process.send!({ brokers: cluster.brokers });
  const stop = () => void cluster.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');

async function main(): Promise<BenchResult> {
  const begun = Date.now();
  const loadBefore = os.loadavg()[0]!;
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: await freePort(),
    database: 'record_log_bench',
  });
  const url = await server.start();
  const pool = new pg.Pool({ connectionString: url, max: POOL_MAX });
  // idle connections see the server stop at the end: not an error of the run
  pool.on('error', () => undefined);
  const cluster = await startMockClusterProcess();
  const logs: Record<Transport, RecordLog> = {
    postgres: new PostgresRecordLog({ pool }),
    kafka: new KafkaRecordLog({
      brokers: cluster.brokers,
      topicCreation: 'auto',
      consumerSettings: MOCK_CLUSTER_CONSUMER_SETTINGS,
    }),
  };
  try {
    const client = await pool.connect();
    try {
      await runMigrations({ client });
    } finally {
      client.release();
    }
    const results: Record<Transport, RoundResult[]> = { postgres: [], kafka: [] };
    const rows: string[][] = [];
    for (let r = 1; r <= ROUNDS; r += 1) {
      for (const transport of ['postgres', 'kafka'] as const) {
        const result = await runRound(logs[transport], transport, r);
        results[transport].push(result);
        rows.push([
          String(r),
          transport,
          fmt(result.endToEndPerSecond),
          fmt(result.producePerSecond),
        ]);
        process.stdout.write(
          `round ${r} ${transport}: ${fmt(result.endToEndPerSecond)} records/s end to end\n`,
        );
      }
    }
    const med = (t: Transport, k: keyof RoundResult) => median(results[t].map((x) => x[k]));
    const summary = (['postgres', 'kafka'] as const).map((t) => ({
      transport: t,
      endToEnd: med(t, 'endToEndPerSecond'),
      produce: med(t, 'producePerSecond'),
      bar: BARS[t],
    }));
    process.stdout.write(
      `\n${NAME}: ${RECORDS} records of ${VALUE_BYTES} bytes (JSON), ${PARTITIONS} partitions, ` +
        `${PRODUCERS} producers × batches of ${BATCH}, one consumer polling ≤ ${POLL_MAX} and ` +
        `committing after each poll, producers ≤ ${WINDOW} records ahead; ${ROUNDS} rounds ` +
        `(${os.availableParallelism()} cores, ` +
        `Node ${process.version})\n\n`,
    );
    process.stdout.write(
      formatTable(['round', 'transport', 'end to end/s', 'produce only/s'], rows),
    );
    process.stdout.write('\nmedians\n');
    process.stdout.write(
      formatTable(
        ['transport', 'end to end/s', 'produce only/s', 'pipeline bar/s', 'raw ≥ bar'],
        summary.map((s) => [
          s.transport,
          fmt(s.endToEnd),
          fmt(s.produce),
          fmt(s.bar),
          s.endToEnd >= s.bar ? 'yes' : 'NO',
        ]),
      ),
    );
    const [pgSummary, kafkaSummary] = summary as [(typeof summary)[0], (typeof summary)[0]];
    process.stdout.write(
      `\nload average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after; ` +
        `took ${((Date.now() - begun) / 1000).toFixed(1)} s\n\n`,
    );
    return {
      name: NAME,
      figure: round(pgSummary.endToEnd, 0),
      baseline: round(kafkaSummary.endToEnd, 0),
      ratio: round(pgSummary.endToEnd / kafkaSummary.endToEnd, 3),
      unit: 'records/s end to end (PostgreSQL log ÷ Kafka mock cluster)',
      details: {
        transports: Object.fromEntries(
          summary.map((s) => [
            s.transport,
            {
              endToEndPerSecond: round(s.endToEnd, 0),
              producePerSecond: round(s.produce, 0),
              pipelineBarPerSecond: s.bar,
              carriesPipelineBar: s.endToEnd >= s.bar,
              rounds: results[s.transport].map((x) => round(x.endToEndPerSecond, 0)),
            },
          ]),
        ),
        records: RECORDS,
        valueBytes: VALUE_BYTES,
        partitions: PARTITIONS,
        producers: PRODUCERS,
        batch: BATCH,
        pollMax: POLL_MAX,
        window: WINDOW,
        poolMax: POOL_MAX,
        kafka: 'librdkafka mock cluster, 3 brokers, separate process',
        withinBar: summary.every((s) => s.endToEnd >= s.bar),
        cores: os.availableParallelism(),
        node: process.version,
        loadAverage: { before: round(loadBefore, 2), after: round(os.loadavg()[0]!, 2) },
      },
    };
  } finally {
    await Promise.allSettled([logs.postgres.close(), logs.kafka.close()]);
    cluster.stop();
    await pool.end();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'mock-cluster') {
  mockClusterProcess().catch((error: unknown) => {
    process.stderr.write(`mock cluster failed: ${String(error)}\n`);
    process.exit(1);
  });
} else {
  main().then(
    (result) => {
      reportResult(result);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(
        `${NAME} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
