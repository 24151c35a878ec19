// The API documentation's pure parts: the `$ref` resolver across spec files, and the docs built
// from every public spec, checked against an independent dereferencer
// (@apidevtools/json-schema-ref-parser, which the spec tests use).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { messages } from '../../portal/src/lib/i18n/messages.ts';
import { describe, expect, it } from 'vitest';
import { buildServiceDocs, groupByTag } from '../../portal/src/lib/apiDocs.ts';
import {
  loadOpenApiDocuments,
  OpenApiResolver,
  refTarget,
} from '../../portal/src/lib/openApiResolver.ts';

const SCHEMAS = path.resolve(import.meta.dirname, '..', '..', 'schemas');
const SERVICES = ['exchange-api', 'catalog', 'connectors'] as const;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the $ref resolver', () => {
  const documents = new Map<string, unknown>([
    [
      'openapi/root.yaml',
      {
        paths: { '/v1/things/{code}': { $ref: './side.yaml#/paths/~1v1~1things~1{code}' } },
        loop: { $ref: '#/loopBack' },
        loopBack: { $ref: '#/loop' },
        broken: { $ref: './missing.yaml#/x' },
      },
    ],
    [
      'openapi/side.yaml',
      {
        paths: {
          '/v1/things/{code}': {
            get: {
              responses: {
                '200': { $ref: '#/components/responses/Thing' },
                '404': { $ref: './common.yaml#/components/responses/NotFound' },
              },
            },
          },
        },
        components: {
          responses: { Thing: { description: 'the thing, from the side file' } },
          schemas: { 'a/b~c': { type: 'string' } },
        },
        escaped: { $ref: '#/components/schemas/a~1b~0c' },
        overridden: { $ref: '#/components/responses/Thing', description: 'said here instead' },
        input: { $ref: '../json/input.schema.json' },
      },
    ],
    ['openapi/common.yaml', { components: { responses: { NotFound: { description: '不存在' } } } }],
    ['json/input.schema.json', { type: 'object', properties: { name: { type: 'string' } } }],
  ]);
  const resolver = new OpenApiResolver(documents);

  it('follows a path item into its side file, and refs there relative to the side file', () => {
    const item = resolver.resolve(
      (resolver.document('openapi/root.yaml').paths as Json)['/v1/things/{code}'],
      'openapi/root.yaml',
    );
    expect(item.file).toBe('openapi/side.yaml');
    const responses = (item.node.get as Json).responses as Json;
    // `#/…` in the side file means the side file, not the root that led there
    expect(resolver.resolve(responses['200'], item.file).node.description).toBe(
      'the thing, from the side file',
    );
    expect(resolver.resolve(responses['404'], item.file)).toEqual({
      node: { description: '不存在' },
      file: 'openapi/common.yaml',
    });
  });

  it('decodes JSON Pointer escapes and reaches JSON Schemas beside the specs', () => {
    const side = resolver.document('openapi/side.yaml');
    expect(resolver.resolve(side.escaped, 'openapi/side.yaml').node).toEqual({ type: 'string' });
    expect(resolver.resolve(side.input, 'openapi/side.yaml')).toMatchObject({
      file: 'json/input.schema.json',
      node: { type: 'object' },
    });
    expect(refTarget('../json/x.json#/a', 'openapi/side.yaml')).toEqual({
      file: 'json/x.json',
      pointer: ['a'],
    });
  });

  it("keeps a reference's own description over its target's (OpenAPI 3.1)", () => {
    const side = resolver.document('openapi/side.yaml');
    expect(resolver.resolve(side.overridden, 'openapi/side.yaml').node.description).toBe(
      'said here instead',
    );
  });

  it('gives an empty node for loops and broken references instead of hanging or throwing', () => {
    const root = resolver.document('openapi/root.yaml');
    expect(resolver.resolve(root.loop, 'openapi/root.yaml').node).toEqual({});
    expect(resolver.resolve(root.broken, 'openapi/root.yaml').node).toEqual({});
  });

  it('loads the referenced files transitively, never outside the schemas folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gx-specs-'));
    try {
      await mkdir(path.join(dir, 'openapi'));
      await writeFile(
        path.join(dir, 'openapi', 'root.yaml'),
        [
          'a: { $ref: "./side.yaml#/b" }',
          'outside: { $ref: "../../secret.yaml#/x" }',
          'remote: { $ref: "https://example.org/schema.json" }',
        ].join('\n'),
      );
      await writeFile(path.join(dir, 'openapi', 'side.yaml'), 'b: { c: 1 }\n');
      const loaded = await loadOpenApiDocuments(dir, ['openapi/root.yaml']);
      expect(loaded.files().sort()).toEqual(['openapi/root.yaml', 'openapi/side.yaml']);
      const root = loaded.document('openapi/root.yaml');
      expect(loaded.resolve(root.a, 'openapi/root.yaml').node).toEqual({ c: 1 });
      expect(loaded.resolve(root.outside, 'openapi/root.yaml').node).toEqual({});
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the documentation of every public spec', () => {
  const docsOf = async (service: (typeof SERVICES)[number]) => {
    const resolver = await loadOpenApiDocuments(SCHEMAS, [`openapi/${service}.yaml`]);
    return buildServiceDocs({
      resolver,
      file: `openapi/${service}.yaml`,
      baseUrl: 'https://api.example.gov.cn',
      apiKeyHeader: 'X-API-Key',
      placeholders: messages('zh-CN').developer.code,
    });
  };
  /** the spec fully dereferenced by json-schema-ref-parser: what the docs must show */
  const dereferenced = async (service: string) =>
    (await $RefParser.dereference(path.join(SCHEMAS, 'openapi', `${service}.yaml`))) as Json;

  for (const service of SERVICES) {
    it(`${service}: every operation, with its parameters and request body fields`, async () => {
      const [docs, spec] = await Promise.all([docsOf(service), dereferenced(service)]);
      const expected: Json[] = [];
      for (const [p, item] of Object.entries(spec.paths as Json))
        for (const method of METHODS)
          if ((item as Json)[method])
            expected.push({ path: p, method, item, operation: (item as Json)[method] });
      expect(docs.operations.map((op) => op.id)).toEqual(
        expected.map((e) => e.operation.operationId),
      );
      expect(docs.title).toBe(spec.info.title);
      for (const [i, e] of expected.entries()) {
        const op = docs.operations[i]!;
        expect(op.method).toBe(e.method.toUpperCase());
        expect(op.path).toBe(e.path);
        const names = [...(e.item.parameters ?? []), ...(e.operation.parameters ?? [])].map(
          (p: Json) => `${p.in}:${p.name}`,
        );
        expect(op.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
          [...new Set(names)].sort(),
        );
        expect(op.responses.map((r) => r.status)).toEqual(Object.keys(e.operation.responses));
        const media = Object.values(e.operation.requestBody?.content ?? {})[0] as Json | undefined;
        const properties = Object.keys(media?.schema?.properties ?? {});
        if (properties.length) {
          expect(op.requestBody?.fields.map((f) => f.name)).toEqual(
            expect.arrayContaining(properties),
          );
          const required = new Set<string>(media!.schema.required ?? []);
          for (const field of op.requestBody!.fields.filter((f) => properties.includes(f.name)))
            expect(field.required, `${op.id} ${field.name}`).toBe(required.has(field.name));
        }
        expect(op.example).toContain(`'https://api.example.gov.cn${e.path.split('{')[0]}`);
      }
      // every operation sits in exactly one tag group
      const grouped = groupByTag(docs.operations).flatMap((g) => g.operations.map((o) => o.id));
      expect(grouped.sort()).toEqual(docs.operations.map((o) => o.id).sort());
    });
  }

  it('states how to authenticate, who may call, and a body to send', async () => {
    const exchange = await docsOf('exchange-api');
    const byId = new Map(exchange.operations.map((op) => [op.id, op]));
    expect(byId.get('previewOpenRecords')).toMatchObject({
      auth: 'anonymous',
      authModes: ['anonymous', 'apiKey'],
    });
    expect(byId.get('listPopularOpenResources')).toMatchObject({
      auth: 'anonymous',
      tag: '开放数据',
    });
    expect(byId.get('queryOpenRecords')!.example).toContain("-H 'X-API-Key: <你的 API Key>'");
    const policy = byId.get('setOpenPolicy')!;
    expect(policy).toMatchObject({ auth: 'bearer', roles: "the provider's steward" });
    expect(policy.example).toContain("-H 'Authorization: Bearer <访问令牌>'");
    expect(policy.requestBody?.fields.find((f) => f.name === 'fields')).toMatchObject({
      required: true,
      type: expect.stringMatching(/^array of string/),
    });
    expect(byId.get('queryRecords')!.parameters.find((p) => p.name === 'X-Purpose')?.in).toBe(
      'header',
    );
    expect(byId.get('queryRecords')!.example).toContain("-H 'X-Purpose: <X-Purpose>'");
    const createKey = byId.get('createApiKey')!;
    expect(createKey.example).toMatch(/-X POST[\s\S]*-d '\{"name":"<name>"\}'/);
  });
});
