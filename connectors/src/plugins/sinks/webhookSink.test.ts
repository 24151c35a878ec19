import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '@gx/platform';
import { captureLogs } from '@gx/platform/testing';
import type { JsonValue, LogRecord } from '../../log/RecordLog.ts';
import type { PluginContext, SinkTask } from '../../runtime/plugin.ts';
import { createSecretResolver } from '../../runtime/secrets.ts';
import { headers } from '../../runtime/streamNames.ts';
import { signWebhook, verifyWebhookSignature, webhookSink } from './webhookSink.ts';

const KEY = 'shared-signing-key-0123456789';
const TOKEN = 'Bearer very-secret-token';
const STREAM = 'gx.delivery.grant-9';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  isSignatureValid: boolean;
}

interface TestServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A receiver that verifies each request's signature, then answers as `respond` says. */
async function startReceiver(
  respond: (attempt: number, res: ServerResponse) => void,
): Promise<TestServer> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({
        headers: req.headers,
        body: body.toString('utf8'),
        isSignatureValid: verifyWebhookSignature(
          body,
          String(req.headers['x-gx-timestamp']),
          String(req.headers['x-gx-signature']),
          KEY,
        ),
      });
      respond(received.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/licences`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function record(offset: number, key: string, value: JsonValue, partition = 1): LogRecord {
  return { stream: STREAM, partition, offset, key, value, headers: {}, timestamp: 0 };
}

/** A deletion of `key`: its value holds the key fields (ADR 0012). */
function tombstone(offset: number, key: string, value: JsonValue, partition = 1): LogRecord {
  return { ...record(offset, key, value, partition), headers: { [headers.op]: 'delete' } };
}

describe('webhook sink', () => {
  const logs = captureLogs();
  const cleanup: (() => Promise<void>)[] = [];
  const context: PluginContext = {
    connector: 'licences-hook',
    logger: logs.logger,
    secrets: createSecretResolver({ HOOK_KEY: KEY, HOOK_TOKEN: TOKEN }),
    keyFields: [],
    fieldTypes: {},
  };

  afterEach(async () => {
    await Promise.all(cleanup.splice(0).map((fn) => fn()));
  });

  async function open(url: string, options: Record<string, unknown> = {}): Promise<SinkTask> {
    const task = await webhookSink.create(
      { url, signingKey: { secret: { env: 'HOOK_KEY' } }, ...options },
      context,
    );
    cleanup.push(() => task.close());
    return task;
  }

  async function receiver(respond: (attempt: number, res: ServerResponse) => void) {
    const server = await startReceiver(respond);
    cleanup.push(() => server.close());
    return server;
  }

  it('delivers signed batches after the endpoint fails twice with 503', async () => {
    const server = await receiver((attempt, res) => {
      res.writeHead(attempt <= 2 ? 503 : 204).end();
    });
    const task = await open(server.url, {
      batchSize: 3,
      initialBackoffMs: 5,
      headers: { Authorization: { secret: { env: 'HOOK_TOKEN' } }, 'X-Tenant': 'city-police' },
    });
    const records = [
      record(10, 'A', { 证照号: 'A', 持有人: '旧' }),
      record(11, 'B', { 证照号: 'B' }),
      record(12, 'A', { 证照号: 'A', 持有人: '新' }),
      record(13, 'C', { 证照号: 'C' }),
      record(14, 'D', { 证照号: 'D' }),
    ];
    const { deadLetters } = await task.write(records, { signal: new AbortController().signal });
    expect(deadLetters).toEqual([]);

    // 503, 503, 204 for the first request, 204 for the second
    expect(server.received).toHaveLength(4);
    expect(server.received.every((r) => r.isSignatureValid)).toBe(true);
    const [first, , third, fourth] = server.received;
    expect(JSON.parse(third!.body)).toEqual({
      records: [
        { op: 'upsert', key: 'B', value: { 证照号: 'B' }, offset: 11, partition: 1 },
        { op: 'upsert', key: 'A', value: { 证照号: 'A', 持有人: '新' }, offset: 12, partition: 1 },
        { op: 'upsert', key: 'C', value: { 证照号: 'C' }, offset: 13, partition: 1 },
      ],
    });
    expect(JSON.parse(fourth!.body)).toEqual({
      records: [{ op: 'upsert', key: 'D', value: { 证照号: 'D' }, offset: 14, partition: 1 }],
    });
    expect(third!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-gx-connector': 'licences-hook',
      authorization: TOKEN,
      'x-tenant': 'city-police',
    });
    expect(third!.headers['x-gx-signature']).toBe(
      signWebhook(third!.body, String(third!.headers['x-gx-timestamp']), KEY),
    );
    // one idempotency key per request, the same on every attempt
    expect(third!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
    expect(fourth!.headers['idempotency-key']).not.toBe(first!.headers['idempotency-key']);
    expect(logs.text()).not.toContain('very-secret-token');
  });

  it('sends a tombstone newer than its upsert as a delete, and a record newer than its tombstone as an upsert', async () => {
    const server = await receiver((_attempt, res) => void res.writeHead(204).end());
    const task = await open(server.url);
    const { deadLetters } = await task.write(
      [
        record(20, 'A', { 证照号: 'A', 持有人: '张三' }),
        tombstone(21, 'A', { 证照号: 'A' }),
        tombstone(22, 'B', { 证照号: 'B' }),
        record(23, 'B', { 证照号: 'B', 持有人: '李四' }),
        // a key the receiver may never have held: it ignores the delete
        tombstone(24, 'Z', { 证照号: 'Z' }),
      ],
      { signal: new AbortController().signal },
    );
    expect(deadLetters).toEqual([]);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.isSignatureValid).toBe(true);
    expect(JSON.parse(server.received[0]!.body)).toEqual({
      records: [
        { op: 'delete', key: 'A', value: { 证照号: 'A' }, offset: 21, partition: 1 },
        {
          op: 'upsert',
          key: 'B',
          value: { 证照号: 'B', 持有人: '李四' },
          offset: 23,
          partition: 1,
        },
        { op: 'delete', key: 'Z', value: { 证照号: 'Z' }, offset: 24, partition: 1 },
      ],
    });
  });

  it('retries a later batch’s delete like any request and dead-letters it when the endpoint keeps failing', async () => {
    const server = await receiver(
      (attempt, res) => void res.writeHead(attempt === 2 ? 503 : attempt <= 3 ? 204 : 500).end(),
    );
    const task = await open(server.url, { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 5 });
    const signal = new AbortController().signal;
    await task.write([record(0, 'A', { 证照号: 'A', 持有人: '张三' })], { signal });
    // 503, then 204
    expect(await task.write([tombstone(1, 'A', { 证照号: 'A' })], { signal })).toEqual({
      deadLetters: [],
    });
    const [, failed, retried] = server.received;
    expect(JSON.parse(retried!.body)).toEqual({
      records: [{ op: 'delete', key: 'A', value: { 证照号: 'A' }, offset: 1, partition: 1 }],
    });
    expect(retried!.isSignatureValid).toBe(true);
    expect(retried!.headers['idempotency-key']).toBe(failed!.headers['idempotency-key']);

    // 500, 500: the deletion is a dead letter like an upsert would be
    const { deadLetters } = await task.write([tombstone(2, 'B', { 证照号: 'B' })], { signal });
    expect(server.received).toHaveLength(5);
    expect(deadLetters).toEqual([
      {
        key: 'B',
        value: { 证照号: 'B' },
        reason: 'Webhook 返回 500，已尝试 2 次后放弃',
        context: { stream: STREAM, partition: '1', offset: '2', attempts: '2' },
      },
    ]);
  });

  it('dead-letters a tombstone whose value is not the key fields, without sending it', async () => {
    const server = await receiver((_attempt, res) => void res.writeHead(204).end());
    const task = await open(server.url);
    const { deadLetters } = await task.write(
      [tombstone(0, 'A', null), tombstone(1, 'B', '证照号=B'), record(2, 'C', { 证照号: 'C' })],
      { signal: new AbortController().signal },
    );
    expect(deadLetters.map((d) => [d.key, d.value, d.reason])).toEqual([
      ['A', null, '删除标记的值不是 JSON 对象 (应为记录的键字段)，无法确定要删除的记录'],
      ['B', '证照号=B', '删除标记的值不是 JSON 对象 (应为记录的键字段)，无法确定要删除的记录'],
    ]);
    expect(server.received).toHaveLength(1);
    expect(JSON.parse(server.received[0]!.body)).toEqual({
      records: [{ op: 'upsert', key: 'C', value: { 证照号: 'C' }, offset: 2, partition: 1 }],
    });
  });

  it('dead-letters every record when the endpoint keeps answering 500', async () => {
    const server = await receiver((_attempt, res) => void res.writeHead(500).end('boom'));
    const task = await open(server.url, {
      maxAttempts: 3,
      initialBackoffMs: 1,
      maxBackoffMs: 5,
      headers: { Authorization: { secret: { env: 'HOOK_TOKEN' } } },
    });
    const records = [record(0, 'a', { n: 1 }), record(1, 'b', { n: 2 })];
    const { deadLetters } = await task.write(records, { signal: new AbortController().signal });
    expect(server.received).toHaveLength(3);
    expect(deadLetters).toEqual([
      {
        key: 'a',
        value: { n: 1 },
        reason: 'Webhook 返回 500，已尝试 3 次后放弃',
        context: { stream: STREAM, partition: '1', offset: '0', attempts: '3' },
      },
      {
        key: 'b',
        value: { n: 2 },
        reason: 'Webhook 返回 500，已尝试 3 次后放弃',
        context: { stream: STREAM, partition: '1', offset: '1', attempts: '3' },
      },
    ]);
    expect(JSON.stringify(deadLetters)).not.toContain('very-secret-token');
  });

  it('gives up at once on a 400 and waits as long as a 429 asks', async () => {
    const refusing = await receiver((_attempt, res) => void res.writeHead(400).end());
    const task = await open(refusing.url, { initialBackoffMs: 1 });
    const { deadLetters } = await task.write([record(0, 'a', { n: 1 })], {
      signal: new AbortController().signal,
    });
    expect(refusing.received).toHaveLength(1);
    expect(deadLetters.map((d) => d.reason)).toEqual(['Webhook 返回 400，不可重试']);

    const at: number[] = [];
    const limited = await receiver((attempt, res) => {
      at.push(performance.now());
      if (attempt === 1) res.writeHead(429, { 'Retry-After': '1' }).end();
      else res.writeHead(200).end('{}');
    });
    const patient = await open(limited.url, { initialBackoffMs: 1, maxBackoffMs: 1 });
    const result = await patient.write([record(0, 'a', { n: 1 })], {
      signal: new AbortController().signal,
    });
    expect(result.deadLetters).toEqual([]);
    expect(limited.received).toHaveLength(2);
    // a lower bound only: the sink must not come back before the server allowed it
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(950);
  });

  it('retries a hanging endpoint after each timeout, then dead-letters the records', async () => {
    const hanging = await receiver(() => undefined);
    const task = await open(hanging.url, { timeoutMs: 100, maxAttempts: 2, initialBackoffMs: 1 });
    const { deadLetters } = await task.write([record(5, 'x', { n: 1 })], {
      signal: new AbortController().signal,
    });
    expect(hanging.received).toHaveLength(2);
    expect(deadLetters.map((d) => d.reason)).toEqual([
      'Webhook 请求超时 (100 毫秒)，已尝试 2 次后放弃',
    ]);
  });

  it(
    'ends a write promptly when aborted during a request or a backoff',
    { timeout: 5_000 },
    async () => {
      const hanging = await receiver(() => undefined);
      const task = await open(hanging.url, { timeoutMs: 600_000 });
      const controller = new AbortController();
      const writing = task.write([record(0, 'x', { n: 1 })], { signal: controller.signal });
      while (hanging.received.length === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      await expect(writing).rejects.toMatchObject({ name: 'AbortError' });

      const failing = await receiver((_attempt, res) => void res.writeHead(503).end());
      const waiting = await open(failing.url, { initialBackoffMs: 600_000, maxBackoffMs: 600_000 });
      const second = new AbortController();
      const backingOff = waiting.write([record(0, 'x', { n: 1 })], { signal: second.signal });
      while (failing.received.length === 0) await new Promise((r) => setTimeout(r, 5));
      second.abort();
      await expect(backingOff).rejects.toMatchObject({ name: 'AbortError' });
      expect(failing.received).toHaveLength(1);
    },
  );

  it('refuses headers it sets itself and values HTTP cannot carry', async () => {
    await expect(
      open('http://127.0.0.1:1/', { headers: { 'x-gx-signature': 'forged' } }),
    ).rejects.toBeInstanceOf(InputError);
    await expect(
      open('http://127.0.0.1:1/', { headers: { 'X-Tenant': '市公安局' } }),
    ).rejects.toMatchObject({ extensions: { errors: [{ path: '/headers/X-Tenant' }] } });
  });
});

describe('verifyWebhookSignature', () => {
  const body = '{"records":[]}';
  const nowS = 1_800_000_000;
  const signature = signWebhook(body, nowS, KEY);

  it('accepts the signature of this body, key and a recent timestamp only', () => {
    expect(verifyWebhookSignature(body, String(nowS), signature, KEY, { nowS })).toBe(true);
    expect(
      verifyWebhookSignature(Buffer.from(body), nowS, signature, KEY, { nowS: nowS + 299 }),
    ).toBe(true);
    expect(verifyWebhookSignature(body + ' ', nowS, signature, KEY, { nowS })).toBe(false);
    expect(verifyWebhookSignature(body, nowS, signature, 'other key', { nowS })).toBe(false);
    expect(verifyWebhookSignature(body, nowS + 1, signature, KEY, { nowS })).toBe(false);
    expect(verifyWebhookSignature(body, nowS, signature, KEY, { nowS: nowS + 301 })).toBe(false);
    expect(
      verifyWebhookSignature(body, nowS, signature, KEY, { nowS: nowS + 3_600, toleranceS: 7_200 }),
    ).toBe(true);
    expect(verifyWebhookSignature(body, nowS, signature.slice(0, -1), KEY, { nowS })).toBe(false);
  });
});
