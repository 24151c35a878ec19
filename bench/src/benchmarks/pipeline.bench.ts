/**
 * pipeline: the stream pipeline end to end (DESIGN §6) against the raw record-log transport it
 * runs on, in the same run, with the same ~1 KB records.
 *
 * Pipeline (per transport): a table of N rows (11 columns, ~1 KB as JSON) in 公安局's own
 * database → `postgres-table` source connector → the resource's raw stream → enforcement
 * (record-schema validation, hosted-store upsert, the grant's compiled policy with a mask on
 * `mobile` and a row filter that keeps every row, an evidence entry per batch for the store and
 * one for the delivery) → the grant's delivery stream → `postgres-upsert` sink connector → a
 * table in 人社局's database. The resource is published through the catalog's use-cases and
 * the grant made through the exchange's (request by hz-rsj's system, approval by hz-gaj's
 * approver); the connectors through the management use-case. Worker(s): `ConnectWorker` in
 * this process. Figure = N ÷ seconds from the worker's start until the sink holds N rows
 * (checked with count(*); the hosted store, the masks and the evidence are checked too).
 *
 * Baseline (per transport, same run): produce + consume of N records of the same shape on a
 * fresh 4-partition stream — 4 producers sending batches of 1 000, one consumer polling ≤ 2 000
 * and committing after every poll, producers at most 8 000 records ahead of the commits (as in
 * recordLogRaw, whose bound exists for librdkafka's mock cluster; it holds for both).
 *
 * Transports: the PostgreSQL log on an embedded PostgreSQL (fsync on) under
 * .data/bench/pipeline; Kafka = librdkafka's mock cluster (3 brokers) in a child process. The
 * mock keeps only the last 5 MB of a partition, so on Kafka the pipeline's producers are held
 * to a window of records produced and not yet committed per stream (`KAFKA_WINDOWS`), which a
 * real cluster would not need.
 *
 * Also reported, not the bar's baseline: the same records through two raw log hops (producers →
 * stream → a relay that produces each record unchanged to a second stream → consumer), the two
 * hops the pipeline makes with nothing else; PIPELINE_RAW_TWO_HOPS=0 skips it.
 *
 * figure   = pipeline records/s on the PostgreSQL log
 * baseline = raw produce + consume records/s on the PostgreSQL log
 * ratio    = figure ÷ baseline (bar: ≥ 0.5, and figure ≥ 20 000; Kafka: ≥ 0.5 and ≥ 50 000)
 *
 * Settings from the environment (benchmark only): PIPELINE_RECORDS (default 1 000 000),
 * PIPELINE_KAFKA_RECORDS (default: PIPELINE_RECORDS), PIPELINE_TRANSPORTS (`postgres,kafka`),
 * PIPELINE_WORKERS (1), PIPELINE_SOURCE_BATCH / PIPELINE_ENFORCEMENT_BATCH /
 * PIPELINE_SINK_BATCH (connector `batchSize`s and the worker's `enforcementBatchSize`, 2 000
 * each). For profiling: PIPELINE_CPU_PROFILE=<file> writes a V8 CPU profile of the first
 * pipeline run; PIPELINE_PG_STATEMENTS=1 loads pg_stat_statements and prints each pipeline's
 * most expensive statements; PIPELINE_PG_SETTINGS=name=value,… sets PostgreSQL settings first.
 *
 * Besides the figures it prints where the time goes: wall time inside each stage's calls
 * (pipelineProbes.ts), CPU seconds of this process, of PostgreSQL (per database: source,
 * sink, platform) and of the mock cluster, against the raw baseline's CPU per record.
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { approveResource, createResource, submitResource } from '@gx/catalog';
import {
  ConnectWorker,
  createSecretResolver,
  KafkaRecordLog,
  nextOffsets,
  PLUGINS,
  PostgresRecordLog,
  type JsonValue,
  type ProduceRecord,
  type RecordLog,
} from '@gx/connectors';
import { EvidenceLog, type EvidenceInput } from '@gx/exchange-api';
import {
  createDatabase,
  createLogger,
  EmbeddedPostgres,
  runMigrations,
  seedDemo,
  type Actor,
} from '@gx/platform';
import { freePort } from '@gx/platform/testing';
import { createConfigValidator } from '../../../connectors/src/management/createConfigValidator.ts';
import { createConnector } from '../../../connectors/src/management/createConnector.ts';
import {
  MOCK_CLUSTER_CONSUMER_SETTINGS,
  startKafkaMockCluster,
} from '../../../connectors/src/log/testing/kafkaMockCluster.ts';
import { createSharingRequest } from '../../../exchange-api/src/domain/sharing/createSharingRequest.ts';
import { approveSharingRequest } from '../../../exchange-api/src/domain/sharing/decideSharingRequest.ts';
import { formatTable, reportResult, round, type BenchResult } from '../report.ts';
import {
  PostgresCpuSampler,
  postgresCpuSeconds,
  probedPlugins,
  probePool,
  ProbedRecordLog,
  StreamWindows,
  processCpuSeconds,
  StageTimes,
} from './pipelineProbes.ts';

const NAME = 'pipeline';
type Transport = 'postgres' | 'kafka';

const env = process.env;
const RECORDS = Number(env.PIPELINE_RECORDS ?? 1_000_000);
const COUNTS: Record<Transport, number> = {
  postgres: RECORDS,
  kafka: Number(env.PIPELINE_KAFKA_RECORDS ?? RECORDS),
};
const TRANSPORTS = (env.PIPELINE_TRANSPORTS ?? 'postgres,kafka')
  .split(',')
  .map((t) => t.trim()) as Transport[];
const WORKERS = Number(env.PIPELINE_WORKERS ?? 1);
const SOURCE_BATCH = Number(env.PIPELINE_SOURCE_BATCH ?? 2_000);
const ENFORCEMENT_BATCH = Number(env.PIPELINE_ENFORCEMENT_BATCH ?? 2_000);
const SINK_BATCH = Number(env.PIPELINE_SINK_BATCH ?? 2_000);
/** write a V8 CPU profile of this process during the (first) pipeline run to this file */
const CPU_PROFILE = env.PIPELINE_CPU_PROFILE;
/** load pg_stat_statements and print the statements that took the most time in each pipeline */
const PG_STATEMENTS = env.PIPELINE_PG_STATEMENTS === '1';
/**
 * PostgreSQL settings for the run (`name=value,…`, e.g. `max_wal_size=8GB`), set with ALTER
 * SYSTEM before a restart; none by default (the embedded server's own settings)
 */
const PG_SETTINGS = (env.PIPELINE_PG_SETTINGS ?? '')
  .split(',')
  .filter((pair) => pair.includes('='))
  .map((pair) => {
    const [name, value] = pair.split('=', 2) as [string, string];
    if (!/^[a-z_]+$/.test(name)) throw new Error(`PIPELINE_PG_SETTINGS: bad name ${name}`);
    return [name, value] as const;
  });
/** on the mock cluster: records produced and not yet committed, per stream (≈ 3.5 MB a partition) */
const KAFKA_WINDOWS = { raw: 12_000, delivery: 12_000 };
/** DESIGN §6: records/s on 2 cores, and the share of the raw transport's rate */
const BARS: Record<Transport, number> = { postgres: 20_000, kafka: 50_000 };
const RATIO_BAR = 0.5;
/** also measure two raw hops (PIPELINE_RAW_TWO_HOPS=0 skips it) */
const RAW_TWO_HOPS = env.PIPELINE_RAW_TWO_HOPS !== '0';

// the raw baseline, as recordLogRaw runs it
const PARTITIONS = 4;
const BATCH = 1_000;
const PRODUCERS = 4;
const POLL_MAX = 2_000;
const WINDOW = 8_000;

/** a pipeline that delivers nothing new for this long has failed */
const STALL_MS = 120_000;
const PURPOSE = 'SOCIAL_SECURITY';

const thisFile = fileURLToPath(import.meta.url);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.join(repoRoot, '.data/bench/pipeline');

const DISTRICTS = ['西湖区', '上城区', '拱墅区', '滨江区'];
const ADDRESS = '浙江省杭州市西湖区文三路 90 号东部软件园 3 号楼 501 室';
const EMPLOYER = '杭州市某某信息技术有限公司';
const REMARKS_LENGTH = 694;

/** One insured person as the source row becomes a record (~1 KB as JSON): recordLogRaw's shape. */
function personValue(i: number): { [field: string]: JsonValue } {
  return {
    id_number: `330106${String(i).padStart(12, '0')}`,
    name: '张三丰',
    district: DISTRICTS[i % DISTRICTS.length]!,
    address: ADDRESS,
    mobile: `138${String(i % 100_000_000).padStart(8, '0')}`,
    employer: EMPLOYER,
    insured_since: '2014-07-01',
    monthly_base: 8_712.5,
    status: 'active',
    remarks: 'x'.repeat(REMARKS_LENGTH),
    seq: i,
  };
}
const VALUE_BYTES = Buffer.byteLength(JSON.stringify(personValue(1)));
const COLUMNS = Object.keys(personValue(1));

const ITEMS = [
  {
    name: 'id_number',
    label: '公民身份号码',
    dataType: 'string',
    maxLength: 18,
    isKey: true,
    isPersonal: true,
    dataGrade: 'important',
  },
  { name: 'name', label: '姓名', dataType: 'string', isRequired: true, isPersonal: true },
  { name: 'district', label: '所属区县', dataType: 'string' },
  { name: 'address', label: '居住地址', dataType: 'string', isPersonal: true },
  { name: 'mobile', label: '手机号码', dataType: 'string', isPersonal: true },
  { name: 'employer', label: '参保单位', dataType: 'string' },
  { name: 'insured_since', label: '参保日期', dataType: 'date' },
  { name: 'monthly_base', label: '月缴费基数', dataType: 'number', unit: '元' },
  { name: 'status', label: '参保状态', dataType: 'string' },
  { name: 'remarks', label: '备注', dataType: 'string' },
  { name: 'seq', label: '序号', dataType: 'integer' },
];

const user = (departmentCode: string, role: 'steward' | 'approver'): Actor => ({
  kind: 'user',
  subject: `bench-${departmentCode}-${role}`,
  username: `${departmentCode}.${role}`,
  departmentCode,
  regionCode: '330100000000',
  roles: [role],
});
const rsjSystem: Actor = {
  kind: 'system',
  subject: 'bench-hz-rsj-system',
  username: 'hz-rsj-system',
  departmentCode: 'hz-rsj',
  regionCode: '330100000000',
  roles: ['system'],
  clientId: 'hz-rsj-system',
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');
const secondsSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;
const say = (text: string) => process.stdout.write(`${text}\n`);
const quiet = createLogger({ service: 'bench-pipeline', level: 'warn' });

// ------------------------------------------------------------------------------------ setup

interface Published {
  resourceCode: string;
  resourceId: string;
  grantId: string;
}

/**
 * The template database every transport's run is cloned from: migrated, the demo organisation,
 * hz-gaj's published resource of insured people (11 items) and hz-rsj's active grant on it with
 * `subscription` delivery, a mask on `mobile` and a row filter that keeps every row.
 */
async function prepareTemplate(url: string): Promise<Published> {
  const db = createDatabase({ url, max: 4 });
  try {
    const client = await db.pool.connect();
    try {
      await runMigrations({ client });
    } finally {
      client.release();
    }
    await seedDemo(db.pool);
    if (PG_STATEMENTS) await db.pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const steward = user('hz-gaj', 'steward');
    const { code } = await createResource({
      prisma: db.prisma,
      actor: steward,
      input: {
        name: '参保人员登记信息（基准测试）',
        abstract: '本市社会保险参保人员的登记信息与联系方式',
        themeCode: 'population',
        format: 'database',
        sharingType: 'conditional',
        sharingConditions: '仅限依法履职所需',
        sharingMethods: ['api', 'file'],
        openType: 'none',
        updateCycle: 'daily',
        items: ITEMS,
      },
    });
    await submitResource({ prisma: db.prisma, actor: steward, code });
    await approveResource({ prisma: db.prisma, actor: user('hz-dsj', 'approver'), code });
    const evidence = new EvidenceLog({ pool: db.pool, logger: quiet });
    const request = await createSharingRequest({
      prisma: db.prisma,
      evidence,
      actor: rsjSystem,
      decisionDays: 5,
      input: {
        resourceCode: code,
        fields: COLUMNS,
        purposeCodes: [PURPOSE],
        purposeText: '社会保险待遇资格认证，同步参保人员登记信息',
        legalBasisText: '《社会保险法》第八条',
        deliveryModes: ['subscription'],
      },
    });
    const approved = await approveSharingRequest({
      prisma: db.prisma,
      evidence,
      actor: user('hz-gaj', 'approver'),
      id: request.id,
      terms: {
        masks: { mobile: { kind: 'keep_first_last', first: 3, last: 4 } },
        rowFilter: { field: 'status', op: '=', value: 'active' },
        comment: '同意按订阅方式同步',
      },
    });
    const { rows } = await db.pool.query<{ id: string; status: string }>(
      'SELECT id, status FROM resources WHERE code = $1',
      [code],
    );
    if (rows[0]?.status !== 'published' || !approved.grantId)
      throw new Error(`resource ${code} is ${rows[0]?.status}, grant ${approved.grantId}`);
    return { resourceCode: code, resourceId: rows[0].id, grantId: approved.grantId };
  } finally {
    await db.close();
  }
}

/** 公安局's table of `count` people, indexed for the source's keyset reads, vacuumed. */
async function prepareSourceTable(pool: pg.Pool, count: number): Promise<string> {
  const table = `people_${count}`;
  const started = process.hrtime.bigint();
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.query(`CREATE TABLE ${table} (
    id_number text PRIMARY KEY, name text NOT NULL, district text, address text, mobile text,
    employer text, insured_since date, monthly_base numeric(12, 2), status text, remarks text,
    seq integer, updated_at timestamptz NOT NULL)`);
  // the same values as personValue(i); distinct update times, as rows written one by one
  await pool.query(
    `INSERT INTO ${table}
     SELECT '330106' || lpad(i::text, 12, '0'), '张三丰', ($2::text[])[i % 4 + 1], $3,
            '138' || lpad((i % 100000000)::text, 8, '0'), $4, date '2014-07-01', 8712.50,
            'active', repeat('x', $5), i,
            timestamptz '2026-01-01' + i * interval '1 millisecond'
       FROM generate_series(1, $1::int) AS i`,
    [count, DISTRICTS, ADDRESS, EMPLOYER, REMARKS_LENGTH],
  );
  // what an agency table read incrementally has: an index on (update time, key)
  await pool.query(`CREATE INDEX ON ${table} (updated_at, id_number)`);
  await pool.query(`VACUUM ANALYZE ${table}`);
  say(`source table ${table}: ${fmt(count)} rows in ${secondsSince(started).toFixed(1)} s`);
  return table;
}

// --------------------------------------------------------------------------- raw baseline

/**
 * produce + consume of `count` records (recordLogRaw's end-to-end phase), records/s. With
 * `hops: 2` a relay between producer and consumer reads every record from the stream and
 * produces it, unchanged, to a second stream, committing after each produce: the pipeline's two
 * log hops with nothing else (no source table, no validation, store, policy, evidence or sink),
 * reported beside the bar's one-hop baseline to show what the log itself costs the pipeline.
 */
async function rawEndToEnd(
  log: RecordLog,
  stream: string,
  count: number,
  hops: 1 | 2 = 1,
): Promise<number> {
  const last = hops === 2 ? `${stream}.hop2` : stream;
  await log.createStream(stream, { partitions: PARTITIONS });
  if (hops === 2) await log.createStream(last, { partitions: PARTITIONS });
  const values = Array.from({ length: BATCH }, (_, i) => personValue(i + 1));
  const joined = async (from: string) => {
    const consumer = await log.consumer({ group: `${from}-e2e`, streams: [from] });
    // join first: a Kafka group's first rebalance is not part of the transport's throughput
    while (consumer.assignment().length < PARTITIONS) await consumer.poll(1, { timeoutMs: 100 });
    return consumer;
  };
  const consumer = await joined(last);
  const relayConsumer = hops === 2 ? await joined(stream) : undefined;
  const seen = new Set<string>();
  let sent = 0;
  let committed = 0;
  let waiting: (() => void)[] = [];
  const batches = Math.ceil(count / BATCH);
  let nextBatch = 0;
  let relayed = 0;
  const producer = async () => {
    while (nextBatch < batches) {
      const b = nextBatch++;
      while (sent - committed >= WINDOW) await new Promise<void>((r) => waiting.push(r));
      sent += BATCH;
      const size = Math.min(BATCH, count - b * BATCH);
      const records: ProduceRecord[] = values
        .slice(0, size)
        .map((value, i) => ({ key: `330106${String(b * BATCH + i).padStart(12, '0')}`, value }));
      await log.produce(stream, records);
    }
  };
  const relay = async () => {
    while (relayConsumer && relayed < count) {
      const records = await relayConsumer.poll(POLL_MAX, { timeoutMs: 1_000 });
      if (records.length === 0) continue;
      await log.produce(
        last,
        records.map((r) => ({ key: r.key, value: r.value })),
      );
      await relayConsumer.commit(nextOffsets(records));
      relayed += records.length;
    }
  };
  const started = process.hrtime.bigint();
  const producing = Promise.all([...Array.from({ length: PRODUCERS }, producer), relay()]);
  let failed: unknown;
  producing.catch((error: unknown) => (failed = error));
  while (seen.size < count) {
    if (failed) throw failed;
    const records = await consumer.poll(POLL_MAX, { timeoutMs: 1_000 });
    for (const r of records) seen.add(`${r.partition}/${r.offset}`);
    if (records.length > 0) {
      await consumer.commit(nextOffsets(records));
      committed += records.length;
      const wake = waiting;
      waiting = [];
      for (const w of wake) w();
    }
  }
  const seconds = secondsSince(started);
  await producing;
  await consumer.close();
  await relayConsumer?.close();
  if (seen.size !== count) throw new Error(`received ${seen.size} of ${count}`);
  return count / seconds;
}

// ------------------------------------------------------------------------------- pipeline

interface CpuSnapshot {
  node: number;
  postgres: number;
  mock: number;
}

interface PipelineResult {
  seconds: number;
  /** PostgreSQL's CPU seconds by what spent them (source, sink, platform database, autovacuum…) */
  postgresByDatabase: Record<string, number>;
  statements?: { query: string; calls: number; ms: number; rows: number }[];
  perSecond: number;
  firstDeliverySeconds: number;
  cpu: CpuSnapshot;
  stages: { stage: string; calls: number; records: number; seconds: number }[];
  windows?: Record<string, unknown>;
  checks: Record<string, unknown>;
}

interface RunContext {
  server: EmbeddedPostgres;
  published: Published;
  sourceUrl: string;
  sinkUrl: string;
  sourceTable: string;
  /** clock ticks per second, for /proc CPU times */
  ticks: number;
  mockPid?: number;
  brokers?: string;
}

function cpuNow(context: RunContext): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    node: (usage.user + usage.system) / 1e6,
    postgres: postgresCpuSeconds(context.server.pid!, context.ticks),
    mock: context.mockPid ? processCpuSeconds(context.mockPid, context.ticks) : 0,
  };
}

const cpuSince = (context: RunContext, before: CpuSnapshot): CpuSnapshot => {
  const now = cpuNow(context);
  return {
    node: now.node - before.node,
    postgres: now.postgres - before.postgres,
    mock: now.mock - before.mock,
  };
};

function recordLogFor(transport: Transport, pool: pg.Pool, context: RunContext): RecordLog {
  return transport === 'postgres'
    ? new PostgresRecordLog({ pool })
    : new KafkaRecordLog({
        brokers: context.brokers!,
        topicCreation: 'auto',
        consumerSettings: MOCK_CLUSTER_CONSUMER_SETTINGS,
      });
}

async function runPipeline(
  transport: Transport,
  count: number,
  platformUrl: string,
  context: RunContext,
): Promise<PipelineResult> {
  const { published } = context;
  const sinkTable = `people_${transport}`;
  const sinkPool = new pg.Pool({ connectionString: context.sinkUrl, max: 2 });
  sinkPool.on('error', () => undefined);
  await sinkPool.query(`DROP TABLE IF EXISTS ${sinkTable}`);
  await sinkPool.query(`CREATE TABLE ${sinkTable} (
    id_number text PRIMARY KEY, name text NOT NULL, district text, address text, mobile text,
    employer text, insured_since date, monthly_base numeric(12, 2), status text, remarks text,
    seq integer)`);

  const control = new pg.Pool({ connectionString: platformUrl, max: 2 });
  control.on('error', () => undefined);
  const stages = new StageTimes();
  const pools: pg.Pool[] = [];
  const logs: ProbedRecordLog[] = [];
  const workers: ConnectWorker[] = [];
  const counted = { out: 0, in: 0, dead: 0, errors: 0 };
  let delivered: () => void = () => undefined;
  let firstDelivery: bigint | undefined;
  const done = new Promise<void>((resolve) => (delivered = resolve));
  try {
    const managementLog = recordLogFor(transport, control, context);
    const management = {
      pool: control,
      recordLog: managementLog,
      plugins: PLUGINS,
      validator: createConfigValidator(PLUGINS),
      secrets: createSecretResolver(),
      logger: quiet,
    };
    await createConnector({
      context: management,
      actor: user('hz-gaj', 'steward'),
      name: 'bench-people-in',
      config: {
        type: 'postgres-table',
        department: 'hz-gaj',
        resource: published.resourceCode,
        batchSize: SOURCE_BATCH,
        pollIntervalMs: 200,
        options: {
          connection: { secret: { env: 'GAJ_DB_URL' } },
          table: context.sourceTable,
          updatedAtColumn: 'updated_at',
          keyColumns: ['id_number'],
          columns: Object.fromEntries(COLUMNS.map((c) => [c, c])),
          lagMs: 0,
        },
      },
    });
    await createConnector({
      context: management,
      actor: user('hz-rsj', 'steward'),
      name: 'bench-people-out',
      config: {
        type: 'postgres-upsert',
        department: 'hz-rsj',
        grant: published.grantId,
        batchSize: SINK_BATCH,
        options: {
          connection: { secret: { env: 'RSJ_DB_URL' } },
          table: sinkTable,
          keyColumns: ['id_number'],
        },
      },
    });
    await managementLog.close();

    const secrets = createSecretResolver({
      GAJ_DB_URL: `${context.sourceUrl}`,
      RSJ_DB_URL: `${context.sinkUrl}`,
    });
    const plugins = probedPlugins(PLUGINS, stages);
    const windows = new StreamWindows(transport === 'kafka' ? KAFKA_WINDOWS : {});
    for (let w = 0; w < WORKERS; w += 1) {
      // one pool per worker, as a worker process has (connectWorkerProcess: 8)
      const pool = new pg.Pool({ connectionString: platformUrl, max: 8 });
      pool.on('error', () => undefined);
      probePool(pool, stages, {
        'WITH stored AS': 'enforce: hosted-store upsert',
        'INSERT INTO connector_source_positions': 'source: store position',
      });
      pools.push(pool);
      const log = new ProbedRecordLog(recordLogFor(transport, pool, context), stages, windows);
      logs.push(log);
      const evidence = new EvidenceLog({ pool, logger: quiet });
      workers.push(
        new ConnectWorker({
          pool,
          log,
          plugins,
          secrets,
          logger: quiet,
          evidence: {
            append: (input: EvidenceInput) =>
              stages.time(`enforce: evidence ${input.operation}`, () => evidence.append(input)),
          },
          enforcementBatchSize: ENFORCEMENT_BATCH,
          counters: {
            recordsIn: (_c, n) => (counted.in += n),
            recordsOut: (_c, n) => {
              firstDelivery ??= process.hrtime.bigint();
              counted.out += n;
              if (counted.out >= count) delivered();
            },
            deadLetters: (_c, n) => (counted.dead += n),
            error: () => (counted.errors += 1),
          },
        }),
      );
    }

    if (PG_STATEMENTS) await control.query('SELECT pg_stat_statements_reset()');
    const profiler = CPU_PROFILE && !profiled ? await startProfiler() : undefined;
    profiled ||= profiler !== undefined;
    const sampler = new PostgresCpuSampler(context.server.pid!, context.ticks, {
      gaj: 'source database (公安局)',
      rsj: 'sink database (人社局)',
      [new URL(platformUrl).pathname.slice(1)]: 'platform database (log, store, evidence)',
    });
    const cpuBefore = cpuNow(context);
    const started = process.hrtime.bigint();
    let finished = started;
    let cpu: CpuSnapshot | undefined;
    let postgresByDatabase: Record<string, number> = {};
    await Promise.all(workers.map((w) => w.start()));
    let lastOut = 0;
    let lastChange = Date.now();
    const progress = setInterval(() => {
      const seconds = secondsSince(started);
      say(
        `  ${transport} ${seconds.toFixed(0)} s: source ${fmt(counted.in)}, sink ${fmt(counted.out)}` +
          ` (${fmt(counted.out / seconds)}/s)${counted.errors ? `, ${counted.errors} task errors` : ''}`,
      );
      if (counted.out !== lastOut) {
        lastOut = counted.out;
        lastChange = Date.now();
      }
    }, 10_000);
    const stalled = new Promise<never>((_, reject) => {
      const check = setInterval(() => {
        if (Date.now() - lastChange > STALL_MS) {
          clearInterval(check);
          reject(
            new Error(
              `pipeline stalled at ${counted.out} of ${count} delivered (source ${counted.in}, ` +
                `dead letters ${counted.dead}, task errors ${counted.errors})`,
            ),
          );
        }
      }, 1_000);
      void done.then(() => clearInterval(check));
    });
    try {
      await Promise.race([done, stalled]);
      finished = process.hrtime.bigint();
      cpu = cpuSince(context, cpuBefore);
      postgresByDatabase = sampler.stop();
      // the counter counts rewrites too (a redelivered batch): the table has the last word;
      // when it is short, the run ends when it is complete
      for (let complete = false; ;) {
        const { rows } = await sinkPool.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${sinkTable}`,
        );
        if (Number(rows[0]!.n) >= count) break;
        if (!complete) say(`  ${transport}: sink holds ${rows[0]!.n} rows; waiting for ${count}`);
        complete = true;
        if (Date.now() - lastChange > STALL_MS)
          throw new Error(`sink holds ${rows[0]!.n} of ${count}`);
        await new Promise((r) => setTimeout(r, 200));
        finished = process.hrtime.bigint();
        cpu = cpuSince(context, cpuBefore);
      }
    } finally {
      clearInterval(progress);
      sampler.stop();
    }
    const seconds = Number(finished - started) / 1e9;
    if (profiler) await profiler.stop(CPU_PROFILE!);
    const statements = PG_STATEMENTS ? await topStatements(control) : undefined;
    await Promise.all(workers.map((w) => w.stop()));

    const checks = await checkOutcome(control, sinkPool, sinkTable, count, published);
    if (counted.dead > 0) throw new Error(`${counted.dead} dead letters`);
    return {
      seconds,
      perSecond: count / seconds,
      firstDeliverySeconds: firstDelivery ? Number(firstDelivery - started) / 1e9 : Number.NaN,
      cpu: cpu!,
      postgresByDatabase,
      statements,
      stages: [...stages.totals].map(([stage, t]) => ({
        stage,
        calls: t.calls,
        records: t.records,
        seconds: Number(t.ns) / 1e9,
      })),
      windows: transport === 'kafka' ? windows.use() : undefined,
      checks: { ...checks, taskErrors: counted.errors, sourceRecords: counted.in },
    };
  } finally {
    await Promise.allSettled(workers.map((w) => w.stop()));
    await Promise.allSettled(logs.map((l) => l.close()));
    await Promise.allSettled(pools.map((p) => p.end()));
    await sinkPool.query(`DROP TABLE IF EXISTS ${sinkTable}`).catch(() => undefined);
    await Promise.allSettled([sinkPool.end(), control.end()]);
  }
}

let profiled = false;

/** The V8 profiler of this process, through the inspector. */
async function startProfiler() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
      say(`CPU profile of the pipeline run written to ${file}`);
    },
  };
}

async function topStatements(pool: pg.Pool) {
  const { rows } = await pool.query<{ query: string; calls: string; ms: number; rows: string }>(
    `SELECT regexp_replace(left(query, 90), '\\s+', ' ', 'g') AS query, calls,
            round(total_exec_time)::float8 AS ms, rows
       FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`,
  );
  return rows.map((r) => ({
    query: r.query,
    calls: Number(r.calls),
    ms: r.ms,
    rows: Number(r.rows),
  }));
}

/** What a user would check: every row arrived masked, the store and the evidence are complete. */
async function checkOutcome(
  platform: pg.Pool,
  sink: pg.Pool,
  sinkTable: string,
  count: number,
  published: Published,
): Promise<Record<string, unknown>> {
  const sample = personValue(count);
  const { rows: sunk } = await sink.query<Record<string, unknown>>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE mobile ~ '^[0-9]{3}[*]+[0-9]{4}$')::int AS masked,
            (SELECT mobile FROM ${sinkTable} WHERE id_number = $1) AS sample_mobile,
            (SELECT length(remarks) FROM ${sinkTable} WHERE id_number = $1) AS sample_remarks
       FROM ${sinkTable}`,
    [sample.id_number],
  );
  const row = sunk[0]!;
  if (row.n !== count || row.masked !== count)
    throw new Error(`sink: ${row.n} rows, ${row.masked} masked, of ${count}`);
  const mobile = String(sample.mobile);
  if (row.sample_mobile !== `${mobile.slice(0, 3)}****${mobile.slice(-4)}`)
    throw new Error(`sink: mobile ${String(row.sample_mobile)} is not ${mobile} masked`);
  if (row.sample_remarks !== REMARKS_LENGTH) throw new Error('sink: remarks not delivered whole');
  const { rows: stored } = await platform.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM records WHERE resource_id = $1',
    [published.resourceId],
  );
  if (stored[0]!.n !== count) throw new Error(`hosted store: ${stored[0]!.n} of ${count}`);
  const { rows: evidence } = await platform.query<{
    operation: string;
    n: string;
    entries: string;
  }>(
    `SELECT operation, sum(record_count) AS n, count(*) AS entries FROM evidence_entries
      WHERE resource_code = $1 AND actor_kind = 'connector' GROUP BY operation`,
    [published.resourceCode],
  );
  const byOperation = Object.fromEntries(
    evidence.map((e) => [e.operation, { records: Number(e.n), entries: Number(e.entries) }]),
  );
  for (const operation of ['ingest', 'subscription-delivery']) {
    if ((byOperation[operation]?.records ?? 0) < count)
      throw new Error(
        `evidence: ${operation} covers ${byOperation[operation]?.records ?? 0} of ${count}`,
      );
  }
  return {
    sinkRows: row.n,
    maskedRows: row.masked,
    storedRecords: stored[0]!.n,
    evidence: byOperation,
  };
}

// ----------------------------------------------------------------------------- mock Kafka

/** The mock cluster in its own process, so that its broker threads are not ours. */
async function startMockClusterProcess(): Promise<{ brokers: string; pid: number; stop(): void }> {
  const child = fork(thisFile, ['mock-cluster'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const brokers = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { brokers: string }) => resolve(m.brokers));
    child.once('exit', (code) => reject(new Error(`mock cluster process exited with ${code}`)));
  });
  return { brokers, pid: child.pid!, stop: () => void child.kill('SIGTERM') };
}

async function mockClusterProcess(): Promise<void> {
  const cluster = await startKafkaMockCluster(3);
  process.send!({ brokers: cluster.brokers });
  const stop = () => void cluster.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
}

// ---------------------------------------------------------------------------------- main

interface RawResult {
  perSecond: number;
  cpu: CpuSnapshot;
  seconds: number;
}

interface TransportResult {
  records: number;
  raw: RawResult;
  /** the same records through two log hops (a relay between), not the bar's baseline */
  rawTwoHops?: RawResult;
  pipeline: PipelineResult;
}

let cleanup: (() => Promise<void>) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (cleanup?.() ?? Promise.resolve()).finally(() => process.exit(1));
  });
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

function printStages(transport: Transport, result: TransportResult) {
  const { pipeline } = result;
  say(
    `\n${transport}: where the time goes (wall time inside each stage's calls, summed; the ` +
      'stages run side by side, so they overlap)',
  );
  say(
    formatTable(
      ['stage', 'calls', 'records', 'seconds', 'µs per pipeline record'],
      pipeline.stages
        .filter((s) => s.seconds >= 0.05)
        .sort((a, b) => b.seconds - a.seconds)
        .map((s) => [
          s.stage,
          fmt(s.calls),
          s.records > 0 ? fmt(s.records) : '',
          s.seconds.toFixed(2),
          ((s.seconds / result.records) * 1e6).toFixed(1),
        ]),
    ),
  );
  const per = (s: number, n = result.records) => ((s / n) * 1e6).toFixed(1);
  say(
    `CPU over ${pipeline.seconds.toFixed(1)} s: Node ${pipeline.cpu.node.toFixed(1)} s ` +
      `(${per(pipeline.cpu.node)} µs/record), PostgreSQL ${pipeline.cpu.postgres.toFixed(1)} s ` +
      `(${per(pipeline.cpu.postgres)} µs/record)` +
      (transport === 'kafka' ? `, mock cluster ${pipeline.cpu.mock.toFixed(1)} s` : '') +
      `; raw baseline: Node ${per(result.raw.cpu.node)}, PostgreSQL ${per(result.raw.cpu.postgres)}` +
      (transport === 'kafka' ? `, mock ${per(result.raw.cpu.mock)}` : '') +
      (result.rawTwoHops
        ? `; raw two hops: Node ${per(result.rawTwoHops.cpu.node)}, PostgreSQL ` +
          per(result.rawTwoHops.cpu.postgres) +
          (transport === 'kafka' ? `, mock ${per(result.rawTwoHops.cpu.mock)}` : '')
        : '') +
      ' µs/record',
  );
  say(
    'PostgreSQL CPU by process: ' +
      Object.entries(pipeline.postgresByDatabase)
        .filter(([, s]) => s >= 0.05)
        .sort((a, b) => b[1] - a[1])
        .map(([db, s]) => `${db} ${s.toFixed(1)} s (${per(s)} µs/record)`)
        .join(', '),
  );
  if (pipeline.statements) {
    say('\nstatements by total time (pg_stat_statements)');
    say(
      formatTable(
        ['statement', 'calls', 'rows', 'ms', 'µs/record'],
        pipeline.statements.map((s) => [
          s.query,
          fmt(s.calls),
          fmt(s.rows),
          fmt(s.ms),
          ((s.ms * 1000) / result.records).toFixed(1),
        ]),
      ),
    );
  }
}

async function main(): Promise<BenchResult> {
  const begun = Date.now();
  const loadBefore = os.loadavg()[0]!;
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: await freePort(),
    database: 'pipeline_template',
  });
  let cluster: Awaited<ReturnType<typeof startMockClusterProcess>> | undefined;
  let cleaned: Promise<void> | undefined;
  cleanup = () =>
    (cleaned ??= (async () => {
      cluster?.stop();
      await server.stop().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    })());
  try {
    let templateUrl = await server.start();
    if (PG_STATEMENTS || PG_SETTINGS.length > 0) {
      const client = new pg.Client({ connectionString: server.url('postgres') });
      await client.connect();
      if (PG_STATEMENTS)
        await client.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
      for (const [name, value] of PG_SETTINGS)
        await client.query(`ALTER SYSTEM SET ${name} = ${client.escapeLiteral(value)}`);
      await client.end();
      await server.stop();
      templateUrl = await server.start();
    }
    const ticks = clockTicks();
    const admin = new pg.Pool({ connectionString: server.url('postgres'), max: 2 });
    admin.on('error', () => undefined);
    const { rows: version } = await admin.query<{ server_version: string }>('SHOW server_version');
    const postgresVersion = version[0]!.server_version;

    const started = process.hrtime.bigint();
    const published = await prepareTemplate(templateUrl);
    say(
      `template database (migrations, demo organisation, resource, grant): ${secondsSince(started).toFixed(1)} s`,
    );
    await server.createDatabase('gaj');
    await server.createDatabase('rsj');
    const sourcePool = new pg.Pool({ connectionString: server.url('gaj'), max: 2 });
    sourcePool.on('error', () => undefined);
    const sourceTables = new Map<number, string>();
    for (const transport of TRANSPORTS) {
      const count = COUNTS[transport];
      if (!sourceTables.has(count))
        sourceTables.set(count, await prepareSourceTable(sourcePool, count));
    }
    await sourcePool.end();
    if (TRANSPORTS.includes('kafka')) cluster = await startMockClusterProcess();

    const results: Partial<Record<Transport, TransportResult>> = {};
    for (const transport of TRANSPORTS) {
      const count = COUNTS[transport];
      const database = `pipeline_${transport}`;
      await server.createDatabase(database, 'pipeline_template');
      const platformUrl = server.url(database);
      const context: RunContext = {
        server,
        published,
        sourceUrl: server.url('gaj'),
        sinkUrl: server.url('rsj'),
        sourceTable: sourceTables.get(count)!,
        ticks,
        mockPid: cluster?.pid,
        brokers: cluster?.brokers,
      };
      await admin.query('CHECKPOINT');
      const measureRaw = async (hops: 1 | 2) => {
        say(
          `\n${transport}: raw produce + consume of ${fmt(count)} records` +
            (hops === 2 ? ', two hops (relayed to a second stream) …' : ' …'),
        );
        const rawPool = new pg.Pool({ connectionString: platformUrl, max: 10 });
        rawPool.on('error', () => undefined);
        const rawLog = recordLogFor(transport, rawPool, context);
        const rawCpu = cpuNow(context);
        const begin = process.hrtime.bigint();
        let perSecond: number;
        try {
          perSecond = await rawEndToEnd(
            rawLog,
            `bench.raw${hops}.${transport}.${process.pid}`,
            count,
            hops,
          );
        } finally {
          await rawLog.close();
          await rawPool.end();
        }
        const measured = {
          perSecond,
          cpu: cpuSince(context, rawCpu),
          seconds: secondsSince(begin),
        };
        say(
          `${transport}: raw${hops === 2 ? ' two hops' : ''} ${fmt(perSecond)} records/s (${measured.seconds.toFixed(1)} s)`,
        );
        await admin.query('CHECKPOINT');
        return measured;
      };
      const raw = await measureRaw(1);
      const rawTwoHops = RAW_TWO_HOPS ? await measureRaw(2) : undefined;
      say(`${transport}: pipeline of ${fmt(count)} records …`);
      const pipeline = await runPipeline(transport, count, platformUrl, context);
      say(
        `${transport}: pipeline ${fmt(pipeline.perSecond)} records/s (${pipeline.seconds.toFixed(1)} s, ` +
          `first delivery after ${pipeline.firstDeliverySeconds.toFixed(1)} s)`,
      );
      results[transport] = { records: count, raw, rawTwoHops, pipeline };
      printStages(transport, results[transport]);
      // the run's streams, store and evidence: gigabytes this run needs no more
      await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    }
    await admin.end();

    const summary = TRANSPORTS.map((t) => {
      const r = results[t]!;
      const ratio = r.pipeline.perSecond / r.raw.perSecond;
      return {
        transport: t,
        records: r.records,
        pipeline: r.pipeline.perSecond,
        raw: r.raw.perSecond,
        ratio,
        rawTwoHops: r.rawTwoHops?.perSecond,
        bar: BARS[t],
        meetsRate: r.pipeline.perSecond >= BARS[t],
        meetsRatio: ratio >= RATIO_BAR,
      };
    });
    say(
      `\n${NAME}: ${VALUE_BYTES}-byte records, ${WORKERS} worker(s) in this process, source batch ` +
        `${SOURCE_BATCH}, enforcement batch ${ENFORCEMENT_BATCH}, sink batch ${SINK_BATCH} ` +
        `(${os.availableParallelism()} cores, Node ${process.version}, PostgreSQL ${postgresVersion})\n`,
    );
    say(
      formatTable(
        [
          'transport',
          'records',
          'pipeline/s',
          'raw/s',
          'ratio',
          'bar/s',
          'rate bar',
          'ratio bar (≥ 0.5)',
          'raw two hops/s',
          'pipeline ÷ two hops',
        ],
        summary.map((s) => [
          s.transport,
          fmt(s.records),
          fmt(s.pipeline),
          fmt(s.raw),
          s.ratio.toFixed(3),
          fmt(s.bar),
          s.meetsRate ? 'met' : 'MISSED',
          s.meetsRatio ? 'met' : 'MISSED',
          s.rawTwoHops === undefined ? '—' : fmt(s.rawTwoHops),
          s.rawTwoHops === undefined ? '—' : (s.pipeline / s.rawTwoHops).toFixed(3),
        ]),
      ),
    );
    const loadAfter = os.loadavg()[0]!;
    say(
      `load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after; ` +
        `took ${((Date.now() - begun) / 1000).toFixed(1)} s\n`,
    );
    const headline = summary.find((s) => s.transport === 'postgres') ?? summary[0]!;
    return {
      name: NAME,
      figure: round(headline.pipeline, 0),
      baseline: round(headline.raw, 0),
      ratio: round(headline.ratio, 3),
      unit: `records/s (stream pipeline ÷ raw produce + consume, ${headline.transport} log)`,
      details: {
        transports: Object.fromEntries(
          summary.map((s) => {
            const r = results[s.transport]!;
            return [
              s.transport,
              {
                records: s.records,
                pipelinePerSecond: round(s.pipeline, 0),
                rawPerSecond: round(s.raw, 0),
                ratio: round(s.ratio, 3),
                ...(s.rawTwoHops === undefined
                  ? {}
                  : {
                      rawTwoHopsPerSecond: round(s.rawTwoHops, 0),
                      ratioToTwoHops: round(s.pipeline / s.rawTwoHops, 3),
                    }),
                barPerSecond: s.bar,
                ratioBar: RATIO_BAR,
                meetsRate: s.meetsRate,
                meetsRatio: s.meetsRatio,
                pipelineSeconds: round(r.pipeline.seconds, 1),
                firstDeliverySeconds: round(r.pipeline.firstDeliverySeconds, 2),
                cpuSeconds: {
                  pipeline: mapValues(r.pipeline.cpu, (v) => round(v, 1)),
                  postgresByDatabase: mapValues(r.pipeline.postgresByDatabase, (v) => round(v, 1)),
                  raw: mapValues(r.raw.cpu, (v) => round(v, 1)),
                  ...(r.rawTwoHops
                    ? { rawTwoHops: mapValues(r.rawTwoHops.cpu, (v) => round(v, 1)) }
                    : {}),
                },
                stages: Object.fromEntries(
                  r.pipeline.stages.map((x) => [x.stage, round(x.seconds, 2)]),
                ),
                ...(r.pipeline.windows ? { kafkaWindows: r.pipeline.windows } : {}),
                checks: r.pipeline.checks,
              },
            ];
          }),
        ),
        settings: {
          workers: WORKERS,
          sourceBatchSize: SOURCE_BATCH,
          enforcementBatchSize: ENFORCEMENT_BATCH,
          sinkBatchSize: SINK_BATCH,
          raw: {
            partitions: PARTITIONS,
            producers: PRODUCERS,
            batch: BATCH,
            pollMax: POLL_MAX,
            window: WINDOW,
          },
        },
        valueBytes: VALUE_BYTES,
        withinBar: summary.every((s) => s.meetsRate && s.meetsRatio),
        cores: os.availableParallelism(),
        node: process.version,
        postgres: postgresVersion,
        loadAverage: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
      },
    };
  } finally {
    await cleanup();
  }
}

function mapValues<T extends object>(object: T, fn: (value: number) => number) {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, fn(v as number)]));
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
