// The developer center's pure parts: the API documentation generated from the real OpenAPI
// documents, the actions a key may be given, and the sign-in redirect and CSRF checks.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { apiKeyActions, buildServiceDocs } from '../../portal/src/lib/apiDocs.ts';
import { loadOpenApiDocuments } from '../../portal/src/lib/openApiResolver.ts';
import { classify, safeNext, sameOrigin } from '../../portal/src/lib/auth/session.ts';
import { seal, unseal } from '../../portal/src/lib/auth/sessionCrypto.ts';

const OPENAPI = path.resolve(import.meta.dirname, '..', '..', 'schemas', 'openapi');
const load = async (name: string) =>
  parse(await readFile(path.join(OPENAPI, name), 'utf8')) as Record<string, unknown>;

describe('the API documentation', () => {
  it('lists every open-data operation with its parameters, responses and a runnable request', async () => {
    const [open, resolver] = await Promise.all([
      load('exchange-open.yaml'),
      loadOpenApiDocuments(path.dirname(OPENAPI), ['openapi/exchange-api.yaml']),
    ]);
    const docs = buildServiceDocs({
      resolver,
      file: 'openapi/exchange-api.yaml',
      baseUrl: 'https://data.example.gov.cn',
      apiKeyHeader: 'X-API-Key',
      prefix: '/v1/open/',
      exampleCode: '133010000-ABCDEFGHI-000001',
    }).operations;
    const openPaths = Object.keys(open.paths as object).filter((p) => p.startsWith('/v1/open/'));
    // the side file's paths, reached through exchange-api.yaml, and nothing outside /v1/open/
    expect(docs.map((d) => d.path)).toEqual(expect.arrayContaining(openPaths));
    expect(docs.every((d) => d.path.startsWith('/v1/open/'))).toBe(true);

    const records = docs.find((d) => d.path === '/v1/open/resources/{code}/records')!;
    expect(records).toMatchObject({ method: 'GET', auth: 'apiKey' });
    expect(records.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['code', 'filter', 'limit', 'after']),
    );
    expect(records.parameters.find((p) => p.name === 'limit')?.allowed).toContain('1–1000');
    // responses referenced from common.yaml carry common.yaml's descriptions
    expect(records.responses.find((r) => r.status === '401')?.description).toMatch(/^未认证/);
    expect(records.example).toBe(
      "curl \\\n  -H 'X-API-Key: <你的 API Key>' \\\n  'https://data.example.gov.cn/v1/open/resources/133010000-ABCDEFGHI-000001/records'",
    );

    const preview = docs.find((d) => d.path === '/v1/open/resources/{code}/preview')!;
    expect(preview.auth).toBe('anonymous');
    expect(preview.example).not.toContain('X-API-Key');
  });

  it('offers the key actions createApiKey declares', async () => {
    expect(apiKeyActions(await load('exchange-api.yaml'))).toEqual(['read', 'download']);
  });
});

describe('sessions and redirects', () => {
  it('returns only to paths of the portal after signing in', () => {
    expect(safeNext('/developer/keys?x=1')).toBe('/developer/keys?x=1');
    for (const bad of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'x', 7]) {
      expect(safeNext(bad)).toBe('/developer');
    }
  });

  it('accepts a POST only from the portal itself', () => {
    const post = (headers: Record<string, string>) =>
      new Request('http://127.0.0.1:3000/developer/keys/action', { method: 'POST', headers });
    expect(sameOrigin(post({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' }))).toBe(
      true,
    );
    expect(sameOrigin(post({ host: '127.0.0.1:3000', origin: 'http://evil.example' }))).toBe(false);
    expect(sameOrigin(post({ host: '127.0.0.1:3000', referer: 'http://evil.example/x' }))).toBe(
      false,
    );
    expect(sameOrigin(post({ host: '127.0.0.1:3000' }))).toBe(false);
  });

  it('reads a sealed session back, and a tampered or foreign one as invalid', async () => {
    const now = Math.floor(Date.now() / 1000);
    const session = { sub: 's', name: 'n', accessToken: 'a', accessExpiresAt: now + 300 };
    const sealed = await seal('session', session, 60);
    const read = await unseal<typeof session>('session', sealed);
    expect(classify(read, true)).toMatchObject({ kind: 'active', session });
    expect(await unseal('login', sealed)).toBeUndefined();
    const tampered = `${sealed.slice(0, -4)}AAAA`;
    expect(classify(await unseal('session', tampered), true)).toEqual({ kind: 'invalid' });
    expect(classify(undefined, false)).toEqual({ kind: 'signed-out' });
    const stale = { ...session, accessExpiresAt: now - 1 };
    expect(classify(stale, true)).toEqual({ kind: 'invalid' });
    expect(classify({ ...stale, refreshToken: 'r' }, true).kind).toBe('renew');
  });
});
