import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@gx/platform/testing';
import { eventually, processesMatching } from './processes.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATA_DIR = path.join(ROOT, '.data', 'test', `start-${process.pid}`);
const PGDATA = path.join(DATA_DIR, 'postgres', 'pgdata');

interface Launch {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

let ports: Record<
  'EMBEDDED_PG_PORT' | 'EXCHANGE_API_PORT' | 'CATALOG_PORT' | 'CONNECTORS_PORT' | 'IDENTITY_PORT',
  number
>;

function launch(): Launch {
  // detached: the launcher leads its own process group, as `npm start` does in a terminal,
  // so that a Ctrl-C can be simulated by signalling the whole group
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR,
      LOG_LEVEL: 'warn',
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    },
  });
  let text = '';
  child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => text, exited };
}

async function untilReady(run: Launch) {
  const output = await eventually(
    async () => run.output(),
    (text) => text.includes('press Ctrl-C to stop') || text.includes('failed'),
    90_000,
  );
  expect(output).toContain('press Ctrl-C to stop');
}

const servicePorts = () => [
  ports.IDENTITY_PORT,
  ports.EXCHANGE_API_PORT,
  ports.CATALOG_PORT,
  ports.CONNECTORS_PORT,
];

async function databaseUrl(): Promise<string> {
  const { user, password } = JSON.parse(
    await readFile(path.join(DATA_DIR, 'postgres', 'credentials.json'), 'utf8'),
  ) as { user: string; password: string };
  return `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${ports.EMBEDDED_PG_PORT}/gov_exchange`;
}

/** Nothing of this run may be left: no PostgreSQL on its data folder, no service on its ports. */
async function leftovers(): Promise<number[]> {
  const pids = await processesMatching(PGDATA);
  for (const port of servicePorts()) pids.push(...(await processesMatching(`PORT=${port}`)));
  return pids;
}

describe('npm start', () => {
  beforeAll(async () => {
    ports = {
      EMBEDDED_PG_PORT: await freePort(),
      EXCHANGE_API_PORT: await freePort(),
      CATALOG_PORT: await freePort(),
      CONNECTORS_PORT: await freePort(),
      IDENTITY_PORT: await freePort(),
    };
    await mkdir(DATA_DIR, { recursive: true });
  });

  afterAll(async () => {
    for (const pid of await leftovers()) process.kill(pid, 'SIGKILL');
    await rm(DATA_DIR, { recursive: true, force: true });
  });

  it('starts PostgreSQL, migrates, serves every service, and Ctrl-C leaves nothing running', async () => {
    const run = launch();
    await untilReady(run);
    expect(run.output()).toMatch(/initialising PostgreSQL cluster/);
    expect(run.output()).toMatch(/applied migration 20261121000000_organisation/);
    expect(run.output()).toMatch(/demo data seeded/);
    for (const port of servicePorts()) {
      expect(run.output()).toContain(`http://127.0.0.1:${port}`);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    }
    const client = new pg.Client({ connectionString: await databaseUrl() });
    await client.connect();
    const { rows } = await client.query<{ lc_ctype: string; encoding: string }>(
      `SELECT current_setting('lc_ctype') AS lc_ctype, pg_encoding_to_char(encoding) AS encoding
         FROM pg_database WHERE datname = current_database()`,
    );
    expect(rows[0]).toEqual({ lc_ctype: 'C.UTF-8', encoding: 'UTF8' });
    await client.query(
      `INSERT INTO regions (code, name, level) VALUES ('440000000000', '广东省', 'province')`,
    );
    await client.end();

    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exited).toBe(0);
    expect(await leftovers()).toEqual([]);
  });

  it('reuses the data on the next start, and SIGTERM stops it cleanly', async () => {
    const run = launch();
    await untilReady(run);
    expect(run.output()).not.toMatch(/initialising PostgreSQL cluster/);
    expect(run.output()).toContain('database schema is up to date');
    const client = new pg.Client({ connectionString: await databaseUrl() });
    await client.connect();
    const { rows } = await client.query(`SELECT name FROM regions WHERE code = '440000000000'`);
    await client.end();
    expect(rows).toEqual([{ name: '广东省' }]);
    expect(run.output()).not.toMatch(/demo data seeded/);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(await leftovers()).toEqual([]);
  });

  it('leaves no orphan when the launcher itself is killed with SIGKILL, and starts again', async () => {
    const crashed = launch();
    await untilReady(crashed);
    expect((await processesMatching(PGDATA)).length).toBeGreaterThan(0);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    expect(await eventually(leftovers, (pids) => pids.length === 0, 20_000)).toEqual([]);

    const again = launch();
    await untilReady(again);
    for (const port of servicePorts()) {
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    }
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a bad setting with a message naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, DATA_DIR, CATALOG_PORT: 'abc' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(78);
    expect(stderr).toContain('CATALOG_PORT must be integer, got "abc"');
  });
});
