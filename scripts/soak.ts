// `npm run soak`: mixed API load for SOAK_MINUTES (default 10) while the resident memory (RSS)
// of every service process is sampled; reports each process's growth after a warm-up (bar: under
// 10 %) and writes a "Soak" section into bench/RESULTS.md.
//
// Default: starts the whole system on its embedded defaults (`npm start`'s launcher, without
// the portal) in a data folder of its own (`.data/soak`, on free ports), so it never touches
// `npm start`'s data. With EXCHANGE_URL, CATALOG_URL and OIDC_ISSUER set it drives a running
// instance instead (with the demo accounts; the processes are found by the ports they listen
// on, or named in SOAK_PIDS as `name=pid,…`).
//
// Settings: SOAK_MINUTES (10), SOAK_WARMUP_MINUTES (2, at most a fifth of the run),
// SOAK_SAMPLE_SECONDS (10), SOAK_CONCURRENCY (4 clients), SOAK_RESULTS (bench/RESULTS.md;
// `none` to skip writing). Exit status: 0 every process under the bar, 1 one over it, 2 failed.
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import {
  DISTRICTS,
  http,
  KEYS,
  namesRunningSystem,
  person,
  prepareScenario,
  runningSystem,
  startedSystem,
  Tokens,
  type Scenario,
  type System,
} from './systemUnderTest.ts';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string) => process.stdout.write(`[soak] ${line}\n`);
const GROWTH_BAR = 0.1;

interface Settings {
  minutes: number;
  warmupMinutes: number;
  sampleSeconds: number;
  concurrency: number;
  results: string | undefined;
}

function settings(env: NodeJS.ProcessEnv): Settings {
  const number = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min)
      throw new Error(`${name} must be a number ≥ ${min}`);
    return value;
  };
  const minutes = number('SOAK_MINUTES', 10, 0.5);
  return {
    minutes,
    warmupMinutes: Math.min(number('SOAK_WARMUP_MINUTES', 2, 0), minutes / 5),
    sampleSeconds: number('SOAK_SAMPLE_SECONDS', 10, 1),
    concurrency: Math.round(number('SOAK_CONCURRENCY', 4, 1)),
    results:
      env.SOAK_RESULTS === 'none'
        ? undefined
        : path.resolve(rootDir, env.SOAK_RESULTS ?? 'bench/RESULTS.md'),
  };
}

// ---------------------------------------------------------------------------------------------
// the load

const QUERIES = [
  '空气质量',
  '企业',
  '公交',
  '医疗机构',
  '学校',
  '人口',
  '社保',
  '气象',
  '交通',
  '文化',
];

interface OpStats {
  count: number;
  errors: number;
  statuses: Map<number, number>;
  latencies: number[];
}

class LoadStats {
  readonly ops = new Map<string, OpStats>();
  record(op: string, status: number, ms: number) {
    let s = this.ops.get(op);
    if (!s) this.ops.set(op, (s = { count: 0, errors: 0, statuses: new Map(), latencies: [] }));
    s.count += 1;
    if (status >= 500 || status === 0) s.errors += 1;
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    // a bounded reservoir is enough for percentiles and keeps the driver's own memory flat
    if (s.latencies.length < 50_000) s.latencies.push(ms);
    else s.latencies[Math.floor(Math.random() * 50_000)] = ms;
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One client: picks an operation by weight, calls, repeats until `until`. */
async function client(
  system: System,
  tokens: Tokens,
  scenario: Scenario,
  stats: LoadStats,
  until: number,
) {
  let round = 0;
  while (Date.now() < until) {
    const dice = Math.random();
    const started = performance.now();
    let op = '';
    let status = 0;
    try {
      if (dice < 0.3) {
        op = 'catalog search';
        const q = QUERIES[Math.floor(Math.random() * QUERIES.length)]!;
        status = (await http('GET', `${system.catalog}/v1/search?q=${encodeURIComponent(q)}`))
          .status;
      } else if (dice < 0.5 && scenario.openCode) {
        op = 'open-data preview';
        status = (
          await http(
            'GET',
            `${system.exchange}/v1/open/resources/${scenario.openCode}/preview?limit=20`,
          )
        ).status;
      } else if (dice < 0.8) {
        const token = await tokens.system('hz-rsj-system');
        const headers = { 'x-purpose': 'SOCIAL_SECURITY' };
        if (Math.random() < 0.5) {
          op = 'records by key';
          const key = scenario.keys[Math.floor(Math.random() * scenario.keys.length)]!;
          status = (
            await http('GET', `${system.exchange}/v1/grants/${scenario.grantId}/records/${key}`, {
              token,
              headers,
            })
          ).status;
        } else {
          op = 'records query';
          const filter = encodeURIComponent(
            JSON.stringify({ field: 'district', op: '=', value: DISTRICTS[round % 4] }),
          );
          status = (
            await http(
              'GET',
              `${system.exchange}/v1/grants/${scenario.grantId}/records?limit=50&filter=${filter}`,
              { token, headers },
            )
          ).status;
        }
      } else {
        op = 'ingestion';
        round += 1;
        const start = Math.floor(Math.random() * (KEYS - 20));
        // the same keys again with new values: load without growing the data without end
        const records = Array.from({ length: 20 }, (_, i) => person(start + i, round));
        status = (
          await http('POST', `${system.exchange}/v1/resources/${scenario.resourceCode}/records`, {
            token: await tokens.system('hz-gaj-system'),
            body: { records },
          })
        ).status;
      }
    } catch {
      status = 0;
    }
    stats.record(op, status, performance.now() - started);
  }
}

// ---------------------------------------------------------------------------------------------
// memory

async function rssMb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kb = status && /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : undefined;
}

interface Sample {
  seconds: number;
  rss: Map<string, number>;
}

const median = (values: number[]) => percentile(values, 50);

interface Growth {
  name: string;
  pid: number;
  startMb: number;
  afterWarmupMb: number;
  endMb: number;
  peakMb: number;
  /** median of the last third after the warm-up ÷ median of the first third − 1 */
  growth: number;
  /** the same with the lowest sample of each third (after a collection) */
  floorGrowth: number;
  perMinute: number[];
}

/**
 * Growth after the warm-up: the median RSS of the first third of the samples after it against
 * the median of the last third. A Node process's RSS is a saw-tooth (the heap grows until a
 * major collection, then falls back, by up to a third here): comparing single samples, or the
 * last few, measures where in a tooth the run happened to stop. A leak lifts the whole band,
 * which moves the medians of the thirds; so does the floor (the lowest sample of each third,
 * right after a collection), reported beside it.
 */
function growthOf(
  samples: Sample[],
  processes: Map<string, number>,
  warmupSeconds: number,
): Growth[] {
  return [...processes].map(([name, pid]) => {
    const series = samples
      .filter((s) => s.rss.has(name))
      .map((s) => ({ t: s.seconds, mb: s.rss.get(name)! }));
    const after = series.filter((s) => s.t >= warmupSeconds).map((s) => s.mb);
    const third = Math.max(1, Math.floor(after.length / 3));
    const first = after.slice(0, third);
    const last = after.slice(-third);
    const base = median(first);
    const end = median(last);
    return {
      name,
      pid,
      startMb: series[0]?.mb ?? 0,
      afterWarmupMb: base,
      endMb: end,
      peakMb: Math.max(...series.map((s) => s.mb)),
      growth: base > 0 ? (end - base) / base : 0,
      floorGrowth: Math.min(...first) > 0 ? Math.min(...last) / Math.min(...first) - 1 : 0,
      perMinute: perMinute(series),
    };
  });
}

/** the sample nearest each whole minute: the shape of the curve, for the report */
function perMinute(series: { t: number; mb: number }[]): number[] {
  const out: number[] = [];
  for (let minute = 0; series.length > 0; minute += 1) {
    const at = minute * 60;
    if (at > series.at(-1)!.t + 5) break;
    const nearest = series.reduce((a, b) => (Math.abs(b.t - at) < Math.abs(a.t - at) ? b : a));
    out.push(nearest.mb);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// report

const fmt = (n: number, digits = 1) => n.toFixed(digits);

function section(options: {
  settings: Settings;
  mode: string;
  durationSeconds: number;
  stats: LoadStats;
  growth: Growth[];
  loadAverage: string;
  samples: number;
}): string {
  const { settings: s, stats, growth } = options;
  const total = [...stats.ops.values()].reduce((n, o) => n + o.count, 0);
  const errors = [...stats.ops.values()].reduce((n, o) => n + o.errors, 0);
  const lines = [
    '<!-- soak:start -->',
    '## soak',
    '',
    `Date: ${new Date().toISOString().slice(0, 10)}. Machine: ${os.cpus().length} cores (\`${os.cpus()[0]?.model.trim() ?? 'unknown'}\`), Node ${process.version}, ${options.mode}; load average ${options.loadAverage} at the start.`,
    '',
    `\`SOAK_MINUTES=${s.minutes} npm run soak\`: ${s.concurrency} clients in one driver process for ${fmt(options.durationSeconds / 60)} min (warm-up ${fmt(s.warmupMinutes)} min), RSS of each service process sampled every ${s.sampleSeconds} s (${options.samples} samples). Load mix: catalog search 30 %, open-data preview 20 %, records API under a grant with a system token 30 % (by key and filtered query), ingestion of 20-record upserts over a fixed set of ${KEYS} keys 20 %.`,
    '',
    `${total} requests, ${fmt(total / options.durationSeconds, 0)} req/s, ${errors} answered 5xx or failed.`,
    '',
    '| operation | requests | 5xx / failed | p50 ms | p95 ms | statuses |',
    '| --------- | -------: | -----------: | -----: | -----: | -------- |',
    ...[...stats.ops]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([op, o]) =>
          `| ${op} | ${o.count} | ${o.errors} | ${fmt(percentile(o.latencies, 50))} | ${fmt(percentile(o.latencies, 95))} | ${[...o.statuses].map(([k, v]) => `${k}: ${v}`).join(', ')} |`,
      ),
    '',
    'Growth compares the median RSS of the first third of the samples after the warm-up with the median of the last third (RSS is a saw-tooth of heap growth and collections; single samples say more about the phase than the trend); the floor is the lowest sample of each third.',
    '',
    '| process | RSS at start MB | first third median MB | last third median MB | peak MB | growth | floor growth | bar (< 10 %) |',
    '| ------- | --------------: | --------------------: | -------------------: | ------: | -----: | -----------: | ------------ |',
    ...growth.map(
      (g) =>
        `| ${g.name} | ${fmt(g.startMb)} | ${fmt(g.afterWarmupMb)} | ${fmt(g.endMb)} | ${fmt(g.peakMb)} | ${fmt(g.growth * 100)} % | ${fmt(g.floorGrowth * 100)} % | ${g.growth < GROWTH_BAR ? 'fits' : '**over**'} |`,
    ),
    '',
    `RSS (MB) at each minute: ${growth.map((g) => `${g.name} ${g.perMinute.map((mb) => fmt(mb, 0)).join(' → ')}`).join('; ')}.`,
    '',
    '```',
    `SOAK_RESULT ${JSON.stringify({
      minutes: Number(fmt(options.durationSeconds / 60, 2)),
      requests: total,
      errors,
      growth: Object.fromEntries(growth.map((g) => [g.name, Number(fmt(g.growth * 100, 2))])),
    })}`,
    '```',
    '<!-- soak:end -->',
  ];
  return lines.join('\n');
}

/** Replace the soak section (between its markers) or append it; the rest of the file stays. */
async function writeSection(file: string, text: string) {
  const current = await readFile(file, 'utf8').catch(() => '# Benchmark results\n');
  const pattern = /<!-- soak:start -->[\s\S]*?<!-- soak:end -->/;
  const next = pattern.test(current)
    ? current.replace(pattern, text)
    : `${current.trimEnd()}\n\n${text}\n`;
  // the file is checked by `prettier --check .` in `npm run lint`: write it the way prettier would
  const options = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(next, { ...options, parser: 'markdown' }));
}

async function main(): Promise<number> {
  const s = settings(process.env);
  const external = namesRunningSystem(process.env);
  const system = external
    ? await runningSystem(process.env)
    : await startedSystem({ dataDir: '.data/soak', say });
  try {
    if (system.processes.size === 0)
      throw new Error('no service process found to watch (set SOAK_PIDS=name=pid,…)');
    say(`watching ${[...system.processes].map(([n, p]) => `${n} (pid ${p})`).join(', ')}`);
    const tokens = new Tokens(system.issuer);
    const scenario = await prepareScenario(system, tokens);
    say(
      `resource ${scenario.resourceCode}, grant ${scenario.grantId}, open resource ${scenario.openCode ?? '(none found: no previews)'}`,
    );
    const loadAverage = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ');
    const stats = new LoadStats();
    const samples: Sample[] = [];
    const started = Date.now();
    const until = started + s.minutes * 60_000;
    const sample = async () => {
      const rss = new Map<string, number>();
      for (const [name, pid] of system.processes) {
        const mb = await rssMb(pid);
        if (mb !== undefined) rss.set(name, mb);
      }
      samples.push({ seconds: (Date.now() - started) / 1000, rss });
    };
    await sample();
    const sampler = setInterval(() => {
      void sample().then(() => {
        const last = samples.at(-1)!;
        const requests = [...stats.ops.values()].reduce((n, o) => n + o.count, 0);
        say(
          `${fmt(last.seconds / 60)} min: ${requests} requests; RSS ${[...last.rss].map(([n, mb]) => `${n} ${fmt(mb)} MB`).join(', ')}`,
        );
      });
    }, s.sampleSeconds * 1000);
    await Promise.all(
      Array.from({ length: s.concurrency }, () => client(system, tokens, scenario, stats, until)),
    );
    clearInterval(sampler);
    await sample();
    const durationSeconds = (Date.now() - started) / 1000;
    const growth = growthOf(samples, system.processes, s.warmupMinutes * 60);
    const text = section({
      settings: s,
      mode: external ? 'a running instance' : 'started on its embedded defaults (portal off)',
      durationSeconds,
      stats,
      growth,
      loadAverage,
      samples: samples.length,
    });
    process.stdout.write(`\n${text}\n`);
    if (s.results) {
      await writeSection(s.results, text);
      say(`written into ${path.relative(rootDir, s.results)}`);
    }
    return growth.every((g) => g.growth < GROWTH_BAR) ? 0 : 1;
  } finally {
    await system.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `soak failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
