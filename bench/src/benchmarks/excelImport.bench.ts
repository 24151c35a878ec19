/**
 * excelImport: importing a 10 000-row directory workbook (2 000 resources × 5 information
 * items = 10 000 rows in 信息项, plus 2 000 rows in 信息资源) into a fresh database through
 * `importWorkbook` — every cell checked, every resource written through createResource in one
 * transaction — against raw multi-row INSERTs of the same resources and items in the same run.
 * Each run is its own process (its peak RSS is its own) on its own fresh database cloned from a
 * migrated, seeded template, on embedded PostgreSQL under .data/bench/excelImport.
 *
 * figure   = import seconds (median of the rounds)
 * baseline = raw INSERT seconds (median)
 * ratio    = figure ÷ baseline
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDatabase, EmbeddedPostgres, runMigrations, seedDemo } from '@gx/platform';
import { formatTable, median, reportResult, round, type BenchResult } from '../report.ts';
import { generateResources, writeBenchWorkbook } from '../excelWorkbookGenerator.ts';

const NAME = 'excelImport';
const RESOURCES = 2_000;
const ITEMS_PER_RESOURCE = 5;
const ROUNDS = 3;
const MODES = ['insert', 'parse', 'import'] as const;
type Mode = (typeof MODES)[number];

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.join(repoRoot, '.data/bench/excelImport');
const childScript = fileURLToPath(new URL('../excelImportChild.ts', import.meta.url));

interface ChildResult {
  mode: Mode;
  ms: number;
  rows: number;
  startRssMb: number;
  peakRssMb: number;
  addedHeapMb: number;
  maxRssMb: number;
  fileBytes: number;
}

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

function runChild(mode: Mode, url: string, workbook: string): Promise<ChildResult> {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      childScript,
      mode,
      url,
      workbook,
      String(RESOURCES),
      String(ITEMS_PER_RESOURCE),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('EXCEL_CHILD '));
      if (code !== 0 || !line) {
        reject(new Error(`${mode} run exited with ${code}: ${output.slice(-500)}`));
        return;
      }
      resolve(JSON.parse(line.slice('EXCEL_CHILD '.length)) as ChildResult);
    });
  });
}

async function main(): Promise<BenchResult> {
  const started = Date.now();
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: await freePort(),
    database: 'postgres',
  });
  await server.start();
  try {
    // a migrated database with the demo organisation, cloned for every run
    await server.createDatabase('excel_template');
    const client = new pg.Client({ connectionString: server.url('excel_template') });
    await client.connect();
    await runMigrations({ client });
    await client.end();
    const seeding = createDatabase({ url: server.url('excel_template'), max: 2 });
    await seedDemo(seeding.pool);
    await seeding.close();

    const workbook = path.join(dataDir, 'directory-10000-items.xlsx');
    const generating = Date.now();
    await writeBenchWorkbook(workbook, generateResources(RESOURCES, ITEMS_PER_RESOURCE));
    const fileBytes = (await stat(workbook)).size;
    process.stdout.write(
      `generated ${workbook}: ${RESOURCES} resources × ${ITEMS_PER_RESOURCE} items ` +
        `(${(fileBytes / 1024).toFixed(0)} KB) in ${Date.now() - generating} ms\n`,
    );

    const results: Record<Mode, ChildResult[]> = { insert: [], parse: [], import: [] };
    const table: string[][] = [];
    let n = 0;
    for (let r = 1; r <= ROUNDS; r += 1) {
      for (const mode of MODES) {
        n += 1;
        const database = `excel_run_${n}`;
        await server.createDatabase(database, 'excel_template');
        const result = await runChild(mode, server.url(database), workbook);
        results[mode].push(result);
        table.push([
          String(r),
          mode,
          (result.ms / 1000).toFixed(2),
          String(result.rows),
          (result.rows / (result.ms / 1000)).toFixed(0),
          result.startRssMb.toFixed(0),
          result.peakRssMb.toFixed(0),
          (result.peakRssMb - result.startRssMb).toFixed(0),
          result.addedHeapMb.toFixed(0),
        ]);
        process.stdout.write(`round ${r} ${mode}: ${(result.ms / 1000).toFixed(2)} s\n`);
      }
    }

    const med = (mode: Mode) => ({
      seconds: median(results[mode].map((x) => x.ms / 1000)),
      peakRssMb: median(results[mode].map((x) => x.peakRssMb)),
      addedRssMb: median(results[mode].map((x) => x.peakRssMb - x.startRssMb)),
      addedHeapMb: median(results[mode].map((x) => x.addedHeapMb)),
      rowsPerSecond: median(results[mode].map((x) => x.rows / (x.ms / 1000))),
    });
    const insert = med('insert');
    const parse = med('parse');
    const imported = med('import');
    const ratio = imported.seconds / insert.seconds;

    process.stdout.write(
      `\n${NAME}: ${RESOURCES} resources × ${ITEMS_PER_RESOURCE} items ` +
        `(${RESOURCES * ITEMS_PER_RESOURCE} item rows + ${RESOURCES} resource rows, ` +
        `${(fileBytes / 1024).toFixed(0)} KB), ${ROUNDS} rounds, each run its own process and ` +
        `fresh database (${os.availableParallelism()} cores, Node ${process.version})\n\n`,
    );
    process.stdout.write(
      formatTable(
        [
          'round',
          'run',
          'seconds',
          'rows',
          'rows/s',
          'start RSS MB',
          'peak RSS MB',
          'added RSS MB',
          'added heap MB',
        ],
        table,
      ),
    );
    process.stdout.write('\nmedians\n');
    process.stdout.write(
      formatTable(
        ['run', 'seconds', 'rows/s', 'peak RSS MB', 'added RSS MB', 'added heap MB'],
        (
          [
            ['raw INSERT (baseline)', insert],
            ['parse + check only', parse],
            ['importWorkbook', imported],
          ] as const
        ).map(([label, m]) => [
          label,
          m.seconds.toFixed(2),
          m.rowsPerSecond.toFixed(0),
          m.peakRssMb.toFixed(0),
          m.addedRssMb.toFixed(0),
          m.addedHeapMb.toFixed(0),
        ]),
      ),
    );
    process.stdout.write(
      `\nimport ÷ raw INSERT = ${ratio.toFixed(1)}; reading and checking is ` +
        `${((parse.seconds / imported.seconds) * 100).toFixed(0)} % of the import; ` +
        `took ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`,
    );

    return {
      name: NAME,
      figure: round(imported.seconds, 2),
      baseline: round(insert.seconds, 3),
      ratio: round(ratio, 2),
      unit: 's to import 10 000 item rows',
      details: {
        resources: RESOURCES,
        itemsPerResource: ITEMS_PER_RESOURCE,
        sheetRows: RESOURCES + RESOURCES * ITEMS_PER_RESOURCE,
        fileBytes,
        rounds: ROUNDS,
        import: {
          seconds: round(imported.seconds, 2),
          rowsPerSecond: round(imported.rowsPerSecond, 0),
          peakRssMb: round(imported.peakRssMb, 0),
          addedRssMb: round(imported.addedRssMb, 0),
          addedHeapMb: round(imported.addedHeapMb, 0),
        },
        parseOnly: {
          seconds: round(parse.seconds, 2),
          peakRssMb: round(parse.peakRssMb, 0),
          addedRssMb: round(parse.addedRssMb, 0),
          addedHeapMb: round(parse.addedHeapMb, 0),
        },
        rawInsert: {
          seconds: round(insert.seconds, 3),
          peakRssMb: round(insert.peakRssMb, 0),
          addedRssMb: round(insert.addedRssMb, 0),
          addedHeapMb: round(insert.addedHeapMb, 0),
        },
        importRuns: results.import.map((x) => round(x.ms / 1000, 2)),
        cores: os.availableParallelism(),
        node: process.version,
        loadAverage: round(os.loadavg()[0]!, 2),
      },
    };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(reportResult, (error: unknown) => {
  process.stderr.write(`${NAME} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
