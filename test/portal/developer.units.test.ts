// The developer center's pure parts: the API documentation generated from the real OpenAPI
// documents, the actions a key may be given, the sign-in redirect and CSRF checks, and what the
// public forms check and carry back when refused.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { messages } from '../../portal/src/lib/i18n/messages.ts';
import { describe, expect, it } from 'vitest';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { apiKeyActions, buildServiceDocs } from '../../portal/src/lib/apiDocs.ts';
import { exampleDataset } from '../../portal/src/lib/exampleDataset.ts';
import { buildApiExamples, type OpenApiDocument } from '../../portal/src/lib/apiExamples.ts';
import { loadOpenApiDocuments } from '../../portal/src/lib/openApiResolver.ts';
import { classify, safeNext, sameOrigin } from '../../portal/src/lib/auth/session.ts';
import { seal, unseal } from '../../portal/src/lib/auth/sessionCrypto.ts';
import {
  carriedFormData,
  carriedQuery,
  carriedValue,
  sealForm,
  unsealForm,
} from '../../portal/src/lib/console/carriedForm.ts';
import { loadPortalConfig } from '../../portal/src/config.ts';
import { isContact } from '../../portal/src/lib/contact.ts';
import { dataRequestFromForm } from '../../portal/src/lib/dataRequestForm.ts';
import { liveApplicationFor } from '../../portal/src/lib/liveApplication.ts';

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
      placeholders: messages('zh-CN').developer.code,
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

describe('the code examples in English', () => {
  it('show no Chinese: the key, token and file placeholders and the comment are English', async () => {
    const placeholders = messages('en').developer.code;
    const resolver = await loadOpenApiDocuments(path.dirname(OPENAPI), [
      'openapi/exchange-api.yaml',
      'openapi/catalog.yaml',
    ]);
    const curls = ['openapi/exchange-api.yaml', 'openapi/catalog.yaml']
      .flatMap(
        (file) =>
          buildServiceDocs({
            resolver,
            file,
            baseUrl: 'https://api.example.gov.cn',
            apiKeyHeader: 'X-API-Key',
            placeholders,
          }).operations,
      )
      .map((op) => op.example)
      .join('\n');
    expect(curls).toContain('X-API-Key: <your API key>');
    expect(curls).toContain('Authorization: Bearer <access token>');
    expect(curls).toContain('@<file path>');
    expect(curls).not.toMatch(/[\u4e00-\u9fff]/u);
    const examples = buildApiExamples({
      document: (await $RefParser.dereference(
        path.join(OPENAPI, 'exchange-api.yaml'),
      )) as OpenApiDocument,
      baseUrl: 'https://api.example.gov.cn',
      code: '133010000-ABCDEFGHI-000001',
      openType: 'conditional',
      apiKeyHeader: 'X-API-Key',
      placeholders,
    });
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      expect(example.curl).not.toMatch(/[\u4e00-\u9fff]/u);
      expect(example.typescript).toContain('// generated by openapi-typescript');
      expect(example.typescript).not.toMatch(/[\u4e00-\u9fff]/u);
    }
  });
});

describe('lists, labels and greetings in each language', () => {
  it('joins with 、 in Chinese and commas in English, and welcomes nobody back', () => {
    const zh = messages('zh-CN');
    const en = messages('en');
    expect(zh.list(['读取', '下载'])).toBe('读取、下载');
    expect(en.list(['Read', 'Download'])).toBe('Read, Download');
    expect(zh.labelled('轮换', '看板')).toBe('轮换：看板');
    expect(en.labelled('Rotate', 'board')).toBe('Rotate: board');
    expect(zh.developer.welcome('王开发')).not.toContain('回来');
    expect(en.developer.welcome('Wang')).toBe('Welcome, Wang.');
  });
});

describe('where the documentation says the services are', () => {
  it('takes each public address from the settings, defaulting to where the portal reaches it', () => {
    const config = loadPortalConfig({
      CATALOG_URL: 'http://catalog.internal:8081',
      CONNECTORS_URL: 'http://connectors.internal:8082/',
      PUBLIC_EXCHANGE_URL: 'https://api.data.example.gov.cn',
    });
    expect(config.PUBLIC_CATALOG_URL).toBe('http://catalog.internal:8081');
    expect(config.PUBLIC_CONNECTORS_URL).toBe('http://connectors.internal:8082');
    const set = loadPortalConfig({
      PUBLIC_CATALOG_URL: 'https://catalog.data.example.gov.cn/',
      PUBLIC_CONNECTORS_URL: 'https://connectors.data.example.gov.cn',
    });
    expect(set.PUBLIC_CATALOG_URL).toBe('https://catalog.data.example.gov.cn');
    expect(set.PUBLIC_CONNECTORS_URL).toBe('https://connectors.data.example.gov.cn');
    expect(() => loadPortalConfig({ PUBLIC_CATALOG_URL: 'ftp://x' })).toThrow(/PUBLIC_CATALOG_URL/);
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

describe('the public forms', () => {
  it('takes a mobile number or an e-mail address as a contact', () => {
    for (const good of [
      '13800000000',
      ' 138 0000 0000 ',
      '138-0000-0000',
      '+86 13800000000',
      'zhangwei@example.cn',
      'a.b+c@mail.hz.gov.cn',
    ])
      expect(isContact(good), good).toBe(true);
    for (const bad of [
      'not-a-contact',
      '',
      '   ',
      '23800000000',
      '1380000000',
      '138000000000',
      '0571-88888888',
      'zhangwei@example',
      'zhang wei@example.cn',
      '@example.cn',
      'a@b@example.cn',
      'zhangwei@.cn',
      '13800000000x',
    ])
      expect(isContact(bad), bad).toBe(false);
  });

  it('says which 数据需求 fields it refuses, blank or unfit, before it looks at the contact', () => {
    const form = (fields: Record<string, string>) =>
      carriedFormData(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, [v]])));
    const good = { title: ' 公共厕所 ', description: '位置与开放时间', contact: '13800000000' };
    expect(dataRequestFromForm(form(good))).toEqual({
      body: { title: '公共厕所', description: '位置与开放时间', contact: '13800000000' },
    });
    expect(dataRequestFromForm(form({ ...good, wantedDepartment: 'hz-gaj' }))).toMatchObject({
      body: { wantedDepartment: 'hz-gaj' },
    });
    expect(
      dataRequestFromForm(form({ ...good, description: '   ', title: 'x'.repeat(101) })),
    ).toEqual({ error: 'input', blank: ['description'], unfit: ['title'] });
    // a control character in the one-line title, a department that is no code
    expect(
      dataRequestFromForm(form({ ...good, title: 'a\tb', wantedDepartment: 'Not A Code' })),
    ).toEqual({ error: 'input', blank: [], unfit: ['title', 'wantedDepartment'] });
    // the contact's form counts only once everything else is fine
    expect(dataRequestFromForm(form({ ...good, contact: 'not-a-contact' }))).toEqual({
      error: 'contact',
      blank: [],
      unfit: ['contact'],
    });
    expect(
      dataRequestFromForm(form({ ...good, title: '', contact: 'not-a-contact' })),
    ).toMatchObject({ error: 'input', blank: ['title'], unfit: [] });
  });

  it('finds the live application the exchange would refuse a second one for', () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    const app = (resourceCode: string, status: string, validUntil: string | null = null) => ({
      resourceCode,
      status,
      validUntil,
    });
    expect(liveApplicationFor([app('A', 'submitted')], 'A', now)?.status).toBe('submitted');
    expect(liveApplicationFor([app('A', 'approved')], 'A', now)?.status).toBe('approved');
    expect(
      liveApplicationFor([app('A', 'approved', '2025-07-01T00:00:00Z')], 'A', now)?.status,
    ).toBe('approved');
    for (const over of [
      app('A', 'approved', '2025-05-31T23:59:59Z'),
      app('A', 'rejected'),
      app('A', 'cancelled'),
      app('A', 'expired'),
      app('B', 'submitted'),
    ])
      expect(liveApplicationFor([over], 'A', now)).toBeUndefined();
  });

  it('carries a refused form back sealed, to the same form of the same person only', async () => {
    const form = new FormData();
    form.set('op', 'apply');
    form.set('title', '<script>alert(1)</script>公共厕所');
    form.set('contact', 'not-a-contact');
    form.append('actions', 'read');
    form.append('actions', 'download');
    const sealed = await sealForm('portal-request-form', form, 'user-1');
    expect(sealed).toBeDefined();
    // encrypted: nothing typed shows in the URL
    expect(sealed).not.toContain('not-a-contact');
    const carried = await unsealForm('portal-request-form', sealed, 'user-1');
    expect(carried).toEqual({
      title: ['<script>alert(1)</script>公共厕所'],
      contact: ['not-a-contact'],
      actions: ['read', 'download'],
    });
    expect(carriedValue(carried, 'op')).toBeUndefined();
    // another person, another form, no person, a tampered value: nothing
    expect(await unsealForm('portal-request-form', sealed, 'user-2')).toBeUndefined();
    expect(await unsealForm('portal-apply-form', sealed, 'user-1')).toBeUndefined();
    expect(await unsealForm('portal-request-form', sealed)).toBeUndefined();
    expect(
      await unsealForm('portal-request-form', `${sealed!.slice(0, -4)}AAAA`, 'user-1'),
    ).toBeUndefined();
    // a console form sealed for nobody still opens for nobody, and not for a person
    const consoleSealed = await sealForm('console-objection-form', form);
    expect(await unsealForm('console-objection-form', consoleSealed)).toMatchObject({
      contact: ['not-a-contact'],
    });
    expect(await unsealForm('console-objection-form', consoleSealed, 'user-1')).toBeUndefined();
    expect(Object.keys(await carriedQuery('portal-apply-form', form, 'user-1'))).toEqual(['form']);
    // varied Chinese text, which deflates little
    const text = (length: number, seed: number) =>
      Array.from({ length }, (_, i) =>
        String.fromCodePoint(0x4e00 + ((i * 7919 + seed * 104_729) % 20_000)),
      ).join('');
    // the application form's two long fields in full come back
    const long = new FormData();
    long.set('purpose', text(4000, 1));
    long.set('intendedUse', text(4000, 2));
    const carriedLong = await carriedQuery('portal-apply-form', long, 'user-1');
    expect(await unsealForm('portal-apply-form', carriedLong.form, 'user-1')).toEqual({
      purpose: [text(4000, 1)],
      intendedUse: [text(4000, 2)],
    });
    // too long for a URL: not carried (the page shows an empty form and the message)
    const huge = new FormData();
    for (let i = 0; i < 8; i += 1) huge.set(`field${i}`, text(4000, i));
    expect(await carriedQuery('portal-apply-form', huge, 'user-1')).toEqual({});
  });
});

describe("the API docs' example dataset", () => {
  const newest = [{ code: 'C' }, { code: 'B' }, { code: 'A' }];
  const holding =
    (...codes: string[]) =>
    async (code: string) =>
      codes.includes(code);

  it('is the newest that has records', async () => {
    expect(await exampleDataset(newest, holding('B', 'A'))).toEqual({ code: 'B' });
    expect(await exampleDataset(newest, holding('C', 'A'))).toEqual({ code: 'C' });
  });

  it('is the newest when none has records, or none could be asked', async () => {
    expect(await exampleDataset(newest, holding())).toEqual({ code: 'C' });
    expect(
      await exampleDataset(newest, async () => {
        throw new Error('exchange unavailable');
      }),
    ).toEqual({ code: 'C' });
    expect(await exampleDataset([], holding('A'))).toBeUndefined();
  });
});
