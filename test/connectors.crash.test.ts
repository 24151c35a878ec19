import type { ChildProcess } from 'node:child_process';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './harness.ts';
import { grantedPeopleResource, type GrantedResource } from './fixtures.ts';
import {
  departmentDatabases,
  forkConnectWorker,
  type DepartmentDatabases,
  peopleChecksumSql,
  peopleSinkConnector,
  peopleSourceConnector,
  peopleTable,
  RSJ_PEOPLE_TABLE,
} from './connectorFixtures.ts';

/**
 * DESIGN §5: "a crash anywhere loses nothing and duplicates nothing at the sink". A million
 * rows go from 公安局's database through the whole pipeline (source, raw stream, enforcement,
 * delivery stream, sink) into 人社局's database while the worker process is killed with
 * SIGKILL at random moments; afterwards the sink holds exactly the source's rows.
 */
const ROWS = Number(process.env.CRASH_TEST_ROWS ?? 1_000_000);
const KILLS = 3;
const LEASE_MS = 2_000;

let h: Harness;
let granted: GrantedResource;
let dbs: DepartmentDatabases;
let sourcePool: pg.Pool;
let sinkPool: pg.Pool;
const children = new Set<ChildProcess>();

async function startWorker(): Promise<ChildProcess> {
  const { child } = await forkConnectWorker(
    {
      DATABASE_URL: h.testDb.url,
      CONNECT_LEASE_MS: String(LEASE_MS),
      ...dbs.secrets,
    },
    children,
  );
  return child;
}

const checksum = (pool: pg.Pool, table: string) =>
  pool
    .query<{ n: string; digest: string }>(peopleChecksumSql(`SELECT * FROM ${table}`))
    .then((r) => ({ rows: Number(r.rows[0]!.n), digest: r.rows[0]!.digest }));

const sinkRows = async () =>
  Number((await sinkPool.query('SELECT count(*) AS n FROM rsj_people')).rows[0].n);

beforeAll(async () => {
  h = await startHarness();
  granted = await grantedPeopleResource(h, {}, 1);
  dbs = await departmentDatabases();
  ({ sourcePool, sinkPool } = dbs);
  await sourcePool.query(peopleTable('gaj_people'));
  await sourcePool.query(
    `INSERT INTO gaj_people
     SELECT lpad(i::text, 18, '0'), '测试' || i, '138' || lpad(i::text, 8, '0'),
            '浙江省杭州市文三路' || i || '号', CASE WHEN i % 2 = 0 THEN '西湖区' ELSE '上城区' END,
            timestamptz '2026-01-01' + i * interval '1 millisecond'
       FROM generate_series(1, $1::int) AS i`,
    [ROWS],
  );
  await sinkPool.query(RSJ_PEOPLE_TABLE);
  const connectors = [
    {
      token: await h.token('hz-gaj.steward'),
      body: peopleSourceConnector('crash-in', 'gaj_people', granted.resourceCode, 2_000),
    },
    {
      token: await h.token('hz-rsj.steward'),
      body: peopleSinkConnector('crash-out', granted.grantId, 2_000),
    },
  ];
  for (const { token, body } of connectors) {
    const created = await call(h.connectors.base, 'POST', '/v1/connectors', { token, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
}, 300_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await dbs?.close();
  await h?.close();
});

describe(`connectors crash safety: ${ROWS.toLocaleString('en')} rows, worker killed ${KILLS} times`, () => {
  it(
    'leaves the sink with exactly the source rows (count and checksum)',
    async () => {
      const kills: { afterMs: number; sinkRows: number }[] = [];
      let worker = await startWorker();
      const started = Date.now();
      for (let i = 0; i < KILLS; i++) {
        // a random moment within the next few seconds: mid-batch, mid-commit, mid-anything
        await new Promise((r) => setTimeout(r, 2_000 + Math.random() * 6_000));
        worker.kill('SIGKILL');
        await new Promise((r) => worker.once('exit', r));
        kills.push({ afterMs: Date.now() - started, sinkRows: await sinkRows() });
        worker = await startWorker();
      }
      // the last worker finishes the job
      const deadline = Date.now() + 20 * 60_000;
      let previous = -1;
      let stableSince = Date.now();
      for (;;) {
        const n = await sinkRows();
        if (n !== previous) {
          previous = n;
          stableSince = Date.now();
        }
        if (n >= ROWS && Date.now() - stableSince > 3_000) break;
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      process.stdout.write(
        `crash test: ${ROWS} rows in ${((Date.now() - started) / 1000).toFixed(0)} s; kills ${JSON.stringify(kills)}\n`,
      );
      expect(kills.length).toBe(KILLS);
      // at least one kill hit the pipeline while it was moving records
      expect(kills.some((k) => k.sinkRows > 0 && k.sinkRows < ROWS)).toBe(true);
      const [expected, actual] = await Promise.all([
        checksum(sourcePool, 'gaj_people'),
        checksum(sinkPool, 'rsj_people'),
      ]);
      expect(actual).toEqual(expected);
    },
    25 * 60_000,
  );
});
