import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import express, { type ErrorRequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { afterAll, describe, expect, it } from 'vitest';
import { openApiFastPath } from './openApiFastPath.ts';

/**
 * The fast path may only accept what express-openapi-validator accepts. Each case sends one
 * request to an app that asks the fast path, then runs the validator alone (as configured in
 * createHttpApp) and reports both verdicts.
 */

const UUID = '2cc84387-7873-4392-8a53-1e0aa62fb016';
const VALUES = [
  UUID,
  UUID.toUpperCase(),
  `urn:uuid:${UUID}`,
  `${UUID}x`,
  'not-a-uuid',
  '330106199001000007',
  '101001001-002489129-000001',
  'SOCIAL_SECURITY',
  'social_security',
  'S',
  '中文',
  '%00',
  '%E0%A4%A',
  'a%2Fb',
  '%20',
  "'%20OR%201=1--",
  'x'.repeat(1001),
  'x'.repeat(1000),
  '-1',
  '1e309',
  '42',
  'true',
];
const HEADER_VALUES = [
  undefined,
  'SOCIAL_SECURITY',
  'STATISTICS',
  'bad purpose',
  '',
  'A',
  'caf\u00e9',
];
const QUERIES = ['', '', '', '?', '?limit=10', '?x=1'];

/** mulberry32: the same cases every run */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Verdict {
  fast: boolean;
  passed: boolean;
  status?: number;
}

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function compare(specPath: string) {
  const fastPath = openApiFastPath(specPath);
  await fastPath.ready;
  const app = express();
  app.use((req, res, next) => {
    res.locals.fast = fastPath.accepts(req);
    next();
  });
  app.use(
    OpenApiValidator.middleware({
      apiSpec: specPath,
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: false,
      validateSecurity: false,
      ignoreUndocumented: false,
    }),
  );
  // in a header, so that HEAD requests carry it too
  const answer = (res: express.Response, verdict: Verdict) =>
    res.setHeader('x-verdict', JSON.stringify(verdict)).end();
  app.use((_req, res) => {
    answer(res, { fast: res.locals.fast as boolean, passed: true });
  });
  const refused: ErrorRequestHandler = (err: { status?: number }, _req, res, _next) => {
    answer(res, { fast: res.locals.fast as boolean, passed: false, status: err.status });
  };
  app.use(refused);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (
    method: string,
    url: string,
    headers: Record<string, string> = {},
  ): Promise<Verdict> => {
    const res = await fetch(`${base}${url}`, { method, headers });
    await res.arrayBuffer();
    return JSON.parse(res.headers.get('x-verdict')!) as Verdict;
  };
}

/** Requests around every path template of a spec: its own methods and others, good and bad values. */
async function explore(specPath: string, cases: number, seed: number) {
  const send = await compare(specPath);
  const doc = (await $RefParser.dereference(specPath)) as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  };
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const headerNames = new Set(['x-purpose']);
  for (const item of Object.values(doc.paths)) {
    for (const value of Object.values(item)) {
      const parameters = Array.isArray(value)
        ? value
        : ((value as { parameters?: [] }).parameters ?? []);
      for (const p of parameters as { name: string; in: string }[])
        if (p.in === 'header') headerNames.add(p.name.toLowerCase());
    }
  }
  const templates = Object.keys(doc.paths);
  const verdicts: (Verdict & { request: string })[] = [];
  for (let i = 0; i < cases; i += 1) {
    const template = pick(templates);
    const methods = Object.keys(doc.paths[template]!).filter((m) => m !== 'parameters');
    const method = next() < 0.85 ? pick(methods) : pick(['get', 'post', 'put', 'delete', 'head']);
    let url = template.replace(/\{[^}]+\}/g, () => pick(VALUES));
    if (next() < 0.05) url += '/';
    if (next() < 0.05) url = url.toUpperCase();
    url += pick(QUERIES);
    const headers: Record<string, string> = {};
    for (const name of headerNames) {
      const value = pick(HEADER_VALUES);
      if (value !== undefined) headers[name] = value;
    }
    const verdict = await send(method.toUpperCase(), url, headers);
    verdicts.push({
      ...verdict,
      request: `${method.toUpperCase()} ${url} ${JSON.stringify(headers)}`,
    });
  }
  return verdicts;
}

const unsound = (verdicts: (Verdict & { request: string })[]) =>
  verdicts.filter((v) => v.fast && !v.passed).map((v) => `${v.request} → ${v.status}`);

const specDir = fileURLToPath(new URL('../../../schemas/openapi/', import.meta.url));

function syntheticSpec(): string {
  const purpose = {
    name: 'X-Purpose',
    in: 'header',
    required: false,
    schema: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,31}$' },
  };
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const ok = { responses: { '200': { description: 'ok' } } };
  const spec = {
    openapi: '3.1.0',
    info: { title: 'fast path cases', version: '1' },
    servers: [{ url: 'http://127.0.0.1:4000' }],
    paths: {
      '/things/{id}': {
        parameters: [id, purpose],
        get: ok,
        put: {
          ...ok,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
      '/things/special': { get: ok },
      '/things/{id}/records': { parameters: [id], get: ok },
      '/things/{id}/{change}': {
        parameters: [
          id,
          {
            name: 'change',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: ['suspend', 'resume'] },
          },
        ],
        post: ok,
        get: ok,
      },
      '/things/{id}/records/{key}': {
        parameters: [
          id,
          { ...purpose, required: true },
          {
            name: 'key',
            in: 'path',
            required: true,
            schema: { type: 'string', minLength: 1, maxLength: 1000 },
          },
        ],
        get: ok,
      },
      '/counted/{n}': {
        get: {
          ...ok,
          parameters: [
            { name: 'n', in: 'path', required: true, schema: { type: 'integer', maximum: 10 } },
          ],
        },
      },
      '/listed': {
        get: {
          ...ok,
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', default: 100 } }],
        },
      },
      '/searched': {
        get: {
          ...ok,
          parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string' } }],
        },
      },
      '/optional': {
        get: { ...ok, parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }] },
      },
      '/.well-known/keys.json': { get: ok },
    },
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fast-path-'));
  const file = path.join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

describe('OpenAPI fast path', () => {
  it('accepts exactly the plain requests the validator accepts, and leaves everything else to it', async () => {
    const send = await compare(syntheticSpec());
    const good = { 'x-purpose': 'SOCIAL_SECURITY' };
    const expectations: [string, string, Record<string, string>, boolean, boolean][] = [
      // method, url, headers, fast path takes it, validator accepts it
      ['GET', `/things/${UUID}`, good, true, true],
      ['GET', `/things/${UUID}`, {}, true, true],
      ['GET', `/things/${UUID}/`, {}, true, true],
      ['GET', `/THINGS/${UUID}`, {}, true, true],
      ['GET', `/things/${UUID}/records/330106199001000007`, good, true, true],
      ['GET', '/.well-known/keys.json', {}, true, true],
      ['GET', '/optional', {}, true, true],
      // refused by the validator: never taken by the fast path
      ['GET', '/things/not-a-uuid', {}, false, false],
      ['GET', `/things/${UUID}`, { 'x-purpose': 'bad purpose' }, false, false],
      ['GET', `/things/${UUID}/records/330106199001000007`, {}, false, false],
      ['GET', `/things/${UUID}/records/${'x'.repeat(1001)}`, good, false, false],
      ['GET', `/things/${UUID}?x=1`, {}, false, false],
      ['DELETE', `/things/${UUID}`, {}, false, false],
      ['HEAD', `/things/${UUID}`, {}, false, false],
      ['GET', '/counted/11', {}, false, false],
      ['GET', '/searched', {}, false, false],
      ['GET', `/things/${UUID}/records/%E0%A4%A`, good, false, false],
      // accepted by the validator but not the fast path's to vouch for
      ['GET', '/counted/7', {}, false, true],
      ['GET', '/listed', {}, false, true],
      ['GET', '/optional?q=1', {}, false, true],
      // two templates match: the validator's order decides
      ['GET', `/things/${UUID}/records`, {}, false, true],
      ['GET', '/things/special', {}, false, true],
    ];
    for (const [method, url, headers, fast, passed] of expectations) {
      const verdict = await send(method, url, headers);
      expect({ request: `${method} ${url}`, fast: verdict.fast, passed: verdict.passed }).toEqual({
        request: `${method} ${url}`,
        fast,
        passed,
      });
    }
  });

  it('never accepts what the validator refuses, over generated requests to the synthetic spec', async () => {
    const verdicts = await explore(syntheticSpec(), 600, 1);
    expect(unsound(verdicts)).toEqual([]);
    expect(verdicts.filter((v) => v.fast).length).toBeGreaterThan(20);
  });

  it.each(['exchange-api', 'catalog', 'connectors'])(
    'never accepts what the validator refuses, over generated requests to the %s spec',
    async (service) => {
      const verdicts = await explore(path.join(specDir, `${service}.yaml`), 400, 7);
      expect(unsound(verdicts)).toEqual([]);
      expect(verdicts.some((v) => v.fast)).toBe(true);
    },
  );

  it('takes the records API get by key', async () => {
    const send = await compare(path.join(specDir, 'exchange-api.yaml'));
    const verdict = await send('GET', `/v1/grants/${UUID}/records/330106199001000007`, {
      'x-purpose': 'SOCIAL_SECURITY',
    });
    expect(verdict).toEqual({ fast: true, passed: true });
  });
});
