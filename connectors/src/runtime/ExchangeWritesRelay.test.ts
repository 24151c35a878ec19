import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from '../../../test/harness.ts';
import { grantedPeopleResource, type GrantedResource } from '../../../test/fixtures.ts';
import { peopleSinkConnector, readWholeStream } from '../../../test/connectorFixtures.ts';
import type { RecordLog } from '../log/RecordLog.ts';
import { ExchangeWritesRelay } from './ExchangeWritesRelay.ts';
import { PgNotifications } from './pgNotifications.ts';
import { EXCHANGE_WRITES, streamNames } from './streamNames.ts';

/**
 * The outbox relay on its own, on real PostgreSQL and the PostgreSQL record log: a failed
 * produce loses nothing, two workers' relays do not produce a row twice, and one record's
 * versions reach the raw stream in the order they were written.
 */
let h: Harness;
let granted: GrantedResource;
let notifications: PgNotifications;

const pending = async () =>
  Number((await h.db.pool.query('SELECT count(*) AS n FROM record_outbox')).rows[0].n);

async function push(records: unknown[]) {
  const res = await call(h.exchange.base, 'POST', `/v1/resources/${granted.resourceCode}/records`, {
    token: await h.systemToken('hz-gaj-system'),
    body: { records },
  });
  expect(res.body.accepted).toBe(records.length);
}

function relay(log: RecordLog = h.recordLog) {
  return new ExchangeWritesRelay({
    pool: h.db.pool,
    log,
    ensured: new Set(),
    notifications,
    logger: h.logs.logger,
  });
}

const rawRecords = () => readWholeStream(h.recordLog, streamNames.raw(granted.resourceCode));

beforeAll(async () => {
  h = await startHarness();
  granted = await grantedPeopleResource(h, {}, 4);
  notifications = new PgNotifications(h.db.pool, h.logs.logger);
  // the resource gets a consumer's sink: from now on its exchange-side writes go to the outbox
  const sink = await call(h.connectors.base, 'POST', '/v1/connectors', {
    token: await h.token('hz-rsj.steward'),
    body: peopleSinkConnector('rsj-relay-sink', granted.grantId, 100),
  });
  expect(sink.status, JSON.stringify(sink.body)).toBe(201);
});

afterAll(async () => {
  await h?.close();
});

describe('the exchange writes relay', () => {
  it('keeps the rows in the outbox when the record log refuses them, and moves them on the next pass', async () => {
    const people = granted.people.map((p) => ({ ...p, mobile: '13600000000' }));
    await push(people);
    expect(await pending()).toBe(people.length);
    const refusing = new Proxy(h.recordLog, {
      get(target, property) {
        if (property === 'produce') return () => Promise.reject(new Error('模拟的记录日志故障'));
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    await expect(relay(refusing).pass()).rejects.toThrow('模拟的记录日志故障');
    expect(await pending()).toBe(people.length);

    expect(await relay().pass()).toBe(people.length);
    expect(await pending()).toBe(0);
    const raw = await rawRecords();
    expect(raw.map((r) => r.key).sort()).toEqual(people.map((p) => p.id_number).sort());
    expect(raw[0]!.headers['connect.connector']).toBe(EXCHANGE_WRITES);
    expect(raw.find((r) => r.key === people[0]!.id_number)!.value).toEqual(people[0]);
  });

  it("lets one worker's relay at a time move the rows, in the order one record was written", async () => {
    const person = granted.people[0]!;
    for (const mobile of ['13611111111', '13622222222', '13633333333'])
      await push([{ ...person, mobile }]);
    const moved = await Promise.all([relay().pass(), relay().pass(), relay().pass()]);
    // the passes that found the lock taken moved nothing; another pass finds nothing left
    expect(moved.reduce((a, b) => a + b, 0) + (await relay().pass())).toBe(3);
    expect(await pending()).toBe(0);
    // one key, one partition: read in the order produced, each version once
    const versions = (await rawRecords()).filter((r) => r.key === person.id_number);
    expect(versions.map((r) => (r.value as { mobile: string }).mobile)).toEqual([
      '13600000000',
      '13611111111',
      '13622222222',
      '13633333333',
    ]);
  });
});
