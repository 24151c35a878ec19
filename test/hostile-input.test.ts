import $RefParser from '@apidevtools/json-schema-ref-parser';
import { openApiSpecPath } from '@gx/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantedPeopleResource, type GrantedResource } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';

/**
 * Every operation of the exchange, catalog and connectors contracts, fed hostile input mutated
 * from the spec: injection strings and oversized values in path, query, headers and bodies,
 * wrong types, missing and unknown fields, deep nesting, malformed JSON, a wrong purpose. Each answer must be
 * below 500, every error problem+json (CKAN's error envelope under the catalog's `/api/`)
 * without a stack trace, and an operation whose hostile
 * requests were all refused must leave the data as it was.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = any;

const HOSTILE = [
  "' OR '1'='1",
  "x'); DROP TABLE records; --",
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '{{7*7}}${7*7}',
  '\u0000\u0001\u001f',
  '\ud800', // lone surrogate
  '😀\u202e\u200b\uFEFF',
  '-1',
  '1e309',
  '99999999999999999999999',
  '00000000-0000-0000-0000-000000000000',
  'x'.repeat(5_000),
];
const HUGE = '长'.repeat(200_000);
/** encodeURIComponent, with a lone surrogate sent as its raw (invalid) UTF-8 bytes */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};
const deep = (depth: number) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
};

/** A value valid enough to get past the outer checks, so mutations reach inner ones. */
function sample(schema: Schema, depth = 0): unknown {
  if (!schema || depth > 4) return null;
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const variant = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (variant) return sample(variant, depth + 1);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s: Schema) => sample(s, depth)));
  const type = Array.isArray(schema.type)
    ? schema.type.find((t: string) => t !== 'null')
    : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? [])
        out[name] = sample(schema.properties?.[name], depth + 1);
      return out;
    }
    case 'array':
      return schema.minItems ? [sample(schema.items, depth + 1)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'date-time') return '2026-11-21T00:00:00Z';
      if (schema.format === 'date') return '2026-11-21';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return null;
  }
}

interface Mutation {
  label: string;
  path?: Record<string, string>;
  query?: string;
  headers?: Record<string, string>;
  /** raw body text, sent as application/json unless `contentType` says otherwise */
  body?: string;
  contentType?: string;
}

function bodyMutations(schema: Schema): Mutation[] {
  const base = sample(schema) as Record<string, unknown> | null;
  const out: Mutation[] = [
    { label: 'malformed JSON', body: '{"a":' },
    { label: 'array body', body: '[]' },
    { label: 'string body', body: '"x"' },
    { label: 'empty object', body: '{}' },
    { label: 'deep nesting', body: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}` },
    { label: 'text/plain body', body: 'hello', contentType: 'text/plain' },
  ];
  if (!base || typeof base !== 'object' || Array.isArray(base)) return out;
  out.push({ label: 'unknown field', body: JSON.stringify({ ...base, zzUnknown: 1 }) });
  for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) {
    const wrong = property?.type === 'string' ? { x: 1 } : property?.type === 'array' ? 'x' : 'x';
    out.push({ label: `${name}: wrong type`, body: JSON.stringify({ ...base, [name]: wrong }) });
    out.push({ label: `${name}: huge`, body: JSON.stringify({ ...base, [name]: HUGE }) });
    out.push({ label: `${name}: deep`, body: JSON.stringify({ ...base, [name]: deep(200) }) });
    for (const hostile of HOSTILE.slice(0, 8))
      out.push({
        label: `${name}: ${hostile.slice(0, 20)}`,
        body: JSON.stringify({ ...base, [name]: hostile }),
      });
  }
  return out;
}

function queryMutations(parameters: Schema[]): Mutation[] {
  const out: Mutation[] = [{ label: 'unknown query parameter', query: 'zzUnknown=1' }];
  for (const p of parameters.filter((p) => p.in === 'query')) {
    const values = [
      ...HOSTILE,
      '[['.repeat(2_000),
      '{"and":[' + '{"not":'.repeat(500) + '{}' + '}'.repeat(500) + ']}',
      JSON.stringify({ field: 'name', op: '=', value: "x' OR '1'='1" }),
      JSON.stringify({ field: "name') OR 1=1 --", op: '=', value: 'x' }),
      '1000000000',
      '',
    ];
    for (const value of values)
      out.push({ label: `?${p.name}=${value.slice(0, 20)}`, query: `${p.name}=${encode(value)}` });
  }
  return out;
}

async function fingerprint(h: Harness): Promise<string> {
  const tables = [
    'regions',
    'departments',
    'users',
    'service_systems',
    'api_keys',
    'resources',
    'information_items',
    'resource_schema_versions',
    'records',
    'sharing_requests',
    'grants',
    'connectors',
    'connector_source_positions',
  ];
  const parts = await Promise.all(
    tables.map(async (t) => {
      const { rows } = await h.db.pool.query(
        `SELECT count(*)::text AS n, coalesce(md5(string_agg(md5(x::text), ',' ORDER BY md5(x::text))), '') AS d FROM ${t} x`,
      );
      return `${t}:${rows[0].n}:${rows[0].d}`;
    }),
  );
  return parts.join('|');
}

let h: Harness;
let fixture: GrantedResource;
let ids: Record<string, string>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  fixture = await grantedPeopleResource(h);
  tokens.consumer = await h.systemToken('hz-rsj-system');
  tokens.steward = await h.token('hz-gaj.steward');
  ids = {
    code: fixture.resourceCode,
    key: fixture.people[0]!.id_number,
    clientId: 'hz-rsj-system',
    entryId: '1',
    name: 'rsj-hostile-sink',
    type: 'webhook',
  };
  // a connector of the consumer's department, so mutations get past the connector lookup
  await h.db.pool.query(
    `INSERT INTO connectors (name, kind, type, department_id, grant_id, config, created_by)
     SELECT $1, 'sink', 'webhook', g.consumer_id, g.id, $3::jsonb, 'hostile-input'
       FROM grants g WHERE g.id = $2`,
    [
      ids.name,
      fixture.grantId,
      JSON.stringify({
        type: 'webhook',
        department: 'hz-rsj',
        grant: fixture.grantId,
        options: {
          url: 'https://rsj.example.cn/hook',
          signingKey: { secret: { env: 'HOOK_KEY' } },
        },
        batchSize: 500,
        pollIntervalMs: 1000,
      }),
    ],
  );
});

afterAll(async () => {
  await h?.close();
});

interface Operation {
  service: 'exchange-api' | 'catalog' | 'connectors';
  method: string;
  path: string;
  parameters: Schema[];
  body?: Schema;
}

async function operationsOf(service: Operation['service']): Promise<Operation[]> {
  const spec = (await $RefParser.dereference(openApiSpecPath(service))) as Schema;
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(spec.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      out.push({
        service,
        method: method.toUpperCase(),
        path,
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])],
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return out;
}

/** Path parameter values that reach real objects, so the mutations elsewhere get past lookups. */
function idFor(op: Operation, name: string): string {
  if (name === 'id') {
    if (op.path.startsWith('/v1/grants')) return fixture.grantId;
    if (op.path.startsWith('/v1/sharing-requests')) return fixture.requestId;
    return '00000000-0000-4000-8000-000000000000';
  }
  if (name === 'change') return 'suspend';
  return ids[name] ?? 'x';
}

function render(op: Operation, m: Mutation): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encode(m.path?.[name] ?? idFor(op, name)),
  );
  return m.query ? `${path}?${m.query}` : path;
}

/**
 * CKAN's error answers (catalog `/api/`): JSON with `success: false` and an `error.__type`, or,
 * for an unknown action or an unreadable body, a bare JSON string starting "请求错误 - ".
 */
function ckanError(contentType: string | null, text: string): boolean {
  if (!(contentType ?? '').includes('application/json')) return false;
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === 'string') return body.startsWith('请求错误 - ');
    const envelope = body as { success?: unknown; error?: { __type?: unknown } };
    return envelope.success === false && typeof envelope.error?.__type === 'string';
  } catch {
    return false;
  }
}

describe.each(['exchange-api', 'catalog', 'connectors'] as const)(
  'hostile input to %s',
  (service) => {
    it('no operation answers 5xx; every error is problem+json; refused requests change nothing', async () => {
      const operations = await operationsOf(service);
      expect(operations.length).toBeGreaterThan(10);
      const base = { catalog: h.catalog, 'exchange-api': h.exchange, connectors: h.connectors }[
        service
      ].base;
      const failures: string[] = [];
      let sent = 0;
      // state-changing grant operations last, so the grant stays usable for the others
      operations.sort(
        (a, b) => Number(a.path.includes('{change}')) - Number(b.path.includes('{change}')),
      );
      for (const op of operations) {
        const mutations: Mutation[] = [
          ...op.parameters
            .filter((p) => p.in === 'path')
            .flatMap((p) =>
              HOSTILE.map((v) => ({
                label: `{${p.name}}=${v.slice(0, 20)}`,
                path: { [p.name]: v },
              })),
            ),
          ...queryMutations(op.parameters),
          ...(op.body ? bodyMutations(op.body) : []),
        ];
        if (op.parameters.some((p) => p.in === 'header' && /^x-purpose$/i.test(p.name))) {
          for (const purpose of [
            'STATISTICS',
            ...HOSTILE.filter((v) => !/[\u0000-\u001f\ud800\u{1F600}\u202e]/u.test(v)),
          ])
            mutations.push({
              label: `X-Purpose: ${purpose.slice(0, 20)}`,
              headers: { 'x-purpose': purpose },
            });
        }
        const before = await fingerprint(h);
        let changedOk = false;
        for (const m of mutations) {
          for (const who of ['consumer', 'steward'] as const) {
            const headers: Record<string, string> = {
              authorization: `Bearer ${tokens[who]}`,
              'x-purpose': 'SOCIAL_SECURITY',
              ...(m.headers ?? {}),
            };
            if (m.body !== undefined) headers['content-type'] = m.contentType ?? 'application/json';
            const url = `${base}${render(op, m)}`;
            let res: Response;
            try {
              res = await fetch(url, {
                method: op.method,
                headers,
                body: m.body === undefined || op.method === 'GET' ? undefined : m.body,
              });
            } catch (error) {
              failures.push(
                `${op.method} ${op.path} [${m.label}] as ${who}: ${(error as Error).message}`,
              );
              continue;
            }
            sent += 1;
            if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
              // a subscription opened: a stream has no end to wait for
              await res.body?.cancel();
              continue;
            }
            const text = await res.text();
            const where = `${op.method} ${op.path} [${m.label}] as ${who}: ${res.status}`;
            if (res.status >= 500) failures.push(`${where} ${text.slice(0, 200)}`);
            else if (res.status >= 400) {
              if (op.path === '/api' || op.path.startsWith('/api/')) {
                // the CKAN-compatible API answers CKAN's own error envelope, never problem+json
                if (!ckanError(res.headers.get('content-type'), text))
                  failures.push(`${where} not a CKAN error`);
              } else if (
                !(res.headers.get('content-type') ?? '').includes('application/problem+json')
              )
                failures.push(`${where} not problem+json`);
              if (/\.ts:\d+|at .+\(.+:\d+:\d+\)/.test(text))
                failures.push(`${where} leaks a stack trace`);
              // validators' sentences reach people (the console shows the first): in Chinese
              const english = /\bmust (?:NOT |be |have |match )|Unknown query parameter/.exec(text);
              if (english) failures.push(`${where} English validation text: ${text.slice(0, 200)}`);
            } else if (op.method !== 'GET') changedOk = true;
          }
        }
        if (!changedOk) {
          const after = await fingerprint(h);
          if (after !== before)
            failures.push(`${op.method} ${op.path}: refused requests changed data`);
        }
      }
      expect(failures).toEqual([]);
      // the connectors contract is smaller and has no query parameters
      expect(sent).toBeGreaterThan(service === 'connectors' ? 500 : 1_000);
    }, 600_000);
  },
);
