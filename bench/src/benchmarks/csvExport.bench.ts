/**
 * csvExport: the bulk CSV export of 10 million records (`GET /v1/grants/{id}/export?format=csv`
 * on the real exchange API, in its own process) against PostgreSQL's own
 * `COPY (SELECT the same columns …) TO STDOUT WITH (FORMAT csv)` read by a pg client and
 * discarded, in the same run (DESIGN §6: ≥ 50 % of the COPY rate, RSS < 256 MB).
 *
 * A second pair measures the masked path (a cursor and the policy's masks in JavaScript) on a
 * resource of 1 million records against COPY of that resource.
 *
 * figure   = subject rows/s (median of the rounds)
 * baseline = COPY rows/s (median of the rounds)
 * ratio    = figure ÷ baseline
 *
 * CSV_EXPORT_ROWS / CSV_EXPORT_MASKED_ROWS / CSV_EXPORT_ROUNDS make a quick trial smaller.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { approveResource, createResource, submitResource } from '@gx/catalog';
import {
  createDatabase,
  createLogger,
  createMetrics,
  demoSystemSecret,
  DEMO_PASSWORD,
  EmbeddedPostgres,
  runMigrations,
  seedDemo,
  type Actor,
  type Database,
} from '@gx/platform';
import { createIdentityApp, PORTAL_CLIENT_ID } from '@gx/platform/identity-provider';
import {
  clientCredentialsToken,
  freePort,
  listen,
  passwordLogin,
  type Listening,
} from '@gx/platform/testing';
import { startChildServer, type ChildServer } from '../childServer.ts';
import { formatTable, median, reportResult, round, type BenchResult } from '../report.ts';

const NAME = 'csvExport';
const count = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const ROWS = count('CSV_EXPORT_ROWS', 10_000_000);
const MASKED_ROWS = count('CSV_EXPORT_MASKED_ROWS', 1_000_000);
const ROUNDS = count('CSV_EXPORT_ROUNDS', 3);
const PURPOSE = 'STATISTICS';
/** DESIGN §6: at least half of PostgreSQL's COPY rate … */
const RATE_BAR = 0.5;
/** … with the server's memory flat, under 256 MB resident */
const RSS_BAR_MB = 256;
/** the first bytes of each side are compared: same rows, same cells */
const SAMPLE_BYTES = 256 * 1024;

/** its `subject` mode is the real exchange API as `npm start` builds it (access log silent, pool of 10) */
const serverScript = fileURLToPath(new URL('../servers/recordsGetByKeyServer.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.join(repoRoot, `.data/bench/csvExport-${process.pid}`);

/** 市场主体登记信息: what a city's open-data portal publishes about registered businesses */
const ITEMS = [
  {
    name: 'credit_code',
    label: '统一社会信用代码',
    dataType: 'string',
    isKey: true,
    maxLength: 18,
  },
  { name: 'name', label: '企业名称', dataType: 'string', isRequired: true },
  { name: 'legal_representative', label: '法定代表人', dataType: 'string' },
  { name: 'entity_type', label: '企业类型', dataType: 'string' },
  { name: 'registered_capital', label: '注册资本（万元）', dataType: 'number' },
  { name: 'employees', label: '从业人数', dataType: 'integer' },
  { name: 'established_on', label: '成立日期', dataType: 'date' },
  { name: 'district', label: '所属区县', dataType: 'string' },
  { name: 'address', label: '住所', dataType: 'string' },
  { name: 'is_active', label: '是否存续', dataType: 'boolean' },
] as const;
const FIELDS = ITEMS.map((i) => i.name);

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;
const DISTRICTS = sqlArray([
  '上城区',
  '拱墅区',
  '西湖区',
  '滨江区',
  '萧山区',
  '余杭区',
  '临平区',
  '钱塘区',
  '富阳区',
  '临安区',
  '桐庐县',
  '淳安县',
  '建德市',
]);

/**
 * Records `from`..`to` of a resource into `table`, generated inside PostgreSQL. Values are what the records
 * API would have stored: numbers through float8 (shortest form, as JavaScript writes them),
 * dates as text, one address in twenty with an ASCII comma (a quoted cell).
 */
const generate = (table: string) => `
INSERT INTO ${table} (resource_id, record_key, key_order, data, schema_version)
SELECT $1::uuid, k, jsonb_build_array(k), jsonb_build_object(
  'credit_code', k,
  'name', '杭州' || (${sqlArray(['云栖', '钱塘', '西溪', '之江', '良渚', '湘湖', '运河', '天目', '富春', '临平'])})[1 + i % 10]
          || (${sqlArray(['数字', '智能', '生物', '新材料', '文化', '物流', '餐饮', '建设', '电子', '医药'])})[1 + (i / 10) % 10]
          || (${sqlArray(['科技', '贸易', '咨询', '服务', '发展', '实业', '网络'])})[1 + (i / 100) % 7] || '有限公司',
  'legal_representative', (${sqlArray(['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙'])})[1 + i % 12]
          || (${sqlArray(['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明'])})[1 + (i / 12) % 15]
          || CASE WHEN i % 3 = 0 THEN (${sqlArray(['华', '平', '刚', '霞', '飞'])})[1 + (i / 180) % 5] ELSE '' END,
  'entity_type', (${sqlArray(['有限责任公司（自然人投资或控股）', '有限责任公司（法人独资）', '股份有限公司（非上市）', '个人独资企业', '有限合伙企业', '农民专业合作社'])})[1 + (i / 7) % 6],
  'registered_capital', ((i::bigint * 7919) % 1000000)::float8 / 100,
  'employees', (i::bigint * 31) % 500,
  'established_on', to_char(date '1985-01-01' + (i::bigint * 37 % 14600)::int, 'YYYY-MM-DD'),
  'district', district,
  'address', '浙江省杭州市' || district
          || (${sqlArray(['文三路', '天目山路', '莫干山路', '江南大道', '解放东路', '古墩路', '湖墅南路', '秋涛北路'])})[1 + (i / 13) % 8]
          || (1 + i % 999) || '号' || CASE WHEN i % 20 = 0 THEN ', ' || (1 + i % 30) || '幢' ELSE '' END,
  'is_active', i % 10 <> 0), 1
  FROM generate_series($2::int, $3::int) AS i,
       LATERAL (SELECT '91330100' || lpad(i::text, 9, '0') || 'X' AS k,
                       (${DISTRICTS})[1 + i % 13] AS district) AS v`;

/** The baseline: the same rows and columns, as PostgreSQL writes CSV by itself. */
const baselineCopy = (resourceId: string) =>
  `COPY (SELECT ${FIELDS.map((f) => `data->>'${f}'`).join(', ')} FROM records` +
  ` WHERE resource_id = '${resourceId}'::uuid ORDER BY key_order, record_key COLLATE "C")` +
  ` TO STDOUT WITH (FORMAT csv)`;

const staff = (departmentCode: string, role: 'steward' | 'approver'): Actor => ({
  kind: 'user',
  subject: `bench-${departmentCode}-${role}`,
  username: `${departmentCode}.${role}`,
  departmentCode,
  regionCode: '330100000000',
  roles: [role],
});

const say = (line: string) => process.stdout.write(`${line}\n`);

interface Run {
  seconds: number;
  bytes: number;
  /** the first SAMPLE_BYTES bytes */
  head: Buffer;
}

function keepHead() {
  const chunks: Buffer[] = [];
  let kept = 0;
  return {
    add(chunk: Buffer) {
      if (kept >= SAMPLE_BYTES) return;
      chunks.push(chunk);
      kept += chunk.length;
    },
    head: () => Buffer.concat(chunks).subarray(0, SAMPLE_BYTES),
  };
}

/** COPY … TO STDOUT through a pg client; the data is counted and dropped. */
async function runBaseline(url: string, statement: string): Promise<Run> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const head = keepHead();
    let bytes = 0;
    const started = process.hrtime.bigint();
    for await (const chunk of client.query(copyTo(statement)) as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      head.add(chunk);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { seconds, bytes, head: head.head() };
  } finally {
    await client.end();
  }
}

interface ExportRun extends Run {
  status: number;
  receipt: { operation?: string; recordCount?: number };
}

/** The export over HTTP, counted and dropped; the receipt comes in the trailer. */
function runExport(url: string, headers: Record<string, string>): Promise<ExportRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    http
      .get(url, { headers }, (res) => {
        const head = keepHead();
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          head.add(chunk);
        });
        res.on('end', () => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const jws = res.trailers['evidence-receipt'];
          const receipt = jws
            ? (JSON.parse(
                Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'),
              ) as ExportRun['receipt'])
            : {};
          resolve({ status: res.statusCode ?? 0, seconds, bytes, head: head.head(), receipt });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * The server's resident memory: its peak over the export (VmHWM, reset before the export
 * through /proc/<pid>/clear_refs) and samples every 100 ms, to show it stays flat.
 */
const procStatus = (pid: number) => readFileSync(`/proc/${pid}/status`, 'utf8');
const kb = (text: string, field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? Number.NaN);

function watchMemory(pid: number) {
  const status = () => procStatus(pid);
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const before = kb(status(), 'VmRSS');
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(kb(status(), 'VmRSS')), 100);
  return {
    stop() {
      clearInterval(timer);
      const text = status();
      return {
        beforeMb: before / 1024,
        peakMb: kb(text, 'VmHWM') / 1024,
        samplesMb: samples.map((s) => s / 1024),
      };
    },
  };
}

const mb = (bytes: number) => bytes / 1024 / 1024;

interface Cleanup {
  server?: ChildServer;
  identity?: Listening;
  db?: Database;
  postgres?: EmbeddedPostgres;
}
const cleanup: Cleanup = {};
let cleaned: Promise<void> | undefined;

/** Stop the server and the embedded PostgreSQL and remove its data directory (once). */
function cleanUp(): Promise<void> {
  cleaned ??= (async () => {
    await cleanup.server?.stop().catch(() => undefined);
    await cleanup.identity?.close().catch(() => undefined);
    await cleanup.db?.close().catch(() => undefined);
    await cleanup.postgres?.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  })();
  return cleaned;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(1));
  });
}

async function publish(db: Database, name: string, sharing: 'unconditional' | 'conditional') {
  const steward = staff('hz-scjg', 'steward');
  const { code } = await createResource({
    prisma: db.prisma,
    actor: steward,
    input: {
      name,
      abstract: '本市登记在册的市场主体基本信息，含名称、类型、注册资本、成立日期、住所等',
      themeCode: 'legal-entity',
      format: 'database',
      sharingType: sharing,
      ...(sharing === 'conditional' ? { sharingConditions: '仅限依法履职所需' } : {}),
      sharingMethods: ['api', 'file'],
      openType: sharing === 'unconditional' ? 'open' : 'none',
      updateCycle: 'daily',
      items: ITEMS.map((item) => ({ ...item })),
    },
  });
  await submitResource({ prisma: db.prisma, actor: steward, code });
  await approveResource({ prisma: db.prisma, actor: staff('hz-dsj', 'approver'), code });
  const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM resources WHERE code = $1', [
    code,
  ]);
  return { code, id: rows[0]!.id };
}

/**
 * Fill `records` with both resources' rows, as fast as this benchmark database allows: the table
 * is made UNLOGGED and loaded without its indexes and triggers (the change-feed trigger), which
 * are put back afterwards. The export only reads, and reads an unlogged heap like a logged one.
 * Two sessions generate key ranges into staging tables at once (one per core); the ranges are
 * then copied into `records` one after another, so that its heap is in key order (as after a
 * key-ordered bulk load) and the plan both sides get is an index scan, not a sort.
 */
async function load(db: Database, resources: { id: string; rows: number }[]) {
  const [open, masked] = resources as [(typeof resources)[0], (typeof resources)[0]];
  const half = Math.ceil(open.rows / 2);
  const ranges = [
    { stage: 'csv_export_stage_1', id: open.id, from: 1, to: half },
    { stage: 'csv_export_stage_2', id: open.id, from: half + 1, to: open.rows },
    { stage: 'csv_export_stage_3', id: masked.id, from: 1, to: masked.rows },
  ].filter((range) => range.from <= range.to);
  const lanes = [ranges.slice(0, 1), ranges.slice(1)];
  const client = await db.pool.connect();
  try {
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename = 'records' AND indexname <> 'records_pkey'`,
    );
    await client.query('ALTER TABLE records SET UNLOGGED');
    await client.query('ALTER TABLE records DISABLE TRIGGER USER');
    await client.query('ALTER TABLE records DROP CONSTRAINT records_pkey');
    for (const index of indexes)
      await client.query(`DROP INDEX ${client.escapeIdentifier(index.name)}`);
    for (const { stage } of ranges)
      await client.query(
        `CREATE UNLOGGED TABLE ${stage} (resource_id uuid, record_key text, key_order jsonb, data jsonb, schema_version int)`,
      );
    await Promise.all(
      lanes.map(async (lane) => {
        for (const range of lane)
          await db.pool.query(generate(range.stage), [range.id, range.from, range.to]);
      }),
    );
    for (const { stage } of ranges) {
      await client.query(
        `INSERT INTO records (resource_id, record_key, key_order, data, schema_version)
         SELECT resource_id, record_key, key_order, data, schema_version FROM ${stage}`,
      );
      await client.query(`DROP TABLE ${stage}`);
    }
    await client.query('ALTER TABLE records ADD PRIMARY KEY (resource_id, record_key)');
    for (const index of indexes) await client.query(index.definition);
    await client.query('ALTER TABLE records ENABLE TRIGGER USER');
  } finally {
    client.release();
  }
}

async function main(): Promise<BenchResult> {
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  try {
    // ---- database ------------------------------------------------------------------------
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    const postgres = new EmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: await freePort(),
      database: 'csv_export_bench',
    });
    cleanup.postgres = postgres;
    const url = await postgres.start();
    const db = createDatabase({ url, max: 4 });
    cleanup.db = db;
    {
      const client = await db.pool.connect();
      try {
        await runMigrations({ client });
        // a bulk load of several GB: fewer forced checkpoints
        await client.query(`ALTER SYSTEM SET max_wal_size = '8GB'`);
        await client.query(`ALTER SYSTEM SET checkpoint_timeout = '1h'`);
        await client.query('SELECT pg_reload_conf()');
      } finally {
        client.release();
      }
    }
    await seedDemo(db.pool);

    // ---- identity provider (this process: tokens, and the JWKS once) -----------------------
    const identityPort = await freePort();
    const issuer = `http://127.0.0.1:${identityPort}`;
    const { app: identityApp } = await createIdentityApp({
      issuer,
      portalUrl: 'http://127.0.0.1:3000',
      db,
      logger: createLogger({ service: 'identity', level: 'silent' }),
      metrics: createMetrics('identity'),
      accessTokenTtlSeconds: 3_600,
    });
    cleanup.identity = await listen(identityApp, identityPort);

    // ---- two published resources of hz-scjg, records generated in PostgreSQL --------------
    const open = await publish(db, '市场主体登记信息', 'unconditional');
    const masked = await publish(db, '市场主体登记信息（含法定代表人）', 'conditional');
    const loadStarted = Date.now();
    await load(db, [
      { id: open.id, rows: ROWS },
      { id: masked.id, rows: MASKED_ROWS },
    ]);
    const generateSeconds = (Date.now() - loadStarted) / 1000;
    await db.pool.query('VACUUM (ANALYZE) records');
    await db.pool.query('CHECKPOINT');
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const { rows: sizes } = await db.pool.query<{ table: string; indexes: string }>(
      `SELECT pg_size_pretty(pg_table_size('records')) AS table,
              pg_size_pretty(pg_indexes_size('records')) AS indexes`,
    );
    say(
      `${NAME}: ${ROWS} + ${MASKED_ROWS} records loaded in ${generateSeconds.toFixed(0)} s, ` +
        `vacuumed by ${loadSeconds.toFixed(0)} s (table ${sizes[0]!.table}, indexes ${sizes[0]!.indexes})`,
    );

    // ---- the exchange API in a child process; grants through its HTTP API ------------------
    const server = await startChildServer(serverScript, ['subject', url, issuer]);
    cleanup.server = server;
    const startRssMb = kb(procStatus(server.pid), 'VmRSS') / 1024;
    const consumer = (
      await clientCredentialsToken(issuer, 'hz-rsj-system', demoSystemSecret('hz-rsj-system'))
    ).access_token;
    const post = async (urlPath: string, token: string, body: unknown) => {
      const res = await fetch(`${server.base}${urlPath}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { id?: string; grantId?: string };
      if (res.status >= 300) throw new Error(`${urlPath}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const ask = (resourceCode: string) =>
      post('/v1/sharing-requests', consumer, {
        resourceCode,
        fields: FIELDS,
        purposeCodes: [PURPOSE],
        purposeText: '市场主体发展情况统计分析',
        legalBasisText: '《中华人民共和国统计法》第七条',
        deliveryModes: ['bulk'],
      });
    const openGrant = (await ask(open.code)).grantId!;
    const approver = (
      await passwordLogin({
        issuer,
        clientId: PORTAL_CLIENT_ID,
        redirectUri: 'http://127.0.0.1:3000/auth/callback',
        username: 'hz-scjg.approver',
        password: DEMO_PASSWORD,
      })
    ).access_token;
    const maskedGrant = (
      await post(`/v1/sharing-requests/${(await ask(masked.code)).id!}/approve`, approver, {
        masks: { legal_representative: { kind: 'keep_first_last', first: 1, last: 0 } },
        comment: '法定代表人姓名部分遮盖',
      })
    ).grantId!;
    const headers = { authorization: `Bearer ${consumer}`, 'x-purpose': PURPOSE };
    const exportUrl = (grantId: string) => `${server.base}/v1/grants/${grantId}/export?format=csv`;

    // ---- rounds: baseline and subject alternately ------------------------------------------
    interface Side {
      label: string;
      rows: number;
      baseline: string;
      subject: string;
    }
    const pairs: Side[] = [
      {
        label: 'unmasked (COPY path)',
        rows: ROWS,
        baseline: baselineCopy(open.id),
        subject: exportUrl(openGrant),
      },
      {
        label: `masked (cursor path)`,
        rows: MASKED_ROWS,
        baseline: baselineCopy(masked.id),
        subject: exportUrl(maskedGrant),
      },
    ];
    const table: string[][] = [];
    const results = pairs.map(() => ({
      baseline: [] as number[],
      subject: [] as number[],
      peakMb: [] as number[],
      idleMb: [] as number[],
      growthMb: [] as number[],
      sampledMaxMb: [] as number[],
      bytes: { baseline: 0, subject: 0 },
    }));
    for (const [p, pair] of pairs.entries()) {
      const result = results[p]!;
      for (let r = 1; r <= ROUNDS; r += 1) {
        const base = await runBaseline(url, pair.baseline);
        const memory = watchMemory(server.pid);
        const subject = await runExport(pair.subject, headers);
        const mem = memory.stop();
        if (subject.status !== 200) throw new Error(`export answered ${subject.status}`);
        if (subject.receipt.operation !== 'export' || subject.receipt.recordCount !== pair.rows)
          throw new Error(
            `export receipt ${JSON.stringify(subject.receipt)}, ${pair.rows} rows expected`,
          );
        if (r === 1) checkSameRows(pair.label, base.head, subject.head, p === 1);
        result.baseline.push(pair.rows / base.seconds);
        result.subject.push(pair.rows / subject.seconds);
        result.peakMb.push(mem.peakMb);
        result.idleMb.push(mem.beforeMb);
        result.growthMb.push(mem.peakMb - mem.beforeMb);
        result.sampledMaxMb.push(Math.max(...mem.samplesMb));
        result.bytes = { baseline: base.bytes, subject: subject.bytes };
        for (const [side, run] of [
          ['COPY (baseline)', base],
          ['export (subject)', subject],
        ] as const) {
          table.push([
            pair.label,
            `${r}`,
            side,
            run.seconds.toFixed(2),
            (pair.rows / run.seconds).toFixed(0),
            (mb(run.bytes) / run.seconds).toFixed(1),
            run === subject ? `${mem.beforeMb.toFixed(0)} → ${mem.peakMb.toFixed(0)}` : '',
          ]);
        }
        say(
          `  ${pair.label} round ${r}: COPY ${base.seconds.toFixed(1)} s, export ` +
            `${subject.seconds.toFixed(1)} s, server RSS ${mem.beforeMb.toFixed(0)} → peak ` +
            `${mem.peakMb.toFixed(0)} MB (samples ${mem.samplesMb
              .filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 8)) === 0)
              .map((s) => s.toFixed(0))
              .join(' ')})`,
        );
      }
    }

    const summary = results.map((r, i) => {
      const baseline = median(r.baseline);
      const subject = median(r.subject);
      return {
        rows: pairs[i]!.rows,
        baselineRowsPerSecond: round(baseline, 0),
        subjectRowsPerSecond: round(subject, 0),
        ratio: round(subject / baseline, 4),
        pairedRatios: r.subject.map((s, k) => round(s / r.baseline[k]!, 4)),
        baselineMbPerSecond: round(mb(r.bytes.baseline) * (baseline / pairs[i]!.rows), 1),
        subjectMbPerSecond: round(mb(r.bytes.subject) * (subject / pairs[i]!.rows), 1),
        baselineMb: round(mb(r.bytes.baseline), 1),
        subjectMb: round(mb(r.bytes.subject), 1),
        serverIdleRssMb: round(Math.max(...r.idleMb), 1),
        serverPeakRssMb: round(Math.max(...r.peakMb), 1),
        exportGrowthMb: round(Math.max(...r.growthMb), 1),
        serverSampledMaxRssMb: round(Math.max(...r.sampledMaxMb), 1),
      };
    });
    const [main, cursor] = summary as [(typeof summary)[0], (typeof summary)[0]];
    const meetsRate = main.ratio >= RATE_BAR;
    const meetsMemory = main.serverPeakRssMb < RSS_BAR_MB;
    const loadAfter = os.loadavg()[0]!;

    say(
      `\n${NAME}: CSV export of ${ROWS} records (${main.subjectMb} MB) over HTTP against COPY … ` +
        `TO STDOUT of the same columns (${main.baselineMb} MB), ${ROUNDS} rounds alternating; ` +
        `masked path on ${MASKED_ROWS} records; server in a child process ` +
        `(${os.availableParallelism()} cores, Node ${process.version})\n`,
    );
    process.stdout.write(
      formatTable(['export', 'round', 'side', 'seconds', 'rows/s', 'MB/s', 'server RSS MB'], table),
    );
    process.stdout.write('\nmedians\n');
    process.stdout.write(
      formatTable(
        ['export', 'COPY rows/s', 'export rows/s', 'ratio', 'peak RSS MB'],
        pairs.map((pair, i) => [
          pair.label,
          `${summary[i]!.baselineRowsPerSecond}`,
          `${summary[i]!.subjectRowsPerSecond}`,
          summary[i]!.ratio.toFixed(3),
          summary[i]!.serverPeakRssMb.toFixed(0),
        ]),
      ),
    );
    say(
      `\nDESIGN §6 rate bar (≥ ${RATE_BAR * 100} % of COPY): ${meetsRate ? 'MET' : 'MISSED'} ` +
        `(${(main.ratio * 100).toFixed(1)} %; per round ${main.pairedRatios.join(', ')})\n` +
        `DESIGN §6 memory bar (RSS < ${RSS_BAR_MB} MB): ${meetsMemory ? 'MET' : 'MISSED'} ` +
        `(peak ${main.serverPeakRssMb} MB; the server holds ${startRssMb.toFixed(0)} MB once started, ` +
        `${main.serverIdleRssMb} MB before an export, and an export adds at most ` +
        `${main.exportGrowthMb} MB)\n` +
        `masked (cursor) path: ${cursor.subjectRowsPerSecond} rows/s = ` +
        `${(cursor.ratio * 100).toFixed(1)} % of COPY, peak RSS ${cursor.serverPeakRssMb} MB\n` +
        `load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after; ` +
        `took ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );

    return {
      name: NAME,
      figure: main.subjectRowsPerSecond,
      baseline: main.baselineRowsPerSecond,
      ratio: main.ratio,
      unit: 'rows/s',
      details: {
        rows: ROWS,
        rounds: ROUNDS,
        copyPath: main,
        maskedRows: MASKED_ROWS,
        cursorPath: cursor,
        rateBar: RATE_BAR,
        rssBarMb: RSS_BAR_MB,
        serverStartRssMb: round(startRssMb, 1),
        meetsRate,
        meetsMemory,
        withinBar: meetsRate && meetsMemory,
        generateSeconds: round(generateSeconds, 1),
        loadSeconds: round(loadSeconds, 1),
        tableSize: sizes[0]!.table,
        indexSize: sizes[0]!.indexes,
        loadAverage: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
        cores: os.availableParallelism(),
        node: process.version,
      },
    };
  } finally {
    await cleanUp();
  }
}

/**
 * The export's first rows are COPY's first rows: the same cells (this data needs no
 * neutralising, and quotes the same cells), CRLF instead of LF, after a BOM and the labels.
 */
function checkSameRows(label: string, copy: Buffer, exported: Buffer, masked: boolean) {
  const copyLines = copy.toString('utf8').split('\n').slice(0, -1);
  const lines = exported.toString('utf8').split('\r\n');
  const header = `\uFEFF${ITEMS.map((i) => i.label).join(',')}`;
  if (lines[0] !== header) throw new Error(`${label}: header ${lines[0]}`);
  const n = Math.min(copyLines.length, lines.length - 2, 500);
  const legal = FIELDS.indexOf('legal_representative');
  for (let i = 0; i < n; i += 1) {
    let expected = copyLines[i]!;
    if (masked) {
      const cells = expected.split(',');
      const name = [...cells[legal]!];
      cells[legal] = name[0] + '*'.repeat(name.length - 1);
      expected = cells.join(',');
    }
    if (lines[i + 1] !== expected)
      throw new Error(`${label}: row ${i + 1} is\n  ${lines[i + 1]}\nexpected\n  ${expected}`);
  }
  if (n < 100) throw new Error(`${label}: only ${n} rows compared`);
}

main().then(reportResult, (error: unknown) => {
  process.stderr.write(`${NAME} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
