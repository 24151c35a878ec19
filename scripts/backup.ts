// `npm run backup -- --out <file> [--database-url <url>]`: dump the platform database in
// PostgreSQL's custom format (compressed, restorable table by table with pg_restore).
// Database: --database-url, else DATABASE_URL, else the embedded one under DATA_DIR (the running
// server of `npm start`, or started for the purpose and stopped again).
// Exit status: 0 written, 2 nothing written (bad arguments, no database, pg_dump failed).
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ConfigError, redactUrl } from '@gx/platform';
import { embeddedDataDir, loadBackupConfig } from './backupConfig.ts';
import {
  findClientProgram,
  libpqEnvironment,
  resolveDatabase,
  runClientProgram,
} from './pgTools.ts';

const EXIT_FAILED = 2;
const say = (line: string) => process.stdout.write(`${line}\n`);
const USAGE = 'usage: npm run backup -- --out <file> [--database-url postgresql://…]';

/** The evidence chain head at dump time: what `npm run evidence:verify` must show after a restore. */
async function evidenceHead(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ seq: string; hash: string }>(
      `SELECT seq::text AS seq, hash FROM evidence_chain_head WHERE id = 1`,
    );
    return rows[0] ? `seq ${rows[0].seq} hash ${rows[0].hash}` : undefined;
  } catch {
    return undefined; // a database without the evidence migration: nothing to report
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, 'database-url': { type: 'string' } },
    strict: true,
  });
  if (!values.out) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT_FAILED;
  }
  const env = { ...process.env };
  if (values['database-url']) env.DATABASE_URL = values['database-url'];
  const config = loadBackupConfig('backup', env);
  const target = await resolveDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: embeddedDataDir(config),
    port: config.EMBEDDED_PG_PORT,
  });
  if (!target) {
    process.stderr.write(
      `no DATABASE_URL and no embedded database under ${embeddedDataDir(config)}\n`,
    );
    return EXIT_FAILED;
  }
  const out = path.resolve(values.out);
  // written beside the target and renamed at the end: a failed dump never leaves a file that
  // looks like a backup
  const partial = `${out}.partial-${process.pid}`;
  try {
    say(
      `database: ${target.description === 'DATABASE_URL' ? redactUrl(target.url) : target.description}`,
    );
    const pgDump = await findClientProgram('pg_dump');
    const head = await evidenceHead(target.url);
    const started = Date.now();
    await runClientProgram(
      pgDump,
      ['--format=custom', '--compress=6', '--no-password', `--file=${partial}`],
      libpqEnvironment(target.url),
    );
    await rename(partial, out);
    const { size } = await stat(out);
    say(
      `backup written: ${out} (${(size / 1024 / 1024).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s, ${path.basename(pgDump)} ${pgDump})`,
    );
    if (head) say(`evidence chain head at backup time: ${head}`);
    return 0;
  } finally {
    await rm(partial, { force: true });
    await target.embedded?.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message =
      error instanceof ConfigError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`backup failed: ${message}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
