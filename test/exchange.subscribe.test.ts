import http, { type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createExchangeApiApp,
  digestOf,
  purgeRecordDeletions,
  RecordDeletionRetention,
} from '@gx/exchange-api';
import { createDatabase, type Database } from '@gx/platform';
import { expectResponseMatchesSpec, listen, type Listening } from '@gx/platform/testing';
import { openApiSpecPath } from '@gx/schemas';
import {
  approvedRequest,
  demoPeople,
  grantedPeopleResource,
  type GrantedResource,
} from './fixtures.ts';
import { call, startHarness, type Harness } from './harness.ts';

/**
 * Subscriptions as a consumer's system meets them: a real HTTP client reading the
 * text/event-stream body and parsing the events itself.
 */

interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

interface Delivered {
  id: string;
  key: string | null;
  record: { id_number: string; name: string; mobile: string; district: string };
}

interface Stream {
  status: number;
  headers: Headers;
  /** the problem+json body of a refused subscription */
  problem?: { type: string; status: number; detail?: string; [k: string]: unknown };
  events: SseEvent[];
  records(): Delivered[];
  /** resolves once `check` holds; rejects if the stream ends first or nothing comes for a while */
  until(check: (events: SseEvent[]) => boolean, what: string): Promise<void>;
  /** resolves with performance.now() when the server ended the body */
  ended: Promise<number>;
  close(): void;
}

let h: Harness;
/** a second exchange API instance on its own pool and LISTEN connection: "another process" */
let other: { db: Database; server: Listening };
let granted: GrantedResource;
let consumer: string;

const PURPOSE = 'SOCIAL_SECURITY';
const WAIT_MS = 15_000;
const people = demoPeople(400);
const xihu = (p: { district: string }) => p.district === '西湖区';

function parseEvents(onEvent: (e: SseEvent) => void) {
  let buffer = '';
  let current: { event?: string; data: string[]; id?: string } = { data: [] };
  return (text: string) => {
    buffer += text;
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === '') {
        if (current.data.length > 0 || current.event) {
          onEvent({
            event: current.event ?? 'message',
            data: current.data.join('\n'),
            id: current.id,
          });
        }
        current = { data: [] };
      } else if (line.startsWith(':')) {
        continue;
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') current.data.push(value);
        else if (field === 'event') current.event = value;
        else if (field === 'id') current.id = value;
      }
    }
  };
}

async function subscribe(
  base: string,
  grantId: string,
  options: { query?: string; lastEventId?: string; purpose?: string | null } = {},
): Promise<Stream> {
  const controller = new AbortController();
  const headers: Record<string, string> = {
    authorization: `Bearer ${consumer}`,
    accept: 'text/event-stream',
  };
  if (options.purpose !== null) headers['x-purpose'] = options.purpose ?? PURPOSE;
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  const res = await fetch(`${base}/v1/grants/${grantId}/subscription${options.query ?? ''}`, {
    headers,
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  let done = false;
  const stream: Stream = {
    status: res.status,
    headers: res.headers,
    events,
    records: () =>
      events
        .filter((e) => e.event === 'record')
        .map((e) => ({ id: e.id!, ...(JSON.parse(e.data) as Omit<Delivered, 'id'>) })),
    until(check, what) {
      return new Promise<void>((resolve, reject) => {
        const waiter = () => {
          if (check(events)) {
            waiters.delete(waiter);
            clearTimeout(timer);
            resolve();
          } else if (done) {
            waiters.delete(waiter);
            clearTimeout(timer);
            reject(new Error(`stream ended before ${what}: ${JSON.stringify(events.slice(-3))}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no ${what} within ${WAIT_MS} ms (${events.length} events)`));
        }, WAIT_MS);
        waiters.add(waiter);
        waiter();
      });
    },
    ended: Promise.resolve(0),
    close: () => controller.abort(),
  };
  if (res.status !== 200) {
    stream.problem = (await expectResponseMatchesSpec(
      openApiSpecPath('exchange-api'),
      'GET',
      '/v1/grants/{id}/subscription',
      res,
    )) as Stream['problem'];
    done = true;
    return stream;
  }
  const feed = parseEvents((e) => {
    events.push(e);
    notify();
  });
  stream.ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body!) {
        feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      }
    } catch {
      // aborted by close()
    }
    const at = performance.now();
    done = true;
    notify();
    return at;
  })();
  return stream;
}

const ingest = async (records: unknown[]) => {
  const res = await call(h.exchange.base, 'POST', `/v1/resources/${granted.resourceCode}/records`, {
    token: await h.systemToken('hz-gaj-system'),
    body: { records },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { accepted: number };
};

const removals = (events: SseEvent[]) => events.filter((e) => e.event === 'removed');

const countRecords = (n: number) => (events: SseEvent[]) =>
  events.filter((e) => e.event === 'record').length >= n;

/** the grant's view of a person: granted fields, mobile masked, id pseudonymised */
function expectShaped(item: Delivered, from: (typeof people)[number]) {
  expect(Object.keys(item.record).sort()).toEqual(['district', 'id_number', 'mobile', 'name']);
  expect(item.record.name).toBe(from.name);
  expect(item.record.district).toBe('西湖区');
  expect(item.record.mobile).toBe(`${from.mobile.slice(0, 3)}****${from.mobile.slice(-4)}`);
  expect(item.record.id_number).not.toBe(from.id_number);
  // the key is what the consumer may see of it: the pseudonym, never the real number
  expect(item.key).toBe(item.record.id_number);
}

const byName = (name: string) => people.find((p) => p.name === name)!;

/** how the exchange API's LISTEN connections show in pg_stat_activity */
const LISTEN_APPLICATION = 'exchange-api-listen';

async function listeners(): Promise<number> {
  const { rows } = await h.db.pool.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = $1`,
    [LISTEN_APPLICATION],
  );
  return rows[0].n as number;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  h = await startHarness();
  granted = await grantedPeopleResource(
    h,
    {
      masks: {
        mobile: { kind: 'keep_first_last', first: 3, last: 4 },
        id_number: { kind: 'hmac_pseudonym' },
      },
      rowFilter: { field: 'district', op: '=', value: '西湖区' },
    },
    10,
  );
  consumer = await h.systemToken('hz-rsj-system');
  const db = createDatabase({ url: h.testDb.url, max: 5 });
  const app = createExchangeApiApp(h.serviceDependencies(db, 'exchange-api-2'));
  other = { db, server: await listen(app) };
});

afterAll(async () => {
  await other?.server.close();
  await other?.db.close();
  await h?.close();
});

describe('record subscriptions over Server-Sent Events', () => {
  it('refuses before any stream: wrong or missing purpose, bad Last-Event-ID, mode not granted, unknown grant', async () => {
    const wrong = await subscribe(h.exchange.base, granted.grantId, { purpose: 'STATISTICS' });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(wrong.problem).toMatchObject({ type: '/problems/not-allowed', status: 403 });
    expect(wrong.problem!.detail).toContain('STATISTICS');

    const missing = await subscribe(h.exchange.base, granted.grantId, { purpose: null });
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/);

    // '99999999999': a number, but beyond every event the resource has had
    for (const lastEventId of ['abc', '-1', '99999999999999999999', '99999999999']) {
      const bad = await subscribe(h.exchange.base, granted.grantId, { lastEventId });
      expect(bad.status, lastEventId).toBe(400);
      expect(bad.headers.get('content-type'), lastEventId).toMatch(/problem\+json/);
    }
    const tooBig = await subscribe(h.exchange.base, granted.grantId, {
      query: '?lastEventId=9999999999999999999',
    });
    expect(tooBig.status).toBe(400);
    expect(
      (await subscribe(h.exchange.base, granted.grantId, { query: '?from=yesterday' })).status,
    ).toBe(400);

    const queryOnly = await grantedPeopleResource(h, { deliveryModes: ['query'] }, 1);
    const notGranted = await subscribe(h.exchange.base, queryOnly.grantId);
    expect(notGranted.status).toBe(403);
    expect(notGranted.problem!.detail).toContain('subscription');

    const unknown = await subscribe(h.exchange.base, '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);

    // each refusal of a real grant is evidence
    const { rows } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM evidence_entries
        WHERE operation = 'refusal' AND details->>'mode' = 'subscription' AND grant_id = $1`,
      [granted.grantId],
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(2);
  });

  it('from the beginning: every current record in scope, masked, then live changes; rows outside the filter never arrive', async () => {
    const stream = await subscribe(h.exchange.base, granted.grantId, { query: '?from=beginning' });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toMatch(/no-cache/);
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    const initial = granted.people.filter(xihu);
    await stream.until(countRecords(initial.length), 'the current records');
    expect(stream.events[0]).toMatchObject({ event: 'ready', id: '0' });
    expect(
      stream
        .records()
        .map((r) => r.record.name)
        .sort(),
    ).toEqual(initial.map((p) => p.name).sort());

    // live: two of each district; only 西湖区 arrives
    const fresh = people.slice(10, 14);
    await ingest(fresh);
    await stream.until(countRecords(initial.length + 2), 'the live records');
    const all = stream.records();
    expect(all.slice(initial.length).map((r) => r.record.name)).toEqual(
      fresh.filter(xihu).map((p) => p.name),
    );
    for (const item of all) expectShaped(item, byName(item.record.name));
    const ids = all.map((r) => BigInt(r.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    const raw = stream.events.map((e) => e.data).join('\n');
    expect(raw).not.toMatch(/上城区|文三路/);
    for (const p of people.slice(0, 14)) expect(raw).not.toContain(p.id_number);
    stream.close();
  });

  it('from now (the default): only changes made after connecting', async () => {
    const stream = await subscribe(h.exchange.base, granted.grantId);
    await stream.until((events) => events.some((e) => e.event === 'ready'), 'the ready event');
    const start = BigInt(stream.events[0]!.id!);
    expect(start).toBeGreaterThan(0n);
    await ingest([people[14]!]);
    await stream.until(countRecords(1), 'the new record');
    expect(stream.records().map((r) => r.record.name)).toEqual([people[14]!.name]);
    expect(BigInt(stream.records()[0]!.id)).toBeGreaterThan(start);
    stream.close();
  });

  it('resumes with Last-Event-ID: exactly the changes missed while away, none twice; an unchanged re-push sends nothing', async () => {
    const first = await subscribe(h.exchange.base, granted.grantId, { query: '?from=beginning' });
    await first.until(countRecords(8), 'the current records');
    const seen = first.records();
    const last = seen.at(-1)!.id;
    first.close();
    await first.ended;

    // while away: three new people (two in scope), a changed mobile, an identical re-push
    const added = people.slice(20, 23);
    const changed = { ...people[0]!, mobile: '13912345678' };
    await ingest(added);
    await ingest([changed]);
    await ingest(people.slice(1, 10)); // unchanged
    const missed = [...added.filter(xihu), changed];

    const resumed = await subscribe(h.exchange.base, granted.grantId, { lastEventId: last });
    await resumed.until(countRecords(missed.length), 'the missed records');
    expect(resumed.events[0]).toMatchObject({ event: 'ready', id: last });
    // a later change proves nothing else was queued before it
    await ingest([people[24]!]);
    await resumed.until(countRecords(missed.length + 1), 'the next record');
    const got = resumed.records();
    expect(got.map((r) => r.record.name)).toEqual([...missed, people[24]!].map((p) => p.name));
    expect(got[missed.length - 1]!.record.mobile).toBe('139****5678');
    expect(got[missed.length - 1]!.key).toBe(seen.find((r) => r.record.name === changed.name)!.key);
    expect(got.filter((r) => seen.some((s) => s.id === r.id))).toEqual([]);

    // the query-parameter form for clients that cannot set headers gives the same
    const viaQuery = await subscribe(h.exchange.base, granted.grantId, {
      query: `?lastEventId=${last}`,
    });
    await viaQuery.until(countRecords(got.length), 'the same records');
    expect(viaQuery.records()).toEqual(got);
    resumed.close();
    viaQuery.close();
  });

  it('concurrent ingests: every change arrives, once, in order', async () => {
    const stream = await subscribe(h.exchange.base, granted.grantId);
    await stream.until((events) => events.some((e) => e.event === 'ready'), 'the ready event');
    const start = stream.events[0]!.id!;
    // eight writers of the same resource at once
    const batches = Array.from({ length: 8 }, (_, i) => people.slice(100 + i * 30, 130 + i * 30));
    await Promise.all(batches.map((batch) => ingest(batch)));
    const firstWave = people.slice(100, 340).filter(xihu);
    await stream.until(countRecords(firstWave.length), `all ${firstWave.length} new records`);
    // then updates of records the stream has seen, at the same time as new ones
    const updates = people.slice(100, 220).map((p) => ({ ...p, name: `${p.name}改` }));
    await Promise.all([
      ingest(updates.slice(0, 60)),
      ingest(updates.slice(60)),
      ingest(people.slice(340, 370)),
      ingest(people.slice(370, 400)),
    ]);
    const secondWave = [...updates, ...people.slice(340, 400)].filter(xihu);
    const total = firstWave.length + secondWave.length;
    await stream.until(countRecords(total), `all ${total} changes`);
    const got = stream.records();
    expect(got).toHaveLength(total);
    const ids = got.map((r) => BigInt(r.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    expect(new Set(got.map((r) => r.record.name))).toEqual(
      new Set([...firstWave, ...secondWave].map((p) => p.name)),
    );

    // a reader starting over from the same position agrees with what the live stream saw
    const replay = await subscribe(h.exchange.base, granted.grantId, { lastEventId: start });
    const latest = new Map(got.map((r) => [r.key, r]));
    await replay.until(countRecords(latest.size), 'the replay');
    expect(replay.records().map((r) => r.id)).toEqual(
      [...latest.values()].map((r) => r.id).sort((a, b) => Number(BigInt(a) - BigInt(b))),
    );
    stream.close();
    replay.close();
  });

  it('a change committed after a later-numbered one is not skipped (a slow writer)', async () => {
    const stream = await subscribe(h.exchange.base, granted.grantId);
    await stream.until((events) => events.some((e) => e.event === 'ready'), 'the ready event');
    const [slowOne, fastOne] = [people[30]!, people[32]!];
    // a writer (a big batch, a connector) that takes its time to commit
    const slow = await h.db.pool.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(
        `INSERT INTO records (resource_id, record_key, key_order, data, schema_version)
         SELECT id, $2, jsonb_build_array($2::text), $3::jsonb, 1 FROM resources WHERE code = $1`,
        [granted.resourceCode, slowOne.id_number, JSON.stringify(slowOne)],
      );
      // meanwhile the API ingests another record; give it every chance to be read first
      const fast = ingest([fastOne]);
      await Promise.race([
        stream.until(countRecords(1), 'the fast record').catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 500)),
      ]);
      await slow.query('COMMIT');
      await fast;
    } finally {
      slow.release();
    }
    await stream.until(countRecords(2), 'both records');
    expect(stream.records().map((r) => r.record.name)).toEqual([slowOne.name, fastOne.name]);
    stream.close();
  });

  it('every batch is evidence: record count, digest of the delivered data, event ids; the receipt event verifies', async () => {
    const stream = await subscribe(h.exchange.base, granted.grantId, { query: '?from=beginning' });
    await stream.until((events) => events.some((e) => e.event === 'receipt'), 'a receipt');
    const receiptEvent = stream.events.find((e) => e.event === 'receipt')!;
    const receipt = JSON.parse(receiptEvent.data) as {
      firstEventId: string;
      lastEventId: string;
      recordCount: number;
      jws: string;
    };
    const batch = stream.events
      .slice(0, stream.events.indexOf(receiptEvent))
      .filter((e) => e.event === 'record');
    expect(batch[0]!.id).toBe(receipt.firstEventId);
    expect(batch.at(-1)!.id).toBe(receipt.lastEventId);
    expect(receipt.recordCount).toBe(batch.length);

    const jwks = (await (
      await fetch(`${h.exchange.base}/.well-known/evidence-keys.json`)
    ).json()) as JSONWebKeySet;
    const { payload } = await compactVerify(receipt.jws, createLocalJWKSet(jwks));
    const signed = JSON.parse(new TextDecoder().decode(payload));
    const digest = digestOf(batch.map((e) => JSON.parse(e.data)));
    expect(signed).toMatchObject({
      operation: 'subscription-delivery',
      grantId: granted.grantId,
      resourceCode: granted.resourceCode,
      recordCount: batch.length,
      deliveredDigest: digest,
    });
    const { rows } = await h.db.pool.query(
      `SELECT record_count::int AS n, delivered_digest AS digest, details, purpose
         FROM evidence_entries WHERE id = $1`,
      [signed.entryId],
    );
    expect(rows[0]).toEqual({
      n: batch.length,
      digest,
      details: { firstEventId: receipt.firstEventId, lastEventId: receipt.lastEventId },
      purpose: PURPOSE,
    });
    stream.close();

    // over all the streams of this file: every delivered record is counted in some entry
    const { rows: totals } = await h.db.pool.query(
      `SELECT count(*)::int AS entries, sum(record_count)::int AS records FROM evidence_entries
        WHERE operation = 'subscription-delivery' AND grant_id = $1`,
      [granted.grantId],
    );
    expect(totals[0].entries).toBeGreaterThan(5);
    expect(totals[0].records).toBeGreaterThan(300);
  });

  it('one LISTEN connection per process however many streams, none when no stream runs', async () => {
    const streams = await Promise.all([
      subscribe(h.exchange.base, granted.grantId),
      subscribe(h.exchange.base, granted.grantId),
      subscribe(h.exchange.base, granted.grantId),
      subscribe(other.server.base, granted.grantId),
      subscribe(other.server.base, granted.grantId),
    ]);
    for (const s of streams)
      await s.until((events) => events.some((e) => e.event === 'ready'), 'the ready event');
    expect(await listeners()).toBe(2);
    await ingest([people[26]!]);
    for (const s of streams) await s.until(countRecords(1), 'the new record');
    for (const s of streams) s.close();
    await eventually(async () => (await listeners()) === 0, 'the LISTEN connections to close');
  });

  it('a dropped LISTEN connection loses nothing: the stream resyncs and the connection returns', async () => {
    const stream = await subscribe(h.exchange.base, granted.grantId);
    await stream.until((events) => events.some((e) => e.event === 'ready'), 'the ready event');
    await h.db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1`,
      [LISTEN_APPLICATION],
    );
    await ingest([people[28]!]);
    await stream.until(countRecords(1), 'the record written while the connection was down');
    await eventually(async () => (await listeners()) === 1, 'the LISTEN connection to return');
    await ingest([people[34]!]);
    await stream.until(countRecords(2), 'the next record');
    expect(stream.records().map((r) => r.record.name)).toEqual([
      people[28]!.name,
      people[34]!.name,
    ]);
    stream.close();
  });

  it('a process shutting down ends its streams so it can stop; the client resumes on another', async () => {
    const db = createDatabase({ url: h.testDb.url, max: 2 });
    const server = await new Promise<Server>((resolve) => {
      const s = createExchangeApiApp(h.serviceDependencies(db, 'exchange-api-3')).listen(
        0,
        '127.0.0.1',
        () => resolve(s),
      );
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const stream = await subscribe(base, granted.grantId);
      await stream.until((events) => events.some((e) => e.event === 'ready'), 'the ready event');
      await ingest([people[36]!]);
      await stream.until(countRecords(1), 'a record');
      const lastSeen = stream.records()[0]!.id;
      // what startService does on SIGTERM: stop accepting, wait for open connections
      const closed = new Promise((resolve) => server.close(resolve));
      await stream.ended;
      await closed;
      // no final event: nothing was refused, the client just reconnects
      expect(new Set(stream.events.map((e) => e.event))).toEqual(
        new Set(['ready', 'record', 'receipt']),
      );

      await ingest([people[38]!]);
      const resumed = await subscribe(other.server.base, granted.grantId, {
        lastEventId: lastSeen,
      });
      await resumed.until(countRecords(1), 'the record written in between');
      expect(resumed.records().map((r) => r.record.name)).toEqual([people[38]!.name]);
      resumed.close();
    } finally {
      server.closeAllConnections();
      await db.close();
    }
  });

  it('a suspension ends a stream on another API process within 1 s, with a suspended event', async () => {
    const stream = await subscribe(other.server.base, granted.grantId);
    await stream.until((events) => events.some((e) => e.event === 'ready'), 'the ready event');
    const approver = await h.token('hz-gaj.approver');
    const suspended = await call(h.exchange.base, 'POST', `/v1/grants/${granted.grantId}/suspend`, {
      token: approver,
      body: { reason: '核查中' },
    });
    const returned = performance.now();
    expect(suspended.body.status).toBe('suspended');
    const ended = await stream.ended;
    expect(ended - returned).toBeLessThan(1000);
    expect(stream.events.at(-1)).toMatchObject({ event: 'suspended' });
    expect(JSON.parse(stream.events.at(-1)!.data)).toMatchObject({
      type: '/problems/not-allowed',
      status: 403,
      // the provider's reason comes along, as the consumer's console shows it
      detail: '授权已暂停：核查中',
      grantStatus: 'suspended',
      statusReason: '核查中',
    });
    const refused = await subscribe(other.server.base, granted.grantId);
    expect(refused.status).toBe(403);
    expect(refused.problem).toMatchObject({ detail: '授权已暂停：核查中' });

    await call(h.exchange.base, 'POST', `/v1/grants/${granted.grantId}/resume`, {
      token: approver,
    });
    const again = await subscribe(other.server.base, granted.grantId);
    expect(again.status).toBe(200);
    again.close();
  });

  it('expiry ends a running stream within 1 s though nothing notifies it', async () => {
    const validUntil = new Date(Date.now() + 5_000);
    const shortLived = await grantedPeopleResource(h, { validUntil: validUntil.toISOString() }, 1);
    // the same instant on the monotonic clock the stream's end is measured with
    const expiresAt = performance.now() + (validUntil.getTime() - Date.now());
    const stream = await subscribe(h.exchange.base, shortLived.grantId);
    expect(stream.status).toBe(200);
    const ended = await stream.ended;
    expect(stream.events.at(-1)).toMatchObject({ event: 'expired' });
    expect(JSON.parse(stream.events.at(-1)!.data)).toMatchObject({ grantStatus: 'expired' });
    expect(ended - expiresAt).toBeLessThan(1000);
  });

  it('a revocation ends running streams on every process within 1 s; reconnecting is refused; the refusal is evidence', async () => {
    const here = await subscribe(h.exchange.base, granted.grantId);
    const there = await subscribe(other.server.base, granted.grantId);
    for (const s of [here, there])
      await s.until((events) => events.some((e) => e.event === 'ready'), 'the ready event');
    const revoked = await call(h.exchange.base, 'POST', `/v1/grants/${granted.grantId}/revoke`, {
      token: await h.token('hz-gaj.approver'),
      body: { reason: '用途已完成' },
    });
    const returned = performance.now();
    expect(revoked.body.status).toBe('revoked');
    for (const s of [here, there]) {
      const ended = await s.ended;
      expect(ended - returned).toBeLessThan(1000);
      const last = s.events.at(-1)!;
      expect(last.event).toBe('revoked');
      expect(JSON.parse(last.data)).toMatchObject({
        type: '/problems/not-allowed',
        title: '无权执行此操作',
        status: 403,
        detail: '授权已撤销：用途已完成',
        grantStatus: 'revoked',
      });
    }
    const reconnect = await subscribe(h.exchange.base, granted.grantId, { lastEventId: '1' });
    expect(reconnect.status).toBe(403);
    expect(reconnect.problem).toMatchObject({ grantStatus: 'revoked' });

    const { rows } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM evidence_entries
        WHERE operation = 'refusal' AND grant_id = $1 AND details->>'detail' = '授权已撤销：用途已完成'`,
      [granted.grantId],
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(3);
  });
});

describe('record deletion (ADR 0012)', () => {
  it('a provider deletes records; only the grants that could see them hear `removed`, under the key they know; evidence without data', async () => {
    const mine = await grantedPeopleResource(
      h,
      {
        masks: { id_number: { kind: 'hmac_pseudonym' } },
        rowFilter: { field: 'district', op: '=', value: '西湖区' },
      },
      6,
    );
    // people 0, 2, 4 are in 西湖区 (the grant's view), 1, 3, 5 in 上城区
    const [p0, p1, p2, p3, p4] = mine.people;
    const provider = await h.systemToken('hz-gaj-system');
    const path = `/v1/resources/${mine.resourceCode}/records`;
    const stream = await subscribe(h.exchange.base, mine.grantId, { query: '?from=beginning' });
    await stream.until(countRecords(3), 'the current records');
    const keyOf = (name: string) => stream.records().find((r) => r.record.name === name)!.key;

    const one = await call(h.exchange.base, 'DELETE', `${path}/${p0!.id_number}`, {
      token: provider,
    });
    expect(one.status, JSON.stringify(one.body)).toBe(204);
    // a record outside the grant's filter: this grant is told nothing
    expect(
      (await call(h.exchange.base, 'DELETE', `${path}/${p1!.id_number}`, { token: provider }))
        .status,
    ).toBe(204);
    // a batch: a new record written, a stored one deleted, an unknown key skipped
    const fresh = demoPeople(8)[6]!;
    const batch = await call(h.exchange.base, 'POST', path, {
      token: provider,
      body: { records: [fresh], delete: [p2!.id_number, '330106199001019999'] },
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    expect(batch.body).toMatchObject({ accepted: 1, rejected: 0, deleted: 1 });

    await stream.until(
      (events) => removals(events).length >= 2 && countRecords(4)(events),
      'removals',
    );
    const tail = stream.events
      .filter((e) => e.event === 'record' || e.event === 'removed')
      .slice(3);
    expect(tail.map((e) => [e.event, JSON.parse(e.data).key])).toEqual([
      ['removed', keyOf(p0!.name)],
      ['record', expect.any(String)],
      ['removed', keyOf(p2!.name)],
    ]);
    expect(JSON.parse(tail[1]!.data).record.name).toBe(fresh.name);
    // the consumer never learns the real number, nor of 上城区's deletion
    const raw = stream.events.map((e) => e.data).join('\n');
    for (const p of mine.people) expect(raw).not.toContain(p.id_number);
    const ids = stream.events.filter((e) => e.id).map((e) => BigInt(e.id!));
    expect(ids.every((id, i) => i === 0 || id >= ids[i - 1]!)).toBe(true);

    // a removal is a delivery in the evidence, counted apart
    await stream.until(
      (events) => events.filter((e) => e.event === 'receipt').length >= 2,
      'receipts',
    );
    const { rows: deliveries } = await h.db.pool.query(
      `SELECT details FROM evidence_entries
        WHERE operation = 'subscription-delivery' AND grant_id = $1 AND details ? 'removed'`,
      [mine.grantId],
    );
    expect(deliveries.map((r) => r.details.removed as number).reduce((a, b) => a + b, 0)).toBe(2);
    stream.close();

    // gone from the store and from every read
    const { rows: left } = await h.db.pool.query(
      `SELECT r.record_key FROM records r JOIN resources res ON res.id = r.resource_id
        WHERE res.code = $1 ORDER BY r.record_key`,
      [mine.resourceCode],
    );
    expect(left.map((r) => r.record_key)).toEqual(
      [p3!, p4!, mine.people[5]!, fresh].map((p) => p.id_number).sort(),
    );
    const query = await call(h.exchange.base, 'GET', `/v1/grants/${mine.grantId}/records`, {
      token: consumer,
      headers: { 'x-purpose': PURPOSE },
    });
    expect(query.body.items.map((r: { name: string }) => r.name).sort()).toEqual(
      [p4!.name, fresh.name].sort(),
    );

    // resuming from before the deletions replays them; a stream from now starts after them
    const replay = await subscribe(h.exchange.base, mine.grantId, {
      lastEventId: stream.records()[2]!.id,
    });
    await replay.until((events) => removals(events).length >= 2, 'the replayed removals');
    expect(removals(replay.events).map((e) => JSON.parse(e.data).key)).toEqual([
      keyOf(p0!.name),
      keyOf(p2!.name),
    ]);
    replay.close();
    const now = await subscribe(h.exchange.base, mine.grantId);
    await now.until((events) => events.some((e) => e.event === 'ready'), 'the ready event');
    expect(BigInt(now.events[0]!.id!)).toBeGreaterThanOrEqual(BigInt(tail[2]!.id!));
    now.close();

    // evidence: who deleted how many, the keys as a digest, no data
    const { rows: evidence } = await h.db.pool.query(
      `SELECT actor, department_code, record_count::int AS n, details FROM evidence_entries
        WHERE operation = 'delete' AND resource_code = $1 ORDER BY seq`,
      [mine.resourceCode],
    );
    expect(evidence.map((e) => [e.department_code, e.n, e.details.requested])).toEqual([
      ['hz-gaj', 1, 1],
      ['hz-gaj', 1, 1],
      ['hz-gaj', 1, 2],
    ]);
    expect(evidence[2]!.details.keysDigest).toBe(digestOf([p2!.id_number]));
    expect(JSON.stringify(evidence)).not.toContain(p2!.name);
  });

  it('a change that takes a record out of the grant’s row filter is a removal for that grant; back in, a record again', async () => {
    const mine = await grantedPeopleResource(
      h,
      {
        masks: { id_number: { kind: 'hmac_pseudonym' } },
        rowFilter: { field: 'district', op: '=', value: '西湖区' },
      },
      4,
    );
    // people 0 and 2 are in 西湖区 (the grant's view), 1 and 3 in 上城区
    const [p0, p1] = mine.people;
    const provider = await h.systemToken('hz-gaj-system');
    const push = async (records: unknown[]) => {
      const res = await call(
        h.exchange.base,
        'POST',
        `/v1/resources/${mine.resourceCode}/records`,
        { token: provider, body: { records } },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const stream = await subscribe(h.exchange.base, mine.grantId, { query: '?from=beginning' });
    await stream.until(countRecords(2), 'the current records');
    const key0 = stream.records().find((r) => r.record.name === p0!.name)!.key;
    const seen = () => stream.events.filter((e) => e.event === 'record' || e.event === 'removed');

    // p0 moves to 上城区 (out of the view); p1 changes inside 上城区 (never in it)
    await push([
      { ...p0!, district: '上城区', address: '浙江省杭州市上城区解放路1号' },
      { ...p1!, mobile: '13900000001' },
    ]);
    await stream.until((events) => removals(events).length >= 1, 'the removal');
    // and back
    await push([{ ...p0!, district: '西湖区', mobile: '13900000002' }]);
    await stream.until(countRecords(3), 'the record back in the view');
    expect(
      seen()
        .slice(2)
        .map((e) => [e.event, JSON.parse(e.data).key]),
    ).toEqual([
      ['removed', key0],
      ['record', key0],
    ]);
    expect(JSON.parse(seen()[3]!.data).record).toMatchObject({
      name: p0!.name,
      district: '西湖区',
      mobile: '13900000002',
    });
    const raw = stream.events.map((e) => e.data).join('\n');
    expect(raw).not.toContain(p0!.id_number);
    expect(raw).not.toContain(p1!.name);
    stream.close();

    // noted as a record leaving this grant's view, not as a deletion; the record stays stored
    const { rows } = await h.db.pool.query(
      `SELECT d.record_key, d.kind, d.grants FROM record_deletions d
         JOIN resources r ON r.id = d.resource_id WHERE r.code = $1`,
      [mine.resourceCode],
    );
    expect(rows).toEqual([
      { record_key: p0!.id_number, kind: 'left', grants: { [mine.grantId]: { id_number: key0 } } },
    ]);
    const query = await call(h.exchange.base, 'GET', `/v1/grants/${mine.grantId}/records`, {
      token: consumer,
      headers: { 'x-purpose': PURPOSE },
    });
    expect(query.body.items).toHaveLength(2);
  });

  it('refuses what it cannot do: an unknown key (404), a key written and deleted at once (400), another department (404), no token (401)', async () => {
    const mine = await grantedPeopleResource(h, {}, 2);
    const path = `/v1/resources/${mine.resourceCode}/records`;
    const provider = await h.systemToken('hz-gaj-system');
    const person = mine.people[0]!;

    const unknown = await call(h.exchange.base, 'DELETE', `${path}/330106199001019999`, {
      token: provider,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toMatch(/problem\+json/);

    const both = await call(h.exchange.base, 'POST', path, {
      token: provider,
      body: { records: [person], delete: [person.id_number] },
    });
    expect(both.status).toBe(400);
    expect(both.body.errors[0]).toMatchObject({ path: '/delete/0' });
    const empty = await call(h.exchange.base, 'POST', path, { token: provider, body: {} });
    expect(empty.status).toBe(400);
    const notStrings = await call(h.exchange.base, 'POST', path, {
      token: provider,
      body: { delete: [42] },
    });
    expect(notStrings.status).toBe(400);

    const foreign = await call(h.exchange.base, 'DELETE', `${path}/${person.id_number}`, {
      token: consumer,
    });
    expect(foreign.status).toBe(404);
    const anonymous = await call(h.exchange.base, 'DELETE', `${path}/${person.id_number}`);
    expect(anonymous.status).toBe(401);

    // nothing was deleted by any of them
    const { rows } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM records r JOIN resources res ON res.id = r.resource_id
        WHERE res.code = $1`,
      [mine.resourceCode],
    );
    expect(rows[0].n).toBe(2);
    const { rows: deletions } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM evidence_entries WHERE operation = 'delete' AND resource_code = $1`,
      [mine.resourceCode],
    );
    expect(deletions[0].n).toBe(0);
  });
});

describe('the retention of deleted keys (ADR 0012)', () => {
  const deletedKeys = async (resourceCode: string) =>
    (
      await h.db.pool.query<{ record_key: string }>(
        `SELECT d.record_key FROM record_deletions d JOIN resources r ON r.id = d.resource_id
          WHERE r.code = $1 ORDER BY d.change_seq`,
        [resourceCode],
      )
    ).rows.map((r) => r.record_key);

  it('forgets a deleted key after the retention; a resume from before it must resynchronise (410), later resumes and running streams carry on', async () => {
    const mine = await grantedPeopleResource(
      h,
      {
        masks: { id_number: { kind: 'hmac_pseudonym' } },
        rowFilter: { field: 'district', op: '=', value: '西湖区' },
      },
      6,
    );
    const [p0, , p2] = mine.people;
    // a second grant of the same consumer, to 上城区, which could see neither deleted record
    const east = await approvedRequest(h, mine.resourceCode, {
      rowFilter: { field: 'district', op: '=', value: '上城区' },
    });
    const provider = await h.systemToken('hz-gaj-system');
    const path = `/v1/resources/${mine.resourceCode}/records`;
    const stream = await subscribe(h.exchange.base, mine.grantId, { query: '?from=beginning' });
    await stream.until(countRecords(3), 'the current records');
    const keyOf = (name: string) => stream.records().find((r) => r.record.name === name)!.key;
    const beforeDeletions = stream.records().at(-1)!.id;
    for (const person of [p0!, p2!]) {
      const res = await call(h.exchange.base, 'DELETE', `${path}/${person.id_number}`, {
        token: provider,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(204);
    }
    await stream.until((events) => removals(events).length >= 2, 'the removals');
    const [first, second] = removals(stream.events).map((e) => e.id!);

    // the first deletion is past the (default) retention of 168 hours, the second is not
    await h.db.pool.query(
      `UPDATE record_deletions SET deleted_at = now() - interval '169 hours' WHERE change_seq = $1`,
      [first],
    );
    // the exchange API's scheduled job, as main.ts runs it every RECORD_DELETION_PURGE_INTERVAL_SECONDS
    const retention = new RecordDeletionRetention({
      pool: h.db.pool,
      logger: h.logs.logger,
      retentionHours: 168,
      intervalSeconds: 0,
    });
    expect(await retention.pass()).toEqual({ ran: true, purged: 1, resources: 1, grants: 1 });
    // nor does the request log hold the deleted key: a deletion's path, and a get-by-key the
    // spec refuses before routing, log `:key`
    const refused = await call(h.exchange.base, 'GET', `/v1/grants/x/records/${p0!.id_number}`, {
      token: consumer,
      headers: { 'x-purpose': PURPOSE },
    });
    expect(refused.status).toBe(400);
    // it says how many, never which
    const said = h.logs
      .lines()
      .filter((l) => l.msg === 'record deletion retention purged deleted keys');
    expect(said.at(-1)).toMatchObject({ purged: 1, resources: 1, retentionHours: 168 });
    expect(JSON.stringify(h.logs.lines())).not.toContain(p0!.id_number);
    // p0's ID number (and its pseudonym) is in no deletion of this resource any more
    expect(await deletedKeys(mine.resourceCode)).toEqual([p2!.id_number]);
    const { rows: left } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM record_deletions d JOIN resources r ON r.id = d.resource_id
        WHERE r.code = $3 AND (d.grants::text LIKE $1 OR d.record_key = $2)`,
      [`%${keyOf(p0!.name)}%`, p0!.id_number, mine.resourceCode],
    );
    expect(left[0].n).toBe(0);
    // a second pass finds nothing more to do
    expect(await purgeRecordDeletions(h.db.pool, { retentionHours: 168 })).toMatchObject({
      purged: 0,
    });

    // the running stream was past the purged deletion: it carries on
    const fresh = demoPeople(8)[6]!;
    expect(
      (await call(h.exchange.base, 'POST', path, { token: provider, body: { records: [fresh] } }))
        .status,
    ).toBe(200);
    await stream.until(countRecords(4), 'a change after the purge');
    stream.close();

    // a client that last heard an event before the purged deletion may not have heard it
    const stale = await subscribe(h.exchange.base, mine.grantId, {
      lastEventId: beforeDeletions,
    });
    expect(stale.status).toBe(410);
    expect(stale.problem).toMatchObject({
      type: expect.stringMatching(/\/problems\/resync-required$/),
      status: 410,
      lastEventId: beforeDeletions,
    });
    expect(stale.problem!.detail).toContain('from=beginning');
    // the horizon is the grant's: the 上城区 grant missed nothing and resumes from there
    const unaffected = await subscribe(h.exchange.base, east.grantId, {
      lastEventId: beforeDeletions,
    });
    expect(unaffected.status).toBe(200);
    await unaffected.until((events) => events.some((e) => e.event === 'ready'), 'its ready event');
    unaffected.close();
    // one that heard it resumes as before: the later removal and the new record are replayed
    const resumed = await subscribe(h.exchange.base, mine.grantId, { lastEventId: first });
    await resumed.until(
      (events) => removals(events).length >= 1 && countRecords(1)(events),
      'the replay after the purged deletion',
    );
    expect(removals(resumed.events).map((e) => [e.id, JSON.parse(e.data).key])).toEqual([
      [second, keyOf(p2!.name)],
    ]);
    expect(resumed.records().map((r) => r.record.name)).toEqual([fresh.name]);
    resumed.close();
    // a stream from now starts at or after the horizon, so its ids stay resumable
    const now = await subscribe(h.exchange.base, mine.grantId);
    await now.until((events) => events.some((e) => e.event === 'ready'), 'the ready event');
    expect(BigInt(now.events[0]!.id!)).toBeGreaterThanOrEqual(BigInt(first!));
    now.close();
  });

  it('keeps a deletion the connector relay has not moved yet, whatever its age', async () => {
    const mine = await grantedPeopleResource(h, {}, 2);
    const person = mine.people[0]!;
    const res = await call(
      h.exchange.base,
      'DELETE',
      `/v1/resources/${mine.resourceCode}/records/${person.id_number}`,
      { token: await h.systemToken('hz-gaj-system') },
    );
    expect(res.status).toBe(204);
    // as the outbox holds it while no connector worker runs (the resource has no connectors
    // here, so the API put none: this is the row it puts when one has)
    await h.db.pool.query(
      `INSERT INTO record_outbox (resource_id, record_key, deleted)
       SELECT id, $2, true FROM resources WHERE code = $1`,
      [mine.resourceCode, person.id_number],
    );
    await h.db.pool.query(
      `UPDATE record_deletions SET deleted_at = now() - interval '1000 hours'
        WHERE record_key = $1`,
      [person.id_number],
    );
    await purgeRecordDeletions(h.db.pool, { retentionHours: 1 });
    expect(await deletedKeys(mine.resourceCode)).toEqual([person.id_number]);
    // once relayed, the next pass purges it
    await h.db.pool.query('DELETE FROM record_outbox WHERE record_key = $1', [person.id_number]);
    await purgeRecordDeletions(h.db.pool, { retentionHours: 1 });
    expect(await deletedKeys(mine.resourceCode)).toEqual([]);
  });

  it('ends a stream that lags behind a purge with `event: resync`: a removal beyond its position may be gone', async () => {
    const mine = await grantedPeopleResource(h, {}, 2);
    const provider = await h.systemToken('hz-gaj-system');
    const path = `/v1/resources/${mine.resourceCode}/records`;
    // records with long names (≈ 2 KB an event), so that the 8 000 events outgrow what the
    // sockets buffer and a client which stops reading holds the stream back
    const people = demoPeople(8_000).map((p) => ({ ...p, name: p.name + '名'.repeat(600) }));
    for (let i = 2; i < people.length; i += 2_000) {
      const res = await call(h.exchange.base, 'POST', path, {
        token: provider,
        body: { records: people.slice(i, i + 2_000) },
      });
      expect(res.status).toBe(200);
    }
    const req = http.get(
      `${h.exchange.base}/v1/grants/${mine.grantId}/subscription?from=beginning`,
      {
        headers: {
          authorization: `Bearer ${consumer}`,
          accept: 'text/event-stream',
          'x-purpose': PURPOSE,
        },
      },
    );
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    expect(res.statusCode).toBe(200);
    res.pause();
    // where the server stands: its last evidenced event, once it stops moving
    const position = async () =>
      Number(
        (
          await h.db.pool.query(
            `SELECT coalesce(max((details->>'lastEventId')::bigint), 0) AS p FROM evidence_entries
              WHERE grant_id = $1 AND operation = 'subscription-delivery'`,
            [mine.grantId],
          )
        ).rows[0].p,
      );
    let last = -1;
    await eventually(async () => {
      const p = await position();
      const still = p > 0 && p === last;
      last = p;
      if (!still) await new Promise((resolve) => setTimeout(resolve, 300));
      return still;
    }, 'the stream held back by its client');
    const { rows: newest } = await h.db.pool.query(
      `SELECT max(change_seq)::bigint AS seq FROM records r JOIN resources res ON res.id = r.resource_id
        WHERE res.code = $1`,
      [mine.resourceCode],
    );
    expect(last).toBeLessThan(Number(newest[0].seq));

    // a record beyond the stream's position is deleted, and a purge without retention takes it
    const tail = people.at(-1)!;
    expect(
      (await call(h.exchange.base, 'DELETE', `${path}/${tail.id_number}`, { token: provider }))
        .status,
    ).toBe(204);
    expect((await purgeRecordDeletions(h.db.pool, { retentionHours: 0 })).purged).toBeGreaterThan(
      0,
    );

    const events: SseEvent[] = [];
    const feed = parseEvents((e) => events.push(e));
    res.setEncoding('utf8');
    res.on('data', feed);
    res.resume();
    await once(res, 'end');
    const final = events.at(-1)!;
    expect(final.event).toBe('resync');
    expect(JSON.parse(final.data)).toMatchObject({
      type: expect.stringMatching(/\/problems\/resync-required$/),
      status: 410,
    });
    expect(events.some((e) => e.event === 'removed')).toBe(false);
    // everything the client received before the end was evidenced, nothing after the position
    const received = events.filter((e) => e.event === 'record');
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(people.length - 1);
  });
});

afterAll(() => {
  const errors = h?.logs.lines().filter((l) => l.msg === 'unhandled error') ?? [];
  expect(errors).toEqual([]);
});
