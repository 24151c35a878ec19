import { createExchangeApiApp } from '@gx/exchange-api';
import { createDatabase, type Database } from '@gx/platform';
import { listen, type Listening } from '@gx/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantedPeopleResource } from './fixtures.ts';
import { call, startHarness, type Harness } from './harness.ts';

/**
 * Grant quotas (policy.quotas): records per day and requests per second, set by the provider's
 * approver, enforced on every read under the grant and on every exchange-api process.
 */

let h: Harness;
const exchange = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.exchange.base, method, path, options);
const PURPOSE = { 'x-purpose': 'SOCIAL_SECURITY' };
const PEOPLE = 30;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

/**
 * hz-gaj publishes a resource of 30 people (15 per district); hz-rsj's system asks for it and
 * hz-gaj's approver grants it with these terms.
 */
async function grant(terms: Record<string, unknown>) {
  const granted = await grantedPeopleResource(h, { comment: '按配额授权', ...terms }, PEOPLE);
  return { ...granted, system: await h.systemToken('hz-rsj-system') };
}

async function usage(grantId: string) {
  const { rows } = await h.db.pool.query<{ records: string; requests: string }>(
    'SELECT records::text, requests::text FROM grant_usage_daily WHERE grant_id = $1',
    [grantId],
  );
  return rows[0]
    ? { records: Number(rows[0].records), requests: Number(rows[0].requests) }
    : undefined;
}

/** Seconds from now to the next midnight in Asia/Shanghai (UTC+8, no daylight saving). */
function secondsToShanghaiMidnight(): number {
  const shanghai = Date.now() + 8 * 3_600_000;
  const nextMidnight = (Math.floor(shanghai / 86_400_000) + 1) * 86_400_000;
  return (nextMidnight - shanghai) / 1000;
}

function expectQuotaProblem(res: Awaited<ReturnType<typeof call>>) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.contentType).toMatch(/problem\+json/);
  expect(res.body.type).toBe('/problems/quota-exceeded');
}

function expectRetryAtMidnight(res: Awaited<ReturnType<typeof call>>) {
  expect(
    Math.abs(Number(res.headers.get('retry-after')) - secondsToShanghaiMidnight()),
  ).toBeLessThan(60);
}

describe('records per day', () => {
  let grantId: string;
  let system: string;
  let people: Awaited<ReturnType<typeof grant>>['people'];
  const get = (key: string) =>
    exchange('GET', `/v1/grants/${grantId}/records/${key}`, { token: system, headers: PURPOSE });
  const query = (limit: number, after?: string) =>
    exchange(
      'GET',
      `/v1/grants/${grantId}/records?limit=${limit}${after ? `&after=${after}` : ''}`,
      { token: system, headers: PURPOSE },
    );
  const verify = (person: (typeof people)[number]) =>
    exchange('POST', `/v1/grants/${grantId}/verify`, {
      token: system,
      headers: PURPOSE,
      body: { key: person.id_number, claims: { name: person.name } },
    });

  beforeAll(async () => {
    ({ grantId, system, people } = await grant({ quotas: { recordsPerDay: 10 } }));
  });

  it('counts every record delivered, by query, get and verify; a key not found costs nothing', async () => {
    const page = await query(6);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(6);
    expect((await get(people[20]!.id_number)).status).toBe(200);
    expect((await get('330106199001019999')).status).toBe(404);
    expect((await verify(people[21]!)).body).toMatchObject({ found: true });
    expect(await usage(grantId)).toEqual({ records: 8, requests: 4 });
    // both parties see today's use against the quota on the grant
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const seen = { day: today, records: 8, requests: 4 };
    expect((await exchange('GET', `/v1/grants/${grantId}`, { token: system })).body).toMatchObject({
      policy: { quotas: { recordsPerDay: 10 } },
      usageToday: seen,
    });
    const given = await exchange('GET', '/v1/grants?side=provider', {
      token: await h.token('hz-gaj.approver'),
    });
    expect(given.body.items.find((g: { id: string }) => g.id === grantId).usageToday).toEqual(seen);
  });

  it('refuses a page larger than what is left today, whole, saying how many remain', async () => {
    const first = await query(1);
    const refused = await query(5, first.body.nextCursor);
    expectQuotaProblem(refused);
    expect(refused.body).toMatchObject({ quota: 'recordsPerDay', limit: 10, remaining: 1 });
    expect(refused.body.detail).toMatch(/剩余的 1 条/);
    expectRetryAtMidnight(refused);
    // nothing of the refused page was charged: the one record left can still be read
    expect((await usage(grantId))?.records).toBe(9);
    const last = await query(1, first.body.nextCursor);
    expect(last.status).toBe(200);
    expect(last.body.items).toHaveLength(1);
    expect((await usage(grantId))?.records).toBe(10);
  });

  it('once spent, refuses every read of the grant until midnight (Asia/Shanghai), and records the refusals', async () => {
    const before = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM evidence_entries
        WHERE grant_id = $1 AND operation = 'refusal' AND details->>'reason' = 'quota-exceeded'`,
      [grantId],
    );
    const refusals = [
      await get(people[22]!.id_number),
      await query(1),
      await verify(people[23]!),
      await exchange('GET', `/v1/grants/${grantId}/export?format=csv`, {
        token: system,
        headers: PURPOSE,
      }),
    ];
    for (const res of refusals) {
      expectQuotaProblem(res);
      expect(res.body).toMatchObject({ quota: 'recordsPerDay', remaining: 0 });
      expectRetryAtMidnight(res);
    }
    const after = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM evidence_entries
        WHERE grant_id = $1 AND operation = 'refusal' AND details->>'reason' = 'quota-exceeded'`,
      [grantId],
    );
    expect(after.rows[0]!.n - before.rows[0]!.n).toBe(4);
    expect((await usage(grantId))?.records).toBe(10);
    // the refusals carry no data and no receipt
    expect(refusals.every((r) => !r.headers.get('evidence-receipt'))).toBe(true);
  });
});

describe('exports', () => {
  it('are charged every record they match before the first byte, or refused whole', async () => {
    const small = await grant({ quotas: { recordsPerDay: 20 } });
    const exportOf = (grantId: string, token: string) =>
      exchange('GET', `/v1/grants/${grantId}/export?format=jsonl`, { token, headers: PURPOSE });
    const refused = await exportOf(small.grantId, small.system);
    expectQuotaProblem(refused);
    expect(refused.body).toMatchObject({ limit: 20, remaining: 20 });
    expect(refused.body.detail).toMatch(/本次需 30 条记录/);
    expect((await usage(small.grantId))?.records).toBe(0);

    // a row filter that lets 15 through fits
    const filtered = await grant({
      quotas: { recordsPerDay: 20 },
      rowFilter: { field: 'district', op: '=', value: '西湖区' },
    });
    const exported = await fetch(
      `${h.exchange.base}/v1/grants/${filtered.grantId}/export?format=jsonl`,
      { headers: { authorization: `Bearer ${filtered.system}`, ...PURPOSE } },
    );
    expect(exported.status).toBe(200);
    expect((await exported.text()).trim().split('\n')).toHaveLength(15);
    expect((await usage(filtered.grantId))?.records).toBe(15);
    // 5 left: a second export of 15 is refused
    expectQuotaProblem(await exportOf(filtered.grantId, filtered.system));
  });
});

describe('requests per second', () => {
  let second: Listening;
  let secondDb: Database;

  beforeAll(async () => {
    // a second exchange-api process: its own pool, its own memory
    secondDb = createDatabase({ url: h.testDb.url, max: 5 });
    second = await listen(createExchangeApiApp(h.serviceDependencies(secondDb, 'exchange-api-2')));
  });

  afterAll(async () => {
    await second?.close();
    await secondDb?.close();
  });

  it('holds across two API processes: 429 with Retry-After: 1, then served again', async () => {
    const { grantId, system, people } = await grant({ quotas: { requestsPerSecond: 2 } });
    const bases = [h.exchange.base, second.base];
    const burst = 24;
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        call(bases[i % 2]!, 'GET', `/v1/grants/${grantId}/records/${people[i]!.id_number}`, {
          token: system,
          headers: PURPOSE,
        }),
      ),
    );
    const ended = Date.now();
    const served = answers.filter((a) => a.status === 200).length;
    const refused = answers.filter((a) => a.status === 429);
    expect(served + refused.length).toBe(burst);
    // each one-second window admits 2 calls in all, whichever process takes them
    const windows = Math.floor(ended / 1000) - Math.floor(started / 1000) + 1;
    expect(served).toBeGreaterThanOrEqual(2);
    expect(served).toBeLessThanOrEqual(2 * windows);
    expect(refused.length).toBeGreaterThan(0);
    for (const res of refused) {
      expect(res.body).toMatchObject({
        type: '/problems/quota-exceeded',
        quota: 'requestsPerSecond',
        limit: 2,
      });
      expect(res.headers.get('retry-after')).toBe('1');
    }
    // after waiting as told, the grant serves again
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await call(
      second.base,
      'GET',
      `/v1/grants/${grantId}/records/${people[0]!.id_number}`,
      {
        token: system,
        headers: PURPOSE,
      },
    );
    expect(again.status).toBe(200);
    // no records-per-day quota: records are not counted, calls are
    expect(await usage(grantId)).toEqual({ records: 0, requests: burst + 1 });
    const view = await exchange('GET', `/v1/grants/${grantId}`, { token: system });
    expect(view.body.usageToday).toMatchObject({ requests: burst + 1, records: null });
  });

  it('counts a call that arrives after the next second’s calls in their window, not afresh', async () => {
    // A call reads its second, then may wait for the grant's counter row while calls of the
    // next second are counted. Here the next second already holds its 2 calls when this call
    // is counted: it must not set the window back to its own second and start again at 1.
    const { grantId, system, people } = await grant({ quotas: { requestsPerSecond: 2 } });
    const read = () =>
      exchange('GET', `/v1/grants/${grantId}/records/${people[0]!.id_number}`, {
        token: system,
        headers: PURPOSE,
      });
    expect((await read()).status).toBe(200);
    await h.db.pool.query(
      `UPDATE grant_rate_windows
          SET window_start = date_trunc('second', clock_timestamp()) + interval '1 second',
              count = 2
        WHERE grant_id = $1`,
      [grantId],
    );
    const late = await read();
    expect(late.status, JSON.stringify(late.body)).toBe(429);
    expect(late.body).toMatchObject({ quota: 'requestsPerSecond', limit: 2 });
    const { rows } = await h.db.pool.query<{ count: number }>(
      'SELECT count FROM grant_rate_windows WHERE grant_id = $1',
      [grantId],
    );
    expect(rows[0]?.count).toBe(3);
  });
});

describe('grants without quotas', () => {
  it('pay nothing: no usage rows, no rate windows', async () => {
    const { grantId, system, people } = await grant({});
    for (const person of people.slice(0, 3)) {
      const res = await exchange('GET', `/v1/grants/${grantId}/records/${person.id_number}`, {
        token: system,
        headers: PURPOSE,
      });
      expect(res.status).toBe(200);
    }
    expect(await usage(grantId)).toBeUndefined();
    const view = await exchange('GET', `/v1/grants/${grantId}`, { token: system });
    expect(view.body.usageToday).toBeNull();
    const { rows } = await h.db.pool.query('SELECT 1 FROM grant_rate_windows WHERE grant_id = $1', [
      grantId,
    ]);
    expect(rows).toHaveLength(0);
  });
});

describe('subscriptions', () => {
  it('a subscription delivers exactly the day’s allowance, then ends with the quota refusal and waits until midnight', async () => {
    const { grantId, system } = await grant({ quotas: { recordsPerDay: 10 } });
    const res = await fetch(`${h.exchange.base}/v1/grants/${grantId}/subscription?from=beginning`, {
      headers: { authorization: `Bearer ${system}`, ...PURPOSE },
    });
    expect(res.status).toBe(200);
    // the server ends the stream itself once the quota is spent
    const blocks = (await res.text()).split('\n\n').filter((b) => b.trim() !== '');
    const events = blocks.map((block) => /^event: (.+)$/m.exec(block)?.[1]).filter(Boolean);
    // the allowance left is delivered, though the batch read was larger
    expect(events.filter((e) => e === 'record')).toHaveLength(10);
    expect(events.at(-1)).toBe('refused');
    expect((await usage(grantId))?.records).toBe(10);
    // an EventSource reconnects after `retry`: at midnight, not every second
    const retry = Number(/^retry: (\d+)$/m.exec(blocks.at(-1)!)?.[1]);
    expect(Math.abs(retry / 1000 - secondsToShanghaiMidnight())).toBeLessThan(60);
    const refusal = JSON.parse(/^data: (.+)$/m.exec(blocks.at(-1)!)![1]!);
    expect(refusal).toMatchObject({ status: 429, remaining: 0 });
    expect(Math.abs(refusal.retryAfterSeconds - secondsToShanghaiMidnight())).toBeLessThan(60);
  });
});
