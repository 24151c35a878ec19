import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePolicy, type FieldType } from '@gx/exchange-api';
import { freePort } from '@gx/platform/testing';
import { eventually, processesMatching } from './processes.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
/**
 * A test that launches: a first start seeds the demo city (15–40 s on a quiet machine, 140 s
 * seen beside other test runs on two cores) before the services start, and builds the portal
 * (`next build`, 30–90 s, unless this run's portal tests already built the same sources), so the
 * default 30 s is too short; untilReady allows 360 s itself, and returns at once when the
 * launcher fails.
 */
const LAUNCH_TIMEOUT_MS = 420_000;
const DATA_DIR = path.join(ROOT, '.data', 'test', `start-${process.pid}`);
const PGDATA = path.join(DATA_DIR, 'postgres', 'pgdata');

interface Launch {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

let ports: Record<
  | 'EMBEDDED_PG_PORT'
  | 'EXCHANGE_API_PORT'
  | 'CATALOG_PORT'
  | 'CONNECTORS_PORT'
  | 'IDENTITY_PORT'
  | 'PORTAL_PORT',
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
    // the launcher's own failure, not a service's warning that says "failed"
    (text) => text.includes('press Ctrl-C to stop') || text.includes('[start] failed'),
    360_000,
  );
  expect(output).toContain('press Ctrl-C to stop');
}

const servicePorts = () => [
  ports.IDENTITY_PORT,
  ports.EXCHANGE_API_PORT,
  ports.CATALOG_PORT,
  ports.CONNECTORS_PORT,
  ports.PORTAL_PORT,
];

async function databaseUrl(): Promise<string> {
  const { user, password } = JSON.parse(
    await readFile(path.join(DATA_DIR, 'postgres', 'credentials.json'), 'utf8'),
  ) as { user: string; password: string };
  return `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${ports.EMBEDDED_PG_PORT}/gov_exchange`;
}

/** One query on one of the run's databases (the platform's or a demo department's). */
async function query<T extends pg.QueryResultRow>(
  database: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const url = (await databaseUrl()).replace(/\/gov_exchange$/, `/${database}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The connector demo's two tables as their departments see them: 市场监督管理局's registrations
 * and 税务局's received copy, in the columns the tax side holds, by credit code.
 */
async function demoTables() {
  const columns = await query<{ column_name: string }>(
    'gx_demo_swj',
    `SELECT column_name FROM information_schema.columns
      WHERE table_name = 'enterprise_registrations_from_scjg' ORDER BY ordinal_position`,
  );
  const list = columns.map((c) => `"${c.column_name}"`).join(', ');
  const [registrations, received] = await Promise.all([
    query('gx_demo_scjg', `SELECT ${list} FROM enterprise_registrations ORDER BY credit_code`),
    query(
      'gx_demo_swj',
      `SELECT ${list} FROM enterprise_registrations_from_scjg ORDER BY credit_code`,
    ),
  ]);
  return { registrations, received };
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
      PORTAL_PORT: await freePort(),
    };
    await mkdir(DATA_DIR, { recursive: true });
  });

  afterAll(async () => {
    for (const pid of await leftovers()) process.kill(pid, 'SIGKILL');
    await rm(DATA_DIR, { recursive: true, force: true });
  });

  it(
    'starts PostgreSQL, migrates, serves every service, and Ctrl-C leaves nothing running',
    async () => {
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

      // the connector demo: 市场监督管理局's registrations reach 税务局's table through the
      // exchange, and the registration system keeps registering (one new enterprise at once)
      expect(run.output()).toMatch(/connector demo seeded: 300 registrations in gx_demo_scjg/);
      expect(run.output()).toContain(`http://127.0.0.1:${ports.CONNECTORS_PORT}/metrics`);
      // 企业登记信息 is 有条件共享: 税务局's request was approved by hz-scjg's approver with the
      // legal representative masked; the tax table holds the registrations as the grant shapes them
      const [grant] = await query<{
        policy: { fields: string[]; masks?: Record<string, { kind: string }> };
        pseudonym_key: Buffer;
        resource_id: string;
        decided_by: string;
      }>(
        'gov_exchange',
        `SELECT g.policy, g.pseudonym_key, g.resource_id, r.decided_by FROM connectors c
         JOIN grants g ON g.id = c.grant_id JOIN sharing_requests r ON r.id = g.request_id
        WHERE c.name = 'swj-enterprises-out'`,
      );
      expect(grant!.decided_by).not.toBe('system');
      expect(grant!.policy.masks?.legal_representative?.kind).toBe('keep_first_last');
      const items = await query<{ name: string; data_type: FieldType }>(
        'gov_exchange',
        'SELECT name, data_type FROM information_items WHERE resource_id = $1',
        [grant!.resource_id],
      );
      const policy = compilePolicy(
        grant!.policy,
        Object.fromEntries(items.map((i) => [i.name, i.data_type])),
        grant!.pseudonym_key,
      );
      const masked = Object.keys(grant!.policy.masks ?? {});
      // what the grant lets 税务局 see of each registration
      const shaped = (rows: Record<string, unknown>[]) =>
        rows.map((row) => {
          const view = policy.shape(row);
          return { ...row, ...Object.fromEntries(masked.map((f) => [f, view[f] ?? null])) };
        });
      const demo = await eventually(
        demoTables,
        ({ registrations, received }) =>
          registrations.length > 300 && isDeepStrictEqual(received, shaped(registrations)),
        30_000,
      );
      expect(demo.registrations.length).toBeGreaterThan(300);
      expect(demo.received).toEqual(shaped(demo.registrations));
      expect(demo.received.every((r) => String(r.legal_representative).includes('*'))).toBe(true);
      expect(Object.keys(demo.received[0]!)).toEqual(grant!.policy.fields);
      const metrics = await (
        await fetch(`http://127.0.0.1:${ports.CONNECTORS_PORT}/metrics`)
      ).text();
      const out =
        /gx_connector_records_out_total\{connector="swj-enterprises-out"[^}]*\} (\d+)/.exec(
          metrics,
        );
      expect(Number(out?.[1])).toBeGreaterThanOrEqual(demo.received.length);

      process.kill(-run.child.pid!, 'SIGINT');
      expect(await run.exited).toBe(0);
      expect(await leftovers()).toEqual([]);
    },
    LAUNCH_TIMEOUT_MS,
  );

  it(
    'reuses the data on the next start, and SIGTERM stops it cleanly',
    async () => {
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
      // the connector demo runs on, seeded once: one request of 税务局, its two connectors
      expect(run.output()).not.toMatch(/connector demo seeded/);
      expect(run.output()).toMatch(/connector demo: /);
      const seeded = await query<{ requests: number; connectors: number }>(
        'gov_exchange',
        `SELECT (SELECT count(*)::int FROM sharing_requests r JOIN departments d ON d.id = r.consumer_id
                WHERE d.code = 'hz-swj') AS requests,
              (SELECT count(*)::int FROM connectors WHERE created_by = 'demo-seed') AS connectors`,
      );
      expect(seeded).toEqual([{ requests: 1, connectors: 2 }]);

      // a command run beside it with another port setting finds the running server (its
      // postmaster.pid says where) and leaves it running; before, it stopped it as a leftover
      const verify = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verifyEvidence.ts'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATA_DIR,
          EMBEDDED_PG_PORT: String(await freePort()),
        },
      });
      expect(verify.status, verify.stderr).toBe(0);
      expect(verify.stdout).toContain(`port ${ports.EMBEDDED_PG_PORT}`);
      for (const port of servicePorts())
        expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(await leftovers()).toEqual([]);
    },
    LAUNCH_TIMEOUT_MS,
  );

  it(
    'leaves no orphan when the launcher itself is killed with SIGKILL, and starts again',
    async () => {
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
    },
    LAUNCH_TIMEOUT_MS,
  );

  it(
    'restarts its PostgreSQL when it is killed (SIGKILL), keeps the data, and the services come back',
    async () => {
      const run = launch();
      await untilReady(run);
      await query(
        'gov_exchange',
        `INSERT INTO regions (code, name, level) VALUES ('450000000000', '广西壮族自治区', 'province')`,
      );
      const postmaster = Number(
        (await readFile(path.join(PGDATA, 'postmaster.pid'), 'utf8')).split('\n')[0],
      );
      // as the OOM killer would: the server and nothing else
      process.kill(postmaster, 'SIGKILL');

      const output = await eventually(
        async () => run.output(),
        (text) => text.includes('PostgreSQL restarted') || text.includes('could not be kept'),
        120_000,
      );
      expect(output).toContain(
        `PostgreSQL died (pid ${postmaster}, killed by SIGKILL); the services answer 503 until it ` +
          `is back; its log: ${path.join(DATA_DIR, 'postgres', 'postgres.log')}`,
      );
      expect(output).toMatch(
        /restarting PostgreSQL on port \d+ with the same data \(attempt 1 of 5\)/,
      );
      expect(output).toContain('PostgreSQL restarted; the services reconnect by themselves');
      // nothing was restarted but PostgreSQL: the same services answer again by themselves
      for (const port of servicePorts()) {
        const ready = await eventually(
          () =>
            fetch(`http://127.0.0.1:${port}/readyz`).then(
              (r) => r.status,
              () => 0,
            ),
          (status) => status === 200,
          120_000,
        );
        expect(ready, `readyz on ${port}`).toBe(200);
      }
      expect(run.child.exitCode).toBeNull();
      // what was committed before the kill, and the demo city, are there
      expect(
        await query('gov_exchange', `SELECT name FROM regions WHERE code = '450000000000'`),
      ).toEqual([{ name: '广西壮族自治区' }]);
      const [demo] = await query<{ n: number }>(
        'gov_exchange',
        `SELECT count(*)::int AS n FROM connectors WHERE created_by = 'demo-seed'`,
      );
      expect(demo!.n).toBe(2);

      process.kill(-run.child.pid!, 'SIGINT');
      expect(await run.exited).toBe(0);
      expect(await leftovers()).toEqual([]);
    },
    LAUNCH_TIMEOUT_MS,
  );

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
