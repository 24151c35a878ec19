import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from '../../../test/harness.ts';
import { grantedPeopleResource, type GrantedResource } from '../../../test/fixtures.ts';
import {
  departmentDatabases,
  peopleChecksumSql,
  peopleSinkConnector,
  peopleSourceConnector,
  peopleTable,
  RSJ_PEOPLE_TABLE,
  type DepartmentDatabases,
} from '../../../test/connectorFixtures.ts';
import { until } from '@gx/platform/testing';
import { startConnectWorker } from '../worker.ts';
import type { ConnectWorker } from './ConnectWorker.ts';
import { streamNames } from './streamNames.ts';

/**
 * Enforcement writes the hosted store while it produces the deliveries. When the store write
 * fails after the batch's deliveries were produced, the batch is retried: the delivery stream
 * then holds those records twice, the idempotent sink still ends with each record exactly once,
 * every produce has its delivery evidence, and the failure is reported, never left unhandled
 * (vitest fails a run on an unhandled rejection).
 */
const PEOPLE = 240;

let h: Harness;
let granted: GrantedResource;
let dbs: DepartmentDatabases;
let worker: ConnectWorker | undefined;
const counted = { in: 0, out: 0, dead: 0, errors: 0 };
const store = { calls: 0, failed: 0 };

/** the worker's pool, whose first hosted-store upsert fails once the batch's deliveries exist */
function storeFailingOnce(pool: pg.Pool, deliveryStream: string): pg.Pool {
  const query = async (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : '';
    if (text.includes('INSERT INTO records')) {
      store.calls += 1;
      if (store.failed === 0) {
        store.failed += 1;
        // the deliveries are produced beside the store write: let them land first, so that
        // the retry produces them again (bounded, in case they never come)
        await until(
          'the first deliveries',
          async () => {
            const ends = await h.recordLog.endOffsets(deliveryStream).catch(() => []);
            return ends.some((e) => e.offset > 0) ? true : undefined;
          },
          10_000,
        ).catch(() => undefined);
        throw new Error('模拟的记录存储故障');
      }
    }
    return (pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
  };
  return new Proxy(pool, {
    get(target, property) {
      if (property === 'query') return query;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

beforeAll(async () => {
  h = await startHarness();
  granted = await grantedPeopleResource(h, {}, 1);
  dbs = await departmentDatabases();
  await dbs.sourcePool.query(peopleTable('gaj_people'));
  await dbs.sinkPool.query(RSJ_PEOPLE_TABLE);
  await dbs.sourcePool.query(
    `INSERT INTO gaj_people (id_number, name, mobile, address, district)
     SELECT '33010620000101' || lpad(i::text, 4, '0'), '测试' || i, '1390013' || lpad(i::text, 4, '0'),
            '浙江省杭州市西湖区文三路' || i || '号', '西湖区'
       FROM generate_series(1, $1::int) AS i`,
    [PEOPLE],
  );
  const created = await Promise.all([
    call(h.connectors.base, 'POST', '/v1/connectors', {
      token: await h.token('hz-gaj.steward'),
      body: peopleSourceConnector('gaj-people-in', 'gaj_people', granted.resourceCode, 100),
    }),
    call(h.connectors.base, 'POST', '/v1/connectors', {
      token: await h.token('hz-rsj.steward'),
      body: peopleSinkConnector('rsj-people-out', granted.grantId, 100),
    }),
  ]);
  for (const response of created) expect(response.status, JSON.stringify(response.body)).toBe(201);
});

afterAll(async () => {
  await worker?.stop();
  await dbs?.close();
  await h?.close();
});

describe('enforcement: a hosted-store write that fails once', () => {
  it('retries the batch: the sink ends exact, the store complete, every delivery in evidence', async () => {
    const deliveryStream = streamNames.delivery(granted.grantId);
    worker = await startConnectWorker({
      pool: storeFailingOnce(h.db.pool, deliveryStream),
      recordLog: h.recordLog,
      logger: h.logs.logger,
      leaseMs: 3_000,
      env: dbs.secrets,
      counters: {
        recordsIn: (_c, n) => (counted.in += n),
        recordsOut: (_c, n) => (counted.out += n),
        deadLetters: (_c, n) => (counted.dead += n),
        error: () => (counted.errors += 1),
      },
    });

    const source = (await dbs.sourcePool.query(peopleChecksumSql('SELECT * FROM gaj_people')))
      .rows[0];
    const sink = await until('every person at 人社局', async () => {
      const { rows } = await dbs.sinkPool.query(peopleChecksumSql('SELECT * FROM rsj_people'));
      return Number(rows[0].n) >= PEOPLE ? rows[0] : undefined;
    });
    expect(sink).toEqual(source);

    // the store failed once and was written on the retry
    expect(store.failed).toBe(1);
    expect(store.calls).toBeGreaterThan(1);
    const { rows: stored } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM records r JOIN resources s ON s.id = r.resource_id
        WHERE s.code = $1 AND r.record_key LIKE '33010620000101%'`,
      [granted.resourceCode],
    );
    expect(stored[0].n).toBe(PEOPLE);

    // the failed batch's deliveries were produced twice; the sink holds each record once
    const ends = await h.recordLog.endOffsets(deliveryStream);
    expect(ends.reduce((sum, e) => sum + e.offset, 0)).toBeGreaterThan(PEOPLE);

    // evidence: every produce of a delivery is covered, ingest counted once per stored batch.
    // A batch's evidence is written before its offsets commit, but the sink may read its
    // deliveries sooner: wait for the last batch's entries, then count them exactly.
    const covered = await until('the ingest evidence of every stored batch', async () => {
      const { rows: evidence } = await h.db.pool.query<{ operation: string; n: string }>(
        `SELECT operation, sum(record_count) AS n FROM evidence_entries
          WHERE resource_code = $1 AND actor_kind = 'connector' GROUP BY operation`,
        [granted.resourceCode],
      );
      const sums = Object.fromEntries(evidence.map((e) => [e.operation, Number(e.n)]));
      const done =
        (sums.ingest ?? 0) >= PEOPLE &&
        (sums['subscription-delivery'] ?? 0) >= ends.reduce((sum, e) => sum + e.offset, 0);
      return done ? sums : undefined;
    });
    expect(covered['subscription-delivery']).toBe(ends.reduce((sum, e) => sum + e.offset, 0));
    expect(covered.ingest).toBe(PEOPLE);

    // the failure was reported on the enforcement task, which recovered; no dead letters
    expect(counted.dead).toBe(0);
    const { rows: tasks } = await h.db.pool.query<{ state: string; last_error: string | null }>(
      'SELECT state, last_error FROM connector_tasks WHERE task = $1',
      [`enforce:${granted.resourceCode}`],
    );
    expect(tasks).toEqual([{ state: 'running', last_error: '模拟的记录存储故障' }]);
  });
});
