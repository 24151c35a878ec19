// `npm run restore -- --in <file> [--database-url <url>] [--replace]`: restore a backup made by
// `npm run backup` into a fresh database, then walk the evidence chain of the result.
// Database: --database-url, else DATABASE_URL, else the embedded one under DATA_DIR (initialised
// when absent, so a backup can be restored on a fresh clone). The database is created when
// missing; one that already holds tables is only replaced with --replace. Nobody else may be
// connected to it: stop the services (`npm start`) first.
// Exit status: 0 restored and the chain intact, 1 restored but the chain broken, 2 not restored.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { redactUrl } from '@gx/platform';
import { verifyEvidenceChain } from '../exchange-api/src/domain/evidence/verifyEvidenceChain.ts';
import { embeddedDataDir, loadBackupConfig } from './backupConfig.ts';
import {
  databaseName,
  findClientProgram,
  libpqEnvironment,
  resolveDatabase,
  runClientProgram,
  withDatabase,
} from './pgTools.ts';

const EXIT_BROKEN = 1;
const EXIT_FAILED = 2;
const say = (line: string) => process.stdout.write(`${line}\n`);
const USAGE = 'usage: npm run restore -- --in <file> [--database-url postgresql://…] [--replace]';

class RefusedError extends Error {}

/** How long a backend whose client has just disconnected may take to leave pg_stat_activity. */
const CLOSING_GRACE_MS = 5_000;

/**
 * Connections to database `name` other than this one. A client that has just closed its
 * connection (a service stopped a moment ago, `npm run evidence:verify` that has just exited)
 * can leave its backend listed for a few milliseconds while it exits: the count is taken again
 * until it is zero or CLOSING_GRACE_MS have passed, so only connections that stay open refuse.
 */
async function openConnections(admin: pg.Client, name: string): Promise<number> {
  const deadline = Date.now() + CLOSING_GRACE_MS;
  for (;;) {
    const { rows } = await admin.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [name],
    );
    const open = Number(rows[0]?.n);
    if (open === 0 || Date.now() >= deadline) return open;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Make `url`'s database an empty one. The maintenance database `postgres` of the same server is
 * used to create or drop it, so the role needs CREATEDB (the embedded `postgres` role has it).
 */
async function prepareDatabase(url: string, replace: boolean): Promise<void> {
  const name = databaseName(url);
  const admin = new pg.Client({
    connectionString: withDatabase(url, 'postgres'),
    application_name: 'gx-restore',
  });
  await admin.connect();
  try {
    const ident = admin.escapeIdentifier(name);
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]))
      .rowCount;
    if (exists) {
      const open = await openConnections(admin, name);
      if (open > 0)
        throw new RefusedError(
          `database ${name} has ${open} open connection(s): stop the services first`,
        );
      const target = new pg.Client({ connectionString: url });
      await target.connect();
      const tables = await target
        .query<{ n: string }>(
          `SELECT count(*)::text AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
        )
        .finally(() => target.end());
      if (Number(tables.rows[0]?.n) === 0) return;
      if (!replace)
        throw new RefusedError(
          `database ${name} is not empty: restore into a new database, or pass --replace to drop it first`,
        );
      say(`dropping database ${name} (--replace)`);
      await admin.query(`DROP DATABASE ${ident}`);
    }
    // UTF-8 character classes make pg_trgm and full-text search see CJK text as letters (as
    // the embedded cluster is initialised); a server without the C.UTF-8 locale gets its default
    try {
      await admin.query(
        `CREATE DATABASE ${ident} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`,
      );
    } catch {
      await admin.query(`CREATE DATABASE ${ident} TEMPLATE template0 ENCODING 'UTF8'`);
    }
    say(`created database ${name}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      in: { type: 'string' },
      'database-url': { type: 'string' },
      replace: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.in) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT_FAILED;
  }
  const file = path.resolve(values.in);
  if (!existsSync(file)) {
    process.stderr.write(`no such backup file: ${file}\n`);
    return EXIT_FAILED;
  }
  const env = { ...process.env };
  if (values['database-url']) env.DATABASE_URL = values['database-url'];
  const config = loadBackupConfig('restore', env);
  const target = await resolveDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: embeddedDataDir(config),
    port: config.EMBEDDED_PG_PORT,
    create: true,
  });
  if (!target) throw new Error('no database to restore into');
  try {
    say(
      `database: ${target.description === 'DATABASE_URL' ? redactUrl(target.url) : target.description}`,
    );
    await prepareDatabase(target.url, values.replace ?? false);
    const pgRestore = await findClientProgram('pg_restore');
    const started = Date.now();
    // one transaction: a restore that fails half-way leaves an empty database, not half a one.
    // Ownership and grants are the source server's: the target's role owns everything instead.
    await runClientProgram(
      pgRestore,
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        '--no-password',
        `--dbname=${databaseName(target.url)}`,
        file,
      ],
      libpqEnvironment(target.url),
    );
    say(`restored ${file} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      const present = await client.query<{ present: boolean }>(
        `SELECT to_regclass('evidence_entries') IS NOT NULL AS present`,
      );
      if (!present.rows[0]?.present) {
        say('the restored database has no evidence log: nothing to verify');
        return 0;
      }
      const result = await verifyEvidenceChain(client);
      if (result.ok) {
        say(
          `evidence chain intact: ${result.entries} entries, head seq ${result.head.seq} hash ${result.head.hash}`,
        );
        return 0;
      }
      say(
        `evidence chain BROKEN at seq ${result.firstBroken.seq}: ${result.firstBroken.problem}: ${result.firstBroken.reason}`,
      );
      return EXIT_BROKEN;
    } finally {
      await client.end().catch(() => undefined);
    }
  } finally {
    await target.embedded?.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `restore failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = EXIT_FAILED;
  },
);
