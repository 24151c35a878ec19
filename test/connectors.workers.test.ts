import type { ChildProcess } from 'node:child_process';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamNames } from '@gx/connectors';
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
import { until } from '@gx/platform/testing';

/**
 * Several worker processes share the connectors: each source runs on exactly one worker, the
 * sink's and enforcement's partitions are divided among them, so no record is read or
 * delivered twice; when a worker dies (SIGKILL), the survivor takes its work over.
 */
const ROWS = 5_000;
const LEASE_MS = 2_000;

let h: Harness;
let granted: GrantedResource;
let dbs: DepartmentDatabases;
let sourcePool: pg.Pool;
let sinkPool: pg.Pool;
const children = new Set<ChildProcess>();

const startWorker = () =>
  forkConnectWorker(
    {
      DATABASE_URL: h.testDb.url,
      CONNECT_LEASE_MS: String(LEASE_MS),
      ...dbs.secrets,
    },
    children,
  );

const count = async (pool: pg.Pool, sql: string, values: unknown[] = []) =>
  Number((await pool.query(sql, values)).rows[0].n);

const sinkRows = () => count(sinkPool, 'SELECT count(*) AS n FROM rsj_people');

/** records ever appended to a stream of the PostgreSQL log */
const streamRecords = (stream: string) =>
  count(
    h.db.pool,
    `SELECT count(*) AS n FROM log_records r JOIN log_streams s ON s.id = r.stream_id
      WHERE s.name = $1`,
    [stream],
  );

const sourceOwners = async () =>
  (
    await h.db.pool.query<{ task: string; worker_id: string }>(
      `SELECT task, worker_id FROM connector_tasks WHERE task LIKE 'source:%' ORDER BY task`,
    )
  ).rows;

async function addRows(table: string, from: number, n: number) {
  await sourcePool.query(
    `INSERT INTO ${table}
     SELECT lpad(i::text, 18, '0'), '测试' || i, '138' || lpad(i::text, 8, '0'), '文三路' || i || '号',
            CASE WHEN i % 2 = 0 THEN '西湖区' ELSE '上城区' END, clock_timestamp()
       FROM generate_series($1::int, $2::int) AS i`,
    [from, from + n - 1],
  );
}

beforeAll(async () => {
  h = await startHarness();
  granted = await grantedPeopleResource(h, {}, 1);
  dbs = await departmentDatabases();
  ({ sourcePool, sinkPool } = dbs);
  for (const table of ['people_east', 'people_west']) await sourcePool.query(peopleTable(table));
  await sinkPool.query(RSJ_PEOPLE_TABLE);
  const steward = await h.token('hz-gaj.steward');
  for (const table of ['people_east', 'people_west']) {
    const created = await call(h.connectors.base, 'POST', '/v1/connectors', {
      token: steward,
      body: peopleSourceConnector(
        `gaj-${table.replace('_', '-')}`,
        table,
        granted.resourceCode,
        500,
      ),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const sinkCreated = await call(h.connectors.base, 'POST', '/v1/connectors', {
    token: await h.token('hz-rsj.steward'),
    body: peopleSinkConnector('rsj-people', granted.grantId, 500),
  });
  expect(sinkCreated.status, JSON.stringify(sinkCreated.body)).toBe(201);
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await dbs?.close();
  await h?.close();
});

describe('connector workers sharing the work', () => {
  it('two workers split the sources, process every record once, and the survivor takes over a killed one', async () => {
    const first = await startWorker();
    const second = await startWorker();
    // each source on its own worker
    const owners = await until('both sources to have different owners', async () => {
      const rows = await sourceOwners();
      return rows.length === 2 && new Set(rows.map((r) => r.worker_id)).size === 2
        ? rows
        : undefined;
    });
    expect(new Set(owners.map((o) => o.worker_id))).toEqual(new Set([first.id, second.id]));

    await addRows('people_east', 1, ROWS);
    await addRows('people_west', ROWS + 1, ROWS);
    await until('the sink to hold both tables', async () =>
      (await sinkRows()) === 2 * ROWS ? true : undefined,
    );
    // nothing read or delivered twice while both lived
    expect(await streamRecords(streamNames.raw(granted.resourceCode))).toBe(2 * ROWS);
    expect(await streamRecords(streamNames.delivery(granted.grantId))).toBe(2 * ROWS);
    const delivered = await count(
      h.db.pool,
      `SELECT coalesce(sum(record_count), 0) AS n FROM evidence_entries
        WHERE grant_id = $1 AND operation = 'subscription-delivery'`,
      [granted.grantId],
    );
    expect(delivered).toBe(2 * ROWS);

    // the first worker dies outright; its source (and partitions) move to the second
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    await addRows('people_east', 2 * ROWS + 1, ROWS);
    await addRows('people_west', 3 * ROWS + 1, ROWS);
    await until('the survivor to deliver the new rows', async () =>
      (await sinkRows()) === 4 * ROWS ? true : undefined,
    );
    const after = await sourceOwners();
    expect(after.map((o) => o.worker_id)).toEqual([second.id, second.id]);
    const digest = (pool: pg.Pool, from: string) =>
      pool.query<{ digest: string }>(peopleChecksumSql(from)).then((r) => r.rows[0]!.digest);
    const [expected, actual] = await Promise.all([
      digest(sourcePool, 'SELECT * FROM people_east UNION ALL SELECT * FROM people_west'),
      digest(sinkPool, 'SELECT * FROM rsj_people'),
    ]);
    expect(actual).toBe(expected);
  }, 180_000);
});
