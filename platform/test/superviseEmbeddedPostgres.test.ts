import net from 'node:net';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgres, runningServer } from '../src/db/EmbeddedPostgres.ts';
import {
  superviseEmbeddedPostgres,
  type EmbeddedPostgresSupervisor,
} from '../src/launcher/superviseEmbeddedPostgres.ts';
import { freePort, until } from '../src/testing/index.ts';

/**
 * `npm start`'s PostgreSQL dying under it, as the OOM killer does it (SIGKILL to the
 * postmaster), on a server of this file's own: the run's shared server cannot be killed.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = path.join(root, '.data', 'test', `supervise-${process.pid}`);
let port: number;
let messages: string[];
const log = (message: string) => messages.push(message);

function server() {
  return new EmbeddedPostgres({ dataDir, port, database: 'supervised', log });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const logged = (pattern: RegExp) =>
  until(`a log line matching ${pattern}`, async () => messages.find((m) => pattern.test(m)));

describe('superviseEmbeddedPostgres', () => {
  let supervisor: EmbeddedPostgresSupervisor | undefined;

  beforeAll(async () => {
    port = await freePort();
  });

  afterAll(async () => {
    await supervisor?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('restarts a server killed with SIGKILL on the same port, with every committed row', async () => {
    messages = [];
    const db = server();
    const givenUp: string[] = [];
    supervisor = superviseEmbeddedPostgres({
      server: db,
      log,
      backoffMs: () => 100,
      onGiveUp: (reason) => givenUp.push(reason),
    });
    const url = await db.start();
    await query(url, 'CREATE TABLE kept (n int)');
    await query(url, 'INSERT INTO kept VALUES (1), (2)');
    // a backend busy computing does not notice its server die, and holds the shared memory a
    // new server needs: the restart ends it instead of failing
    const busy = new pg.Client({ connectionString: url });
    await busy.connect();
    busy.on('error', () => undefined);
    // should the test fail, the orphan still ends by itself
    await busy.query("SET statement_timeout = '60s'");
    const running = busy
      .query('SELECT count(*) FROM generate_series(1, 10000000000)')
      .catch(() => undefined);
    await until('the busy query to run', async () => {
      const [row] = await query<{ n: number }>(
        url,
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%generate_series%' AND state = 'active' AND pid <> pg_backend_pid()`,
      );
      return row!.n > 0 ? true : undefined;
    });

    const pid = db.pid!;
    process.kill(pid, 'SIGKILL');

    await logged(/PostgreSQL restarted/);
    expect(messages).toContainEqual(
      `PostgreSQL died (pid ${pid}, killed by SIGKILL); the services answer 503 until it is back; its log: ${db.logFile}`,
    );
    expect(messages.join('\n')).toMatch(/waiting for 1 process\(es\) of the PostgreSQL server/);
    expect(db.pid).not.toBe(pid);
    expect((await runningServer(dataDir))?.port).toBe(port);
    // the same URL (port, credentials) reaches the restarted server, with what was committed
    expect(await query(url, 'SELECT n FROM kept ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
    expect(givenUp).toEqual([]);
    await running;
    await busy.end().catch(() => undefined);

    await supervisor.stop();
    supervisor = undefined;
    expect(await runningServer(dataDir)).toBeUndefined();
  }, 90_000);

  it('gives up, and says why, when the server cannot be started again', async () => {
    messages = [];
    const db = server();
    let givenUp: string | undefined;
    supervisor = superviseEmbeddedPostgres({
      server: db,
      log,
      maxRestarts: 2,
      backoffMs: () => 500,
      onGiveUp: (reason) => (givenUp = reason),
    });
    await db.start();
    process.kill(db.pid!, 'SIGKILL');
    await logged(/PostgreSQL died/);
    // something else takes the port meanwhile: every restart fails
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const reason = await until('the supervisor to give up', async () => givenUp, 60_000);
      expect(reason).toBe(
        `PostgreSQL could not be kept running: 2 restart(s) within 10 min did not last; its log: ${db.logFile}`,
      );
      expect(messages.filter((m) => m.startsWith('PostgreSQL restart failed'))).toHaveLength(2);
      expect(messages.join('\n')).toMatch(/could not bind IPv4 address "127\.0\.0\.1"/);
    } finally {
      squatter.close();
    }
    await supervisor.stop();
    supervisor = undefined;
    expect(await runningServer(dataDir)).toBeUndefined();
  }, 90_000);
});
