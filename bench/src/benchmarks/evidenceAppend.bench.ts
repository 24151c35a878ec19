/**
 * evidenceAppend: appending to the hash-chained evidence log (`EvidenceLog.append`: normalise,
 * queue, group-commit under the chain head's row lock, hash, insert, commit, sign the receipt)
 * against plain single-row INSERTs of the same rows into an identical table without chaining
 * (same columns, same indexes, autocommit, the same pool size), in the same run.
 *
 * Closed loops of 1, 32 and 256 concurrent appenders in one process, then two processes
 * appending at once (each with its own pool and its own EvidenceLog, 128 appenders each).
 * The chain is verified at the end: every acknowledged entry present, no gap, every hash right.
 * Embedded PostgreSQL (fsync on) under .data/bench/evidenceAppend.
 *
 * figure   = entries/s of EvidenceLog at concurrency 256, one process (median of the rounds)
 * baseline = entries/s of plain INSERTs at concurrency 256 (median)
 * ratio    = figure ÷ baseline
 */
import { fork } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { EmbeddedPostgres, runMigrations } from '@gx/platform';
import {
  EvidenceLog,
  requestHash,
  verifyEvidenceChain,
  type EvidenceInput,
} from '../../../exchange-api/src/domain/evidence/index.ts';
import { formatTable, median, reportResult, round, type BenchResult } from '../report.ts';

const NAME = 'evidenceAppend';
const CONCURRENCIES = [1, 32, 256] as const;
const PROCESS_CONCURRENCY = 128;
const ROUNDS = 3;
const SECONDS = 3;
const WARMUP_SECONDS = 1;
/** connections per process, as a service gets by default (DB_POOL_MAX) */
const POOL_MAX = 10;
/** DESIGN: the records API at ≥ 2 000 requests/s appends one entry per request */
const TARGET_PER_SECOND = 2_000;

const thisFile = fileURLToPath(import.meta.url);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.join(repoRoot, '.data/bench/evidenceAppend');

type Side = 'baseline' | 'evidence';

interface RunResult {
  entries: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** evidence only: entries per transaction */
  batchSize?: number;
}

/** What a records-API `get` appends: realistic sizes and values. */
function sampleInput(i: number): EvidenceInput {
  return {
    actor: 'system:hz-rsj-system@hz-rsj',
    actorKind: 'system',
    department: 'hz-rsj',
    grantId: '3b0c7b0e-2f59-4c4e-a7c5-1c0b9d6b8e11',
    purpose: 'social-security-eligibility',
    resourceCode: '209001001-002489129-000001',
    operation: 'get',
    recordCount: 1,
    requestHash: requestHash({ method: 'GET', path: `/v1/records/33010619900101${i % 10_000}` }),
    deliveredDigest: createHash('sha256').update(String(i)).digest('hex'),
  };
}

const INSERT_BASELINE = `INSERT INTO evidence_baseline (id, prev_hash, hash, recorded_at, actor,
  actor_kind, department_code, grant_id, purpose, resource_code, operation, outcome,
  record_count, request_hash, delivered_digest, details, key_id)
  VALUES ($1, $2, $3, now(), $4, $5, $6, $7, $8, $9, $10, 'ok', $11, $12, $13, '{}', 'none')`;

const UNCHAINED = '0'.repeat(64);

function appender(side: Side, pool: pg.Pool, evidence: EvidenceLog) {
  if (side === 'evidence') {
    return async (i: number) => {
      const receipt = await evidence.append(sampleInput(i));
      if (receipt.jws.length === 0) throw new Error('no receipt');
    };
  }
  return async (i: number) => {
    const input = sampleInput(i);
    await pool.query({
      name: 'baseline-insert',
      text: INSERT_BASELINE,
      values: [
        randomUUID(),
        UNCHAINED,
        UNCHAINED,
        input.actor,
        input.actorKind,
        input.department,
        input.grantId,
        input.purpose,
        input.resourceCode,
        input.operation,
        input.recordCount,
        input.requestHash,
        input.deliveredDigest,
      ],
    });
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** `concurrency` closed loops calling `op` until `seconds` have passed. */
async function closedLoop(
  op: (i: number) => Promise<void>,
  concurrency: number,
  seconds: number,
): Promise<Omit<RunResult, 'batchSize'>> {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      const begun = process.hrtime.bigint();
      await op((next += 1));
      latencies.push(Number(process.hrtime.bigint() - begun) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    entries: latencies.length,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

async function runSide(
  side: Side,
  pool: pg.Pool,
  evidence: EvidenceLog,
  concurrency: number,
  seconds: number,
): Promise<RunResult> {
  const before = evidence.stats();
  const result = await closedLoop(appender(side, pool, evidence), concurrency, seconds);
  if (side === 'baseline') return result;
  const after = evidence.stats();
  return {
    ...result,
    batchSize: (after.appended - before.appended) / (after.batches - before.batches),
  };
}

// ---- child process: one of the two appending processes ---------------------------------

interface ChildMessage {
  ready?: true;
  result?: RunResult;
  error?: string;
}

async function child(url: string, side: Side, concurrency: number, seconds: number) {
  const pool = new pg.Pool({ connectionString: url, max: POOL_MAX });
  const evidence = new EvidenceLog({ pool });
  // warm: the receipt key, prepared statements, connections
  await runSide(side, pool, evidence, 8, 0.2);
  const send = (message: ChildMessage) => process.send!(message);
  process.once('message', async () => {
    try {
      send({ result: await runSide(side, pool, evidence, concurrency, seconds) });
    } catch (error) {
      send({ error: error instanceof Error ? error.stack : String(error) });
    } finally {
      await evidence.close();
      await pool.end();
      process.disconnect();
    }
  });
  send({ ready: true });
}

/** Two processes started together on `go`; combined entries/s over the longer of the two. */
async function twoProcesses(url: string, side: Side, seconds: number): Promise<RunResult> {
  const children = [1, 2].map(() =>
    fork(thisFile, ['child', url, side, String(PROCESS_CONCURRENCY), String(seconds)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const next = (c: (typeof children)[number]) =>
    new Promise<ChildMessage>((resolve, reject) => {
      c.once('message', (m: ChildMessage) => (m.error ? reject(new Error(m.error)) : resolve(m)));
      c.once('exit', (code) => reject(new Error(`appender process exited with ${code}`)));
    });
  try {
    await Promise.all(children.map(next));
    const results = children.map(next);
    for (const c of children) c.send('go');
    const done = (await Promise.all(results)).map((m) => m.result!);
    const entries = done.reduce((sum, r) => sum + r.entries, 0);
    const elapsed = Math.max(...done.map((r) => r.seconds));
    return {
      entries,
      seconds: elapsed,
      perSecond: entries / elapsed,
      p50Ms: Math.max(...done.map((r) => r.p50Ms)),
      p99Ms: Math.max(...done.map((r) => r.p99Ms)),
      batchSize:
        side === 'evidence' ? median(done.map((r) => r.batchSize ?? Number.NaN)) : undefined,
    };
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}

// ---- main ---------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? '' : n.toFixed(digits);

async function main(): Promise<BenchResult> {
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: await freePort(),
    database: 'evidence_bench',
  });
  const url = await server.start();
  const pool = new pg.Pool({ connectionString: url, max: POOL_MAX });
  const evidence = new EvidenceLog({ pool });
  try {
    const client = await pool.connect();
    try {
      await runMigrations({ client });
      // the baseline: the same row, the same indexes, no chain, one autocommit INSERT each
      await client.query(`
        CREATE TABLE evidence_baseline
          (LIKE evidence_entries INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
        CREATE SEQUENCE evidence_baseline_seq OWNED BY evidence_baseline.seq;
        ALTER TABLE evidence_baseline ALTER seq SET DEFAULT nextval('evidence_baseline_seq');`);
    } finally {
      client.release();
    }

    for (const side of ['baseline', 'evidence'] as const)
      await runSide(side, pool, evidence, 32, WARMUP_SECONDS);

    const scenarios = [...CONCURRENCIES.map((c) => `${c}`), '2 processes'] as const;
    const results = new Map<string, Record<Side, RunResult[]>>(
      scenarios.map((s) => [s, { baseline: [], evidence: [] }]),
    );
    const rows: string[][] = [];
    for (let r = 1; r <= ROUNDS; r += 1) {
      for (const scenario of scenarios) {
        for (const side of ['baseline', 'evidence'] as const) {
          const result =
            scenario === '2 processes'
              ? await twoProcesses(url, side, SECONDS)
              : await runSide(side, pool, evidence, Number(scenario), SECONDS);
          results.get(scenario)![side].push(result);
          rows.push([
            String(r),
            scenario,
            side,
            fmt(result.perSecond),
            fmt(result.p50Ms, 2),
            fmt(result.p99Ms, 2),
            fmt(result.batchSize, 1),
          ]);
          process.stdout.write(
            `round ${r} concurrency ${scenario} ${side}: ${fmt(result.perSecond)} entries/s\n`,
          );
        }
      }
    }

    // the chain the benchmark wrote must be whole
    const { rows: counted } = await pool.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM evidence_entries',
    );
    const verifying = Date.now();
    const verification = await verifyEvidenceChain(pool);
    const verifySeconds = (Date.now() - verifying) / 1000;
    if (!verification.ok)
      throw new Error(`chain broken after the run: ${JSON.stringify(verification.firstBroken)}`);
    if (String(verification.entries) !== counted[0]!.n)
      throw new Error(`verified ${verification.entries} entries, the table has ${counted[0]!.n}`);

    const summary = scenarios.map((scenario) => {
      const byside = results.get(scenario)!;
      const med = (side: Side) => ({
        perSecond: median(byside[side].map((x) => x.perSecond)),
        p50Ms: median(byside[side].map((x) => x.p50Ms)),
        p99Ms: median(byside[side].map((x) => x.p99Ms)),
        batchSize: median(byside[side].map((x) => x.batchSize ?? Number.NaN)),
      });
      return { scenario, baseline: med('baseline'), evidence: med('evidence') };
    });

    process.stdout.write(
      `\n${NAME}: ${ROUNDS} rounds × ${SECONDS} s per side and scenario, pool of ${POOL_MAX} ` +
        `connections per process, embedded PostgreSQL 15 (fsync on) ` +
        `(${os.availableParallelism()} cores, Node ${process.version})\n\n`,
    );
    process.stdout.write(
      formatTable(['round', 'concurrency', 'side', 'entries/s', 'p50 ms', 'p99 ms', 'batch'], rows),
    );
    process.stdout.write('\nmedians of the rounds\n');
    process.stdout.write(
      formatTable(
        [
          'concurrency',
          'INSERT/s',
          'INSERT p99 ms',
          'evidence/s',
          'evidence p50 ms',
          'evidence p99 ms',
          'entries per batch',
          'ratio',
        ],
        summary.map(({ scenario, baseline, evidence: e }) => [
          scenario,
          fmt(baseline.perSecond),
          fmt(baseline.p99Ms, 2),
          fmt(e.perSecond),
          fmt(e.p50Ms, 2),
          fmt(e.p99Ms, 2),
          fmt(e.batchSize, 1),
          (e.perSecond / baseline.perSecond).toFixed(2),
        ]),
      ),
    );
    const at256 = summary.find((s) => s.scenario === '256')!;
    const two = summary.find((s) => s.scenario === '2 processes')!;
    const loaded = summary.filter((s) => s.scenario !== '1');
    const meetsTarget = loaded.every((s) => s.evidence.perSecond >= TARGET_PER_SECOND);
    process.stdout.write(
      `\nchain verified after the run: ${verification.entries} entries intact ` +
        `(${fmt(verification.entries / verifySeconds)} entries/s verified)\n` +
        `target ≥ ${TARGET_PER_SECOND} entries/s under load (concurrency ≥ 32, two processes): ` +
        `${meetsTarget ? 'MET' : 'NOT MET'}\n` +
        `load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after; ` +
        `took ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`,
    );

    return {
      name: NAME,
      figure: round(at256.evidence.perSecond, 0),
      baseline: round(at256.baseline.perSecond, 0),
      ratio: round(at256.evidence.perSecond / at256.baseline.perSecond, 3),
      unit: 'entries/s at concurrency 256',
      details: {
        scenarios: Object.fromEntries(
          summary.map((s) => [
            s.scenario,
            {
              insertPerSecond: round(s.baseline.perSecond, 0),
              insertP99Ms: round(s.baseline.p99Ms, 2),
              evidencePerSecond: round(s.evidence.perSecond, 0),
              evidenceP50Ms: round(s.evidence.p50Ms, 2),
              evidenceP99Ms: round(s.evidence.p99Ms, 2),
              entriesPerBatch: round(s.evidence.batchSize, 1),
              ratio: round(s.evidence.perSecond / s.baseline.perSecond, 3),
            },
          ]),
        ),
        twoProcessesPerSecond: round(two.evidence.perSecond, 0),
        targetPerSecond: TARGET_PER_SECOND,
        meetsTarget,
        verifiedEntries: verification.entries,
        verifyPerSecond: round(verification.entries / verifySeconds, 0),
        rounds: ROUNDS,
        secondsPerRun: SECONDS,
        poolMax: POOL_MAX,
        cores: os.availableParallelism(),
        node: process.version,
        loadAverage: { before: round(loadBefore, 2), after: round(os.loadavg()[0]!, 2) },
      },
    };
  } finally {
    await evidence.close();
    await pool.end();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') {
  const [url, side, concurrency, seconds] = process.argv.slice(3);
  child(url!, side as Side, Number(concurrency), Number(seconds)).catch((error: unknown) => {
    process.stderr.write(`appender process failed: ${String(error)}\n`);
    process.exit(1);
  });
} else {
  main().then(reportResult, (error: unknown) => {
    process.stderr.write(
      `${NAME} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
}
