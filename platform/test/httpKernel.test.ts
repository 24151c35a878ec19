import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientErrors } from '../src/http/answerClientErrors.ts';
import { createHttpApp } from '../src/http/createHttpApp.ts';
import { createMetrics } from '../src/metrics/createMetrics.ts';
import { captureLogs } from '../src/testing/captureLogs.ts';
import {
  ConflictError,
  InputError,
  NotFoundError,
  QuotaExceededError,
} from '../src/errors/errors.ts';

const logs = captureLogs('kernel-test');
let server: Server;
let base: string;
let ready = true;

beforeAll(async () => {
  const app = createHttpApp({
    service: 'kernel-test',
    logger: logs.logger,
    metrics: createMetrics('kernel-test'),
    readiness: [
      {
        name: 'database',
        async check() {
          if (!ready) throw new Error('connection refused');
        },
      },
    ],
    bodyLimit: '1kb',
    routes(app) {
      app.get('/boom', () => {
        throw new Error('secret internal detail: relation "grants" does not exist');
      });
      app.get('/async-boom', async () => {
        await Promise.resolve();
        throw new TypeError('cannot read properties of undefined');
      });
      app.get('/things/:id', (req) => {
        throw new NotFoundError(`没有编号为 ${req.params.id} 的资源`);
      });
      app.post('/things', (req, res) => {
        if (typeof req.body?.name !== 'string') {
          throw new InputError('name 必填', [{ path: '/body/name', message: '必填' }]);
        }
        if (req.body.name === 'dup') throw new ConflictError('名称已存在');
        res.status(201).json({ name: req.body.name });
      });
      app.get('/grants/:id/records/:key', (req, res) => {
        if (req.params.key === '330106199001019999') throw new NotFoundError('没有这条记录');
        res.json({ ok: true });
      });
      app.get('/limited', () => {
        throw new QuotaExceededError('今日配额已用完', 42.3);
      });
    },
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  answerClientErrors(server);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

/** the request log's latest line */
const lastRequestLog = () =>
  logs
    .lines()
    .filter((l) => l.msg === 'request')
    .at(-1);

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as Record<string, unknown>;
}

describe('HTTP kernel', () => {
  it("logs each request's route and path, with a record key left as `:key` (personal data)", async () => {
    const res = await fetch(`${base}/grants/g-1/records/330106199001011234?x=1`);
    expect(res.status).toBe(200);
    const logged = logs.lines().filter((l) => l.msg === 'request' && l.route !== 'unmatched');
    expect(logged.at(-1)).toMatchObject({
      method: 'GET',
      route: '/grants/:id/records/:key',
      path: '/grants/g-1/records/:key',
      status: 200,
    });
    // also when the answer is an error (Express has dropped req.params by then)
    const missing = await fetch(`${base}/grants/g-1/records/330106199001019999`);
    expect(missing.status).toBe(404);
    expect(lastRequestLog()).toMatchObject({
      path: '/grants/g-1/records/:key',
      status: 404,
    });
    expect(JSON.stringify(logs.lines())).not.toMatch(/33010619900101(1234|9999)/);
    // other paths are logged as sent
    await fetch(`${base}/things/42`);
    expect(lastRequestLog()).toMatchObject({
      path: '/things/42',
      status: 404,
    });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await fetch(`${base}/no/such/route?x=1`);
    expect(res.status).toBe(404);
    expect(await problem(res)).toEqual({
      type: '/problems/not-found',
      title: '资源不存在',
      status: 404,
      detail: '没有这个地址: GET /no/such/route',
      instance: '/no/such/route',
    });
  });

  it('answers an unexpected error with a bare 500 and logs the stack', async () => {
    for (const path of ['/boom', '/async-boom']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(500);
      const body = await problem(res);
      expect(body).toMatchObject({ type: '/problems/internal', status: 500, instance: path });
      const text = JSON.stringify(body);
      expect(text).not.toMatch(/secret internal detail|grants|TypeError|at .*\.ts/);
    }
    const logged = logs.lines().filter((l) => l.msg === 'unhandled error');
    expect(logged).toHaveLength(2);
    const err = logged[0]!.err as { message: string; stack: string };
    expect(err.message).toContain('secret internal detail');
    expect(err.stack).toContain('httpKernel.test.ts');
  });

  it('maps business errors to their status and problem type', async () => {
    const notFound = await fetch(`${base}/things/42`);
    expect(notFound.status).toBe(404);
    expect(await problem(notFound)).toMatchObject({
      type: '/problems/not-found',
      detail: '没有编号为 42 的资源',
    });

    const input = await fetch(`${base}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(input.status).toBe(400);
    expect(await problem(input)).toMatchObject({
      type: '/problems/input',
      errors: [{ path: '/body/name', message: '必填' }],
    });

    const conflict = await fetch(`${base}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'dup' }),
    });
    expect(conflict.status).toBe(409);
    expect(await problem(conflict)).toMatchObject({ type: '/problems/conflict' });

    const limited = await fetch(`${base}/limited`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('43');
    expect(await problem(limited)).toMatchObject({ type: '/problems/quota-exceeded' });
  });

  it('answers malformed and oversized JSON with 4xx problem+json', async () => {
    const malformed = await fetch(`${base}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(malformed.status).toBe(400);
    expect(await problem(malformed)).toMatchObject({
      type: '/problems/input',
      detail: '请求体不是合法的 JSON',
    });

    const huge = await fetch(`${base}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(5000) }),
    });
    expect(huge.status).toBe(413);
    expect(await problem(huge)).toMatchObject({ type: '/problems/payload-too-large' });
  });

  it('reports liveness and readiness', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', service: 'kernel-test' });

    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    ready = false;
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get('retry-after')).toBe('1');
    expect(await problem(notReady)).toMatchObject({
      detail: 'database: connection refused',
      checks: { database: 'connection refused' },
    });
    ready = true;
  });

  it('exposes latency histograms by route template at /metrics', async () => {
    await fetch(`${base}/things/7`);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/things\/:id",status="404"\} [1-9]\d*$/m,
    );
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('db_pool_connections_total');
  });

  it('never logs credentials carried by a request', async () => {
    await fetch(`${base}/things/1?page=2`, {
      headers: { authorization: 'Bearer eyJhbGciOi.secret-token', 'x-api-key': 'gx_live_abcdef' },
    });
    logs.logger.info(
      { config: { password: 'hunter2', DATABASE_URL: 'postgresql://u:pw@h/db' } },
      'booted',
    );
    logs.logger.info({ headers: { authorization: 'Basic dXNlcjpwdw==' } }, 'outbound call');
    const text = logs.text();
    for (const secret of ['secret-token', 'gx_live_abcdef', 'hunter2', 'u:pw', 'dXNlcjpwdw==']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[REDACTED]');
  });

  it('echoes a request id, or makes one', async () => {
    const given = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${base}/healthz`, { headers: { 'x-request-id': '<script>' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers requests the HTTP parser refuses (oversized URL, garbage) with problem+json', async () => {
    const long = await fetch(`${base}/things/${'长'.repeat(10_000)}`);
    expect(long.status).toBe(431);
    expect(await problem(long)).toMatchObject({ type: '/problems/input', status: 431 });

    const { connect } = await import('node:net');
    const port = (server.address() as AddressInfo).port;
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (c) => (text += c.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('application/problem+json');
  });
});
