/**
 * `npm run bench [-- <name>...]`: run every `benchmarks/*.bench.ts` (or those whose name contains
 * one of the given words) one after another, each in its own `node --import tsx` process, echo
 * its output, collect its `BENCH_RESULT` line and print a summary. Exits non-zero when a
 * benchmark fails, prints no result, or no benchmark matches.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, parseResult, type BenchResult } from './report.ts';

const SUFFIX = '.bench.ts';
/** a benchmark that runs longer than this is killed and counted as failed */
const TIMEOUT_MS = 20 * 60_000;

const benchmarksDir = fileURLToPath(new URL('./benchmarks/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface Outcome {
  name: string;
  result?: BenchResult;
  error?: string;
  seconds: number;
}

function discover(filters: readonly string[]): string[] {
  const names = readdirSync(benchmarksDir)
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => file.slice(0, -SUFFIX.length))
    .sort();
  if (filters.length === 0) return names;
  const wanted = filters.map((f) => f.toLowerCase());
  return names.filter((name) => wanted.some((f) => name.toLowerCase().includes(f)));
}

function run(name: string): Promise<Outcome> {
  const started = Date.now();
  const file = path.join(benchmarksDir, `${name}${SUFFIX}`);
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let result: BenchResult | undefined;
  let pending = '';
  const scan = (line: string) => {
    result = parseResult(line) ?? result;
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    process.stdout.write(chunk);
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(scan);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, TIMEOUT_MS);

  return new Promise<Outcome>((resolve) => {
    const done = (error?: string) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      resolve(error ? { name, error, seconds } : { name, result, seconds });
    };
    child.on('error', (error) => done(error.message));
    child.on('close', (code, signal) => {
      if (pending) scan(pending);
      if (timedOut) done(`timed out after ${TIMEOUT_MS / 1000} s`);
      else if (code !== 0) done(`exited with ${signal ?? `code ${code}`}`);
      else if (!result) done('printed no valid BENCH_RESULT line');
      else if (result.name !== name) done(`reported name "${result.name}", expected "${name}"`);
      else done();
    });
  });
}

function fmt(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2).filter((arg) => arg !== '--');
  const names = discover(filters);
  if (names.length === 0) {
    process.stderr.write(
      `no benchmark matches ${filters.join(', ')}; available: ${discover([]).join(', ')}\n`,
    );
    return 1;
  }

  const outcomes: Outcome[] = [];
  for (const name of names) {
    process.stdout.write(`\n=== ${name} ===\n`);
    const outcome = await run(name);
    outcomes.push(outcome);
    if (outcome.error) process.stderr.write(`${name} FAILED: ${outcome.error}\n`);
  }

  process.stdout.write('\n=== summary ===\n');
  process.stdout.write(
    formatTable(
      ['benchmark', 'figure', 'baseline', 'ratio', 'unit', 'seconds'],
      outcomes.map(({ name, result, error, seconds }) =>
        result && !error
          ? [
              name,
              fmt(result.figure),
              fmt(result.baseline),
              fmt(result.ratio),
              result.unit,
              seconds.toFixed(1),
            ]
          : [name, 'FAILED', '', '', error ?? '', seconds.toFixed(1)],
      ),
    ),
  );
  const failed = outcomes.filter((o) => o.error).length;
  if (failed > 0) process.stderr.write(`${failed} of ${outcomes.length} benchmark(s) failed\n`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
