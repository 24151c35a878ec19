import {
  deepValue,
  generateValue,
  HUGE_STRING,
  INJECTIONS,
  isValid,
  UNICODE_EDGES,
  wrongTypeFor,
  type Random,
} from './generate.ts';
import type { Schema, SpecOperation, SpecParameter } from './specOperations.ts';

/** One request of the fuzz run, before credentials and path targets are filled in. */
export interface FuzzRequest {
  op: SpecOperation;
  /** what was done to it, for the failure report */
  label: string;
  /** path parameter values replacing the fixture's */
  path: Record<string, string>;
  /** query pairs, unencoded */
  query: [string, string][];
  /** appended to the query as is (already encoded) */
  rawQuery?: string;
  headers: Record<string, string>;
  body?: string;
  contentType?: string;
  /** the contract refuses it: the answer must be 4xx and nothing may change */
  invalid: boolean;
}

/**
 * URLs carry at most this much of a huge value: Node refuses request lines over 16 KB with a
 * bare 431 before any application code runs, so longer ones test Node, not us. Bodies carry
 * the full 100 KB.
 */
const URL_HUGE = HUGE_STRING.slice(0, 1_000);
const DEEP = 1_000;

/**
 * Probes answer before request validation (createHttpApp mounts them first, so a probe never
 * waits on the validator): they ignore the query string instead of refusing unknown parameters.
 */
const OPERATIONAL = new Set(['/healthz', '/readyz', '/metrics']);

const asString = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** A header value fetch can send (ByteString, no CR/LF). */
const sendableHeader = (value: string) => /^[\x20-\x7e\x80-\xff]*$/.test(value);

function paramValue(p: SpecParameter, random: Random): unknown {
  for (let i = 0; i < 10; i += 1) {
    const value = generateValue(p.schema, random);
    if (isValid(p.schema, value, true)) return value;
  }
  return generateValue(p.schema, random);
}

function bodyValue(schema: Schema, random: Random): unknown {
  let value: unknown;
  for (let i = 0; i < 20; i += 1) {
    value = generateValue(schema, random);
    if (isValid(schema, value)) return value;
  }
  return value;
}

/** A request the contract accepts: required parameters, some optional ones, a generated body. */
export function validRequest(op: SpecOperation, random: Random): FuzzRequest {
  const query: [string, string][] = [];
  const headers: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.in === 'path' || p.in === 'cookie') continue;
    if (!p.required && !random.chance(0.5)) continue;
    const value = paramValue(p, random);
    if (p.in === 'query') {
      for (const v of Array.isArray(value) ? value : [value]) query.push([p.name, asString(v)]);
    } else if (p.in === 'header' && sendableHeader(asString(value)))
      headers[p.name] = asString(value);
  }
  const request: FuzzRequest = { op, label: 'generated', path: {}, query, headers, invalid: false };
  if (op.body && (op.bodyRequired || random.chance(0.7))) {
    request.body = JSON.stringify(bodyValue(op.body, random));
    request.contentType = 'application/json';
  }
  request.invalid = !conforms(request);
  return request;
}

/** Whether the contract accepts the request (body by JSON Schema, parameters as the validator coerces them). */
export function conforms(request: FuzzRequest): boolean {
  const { op } = request;
  if (request.rawQuery) return false;
  const known = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  if (!op.ckan && !OPERATIONAL.has(op.path) && request.query.some(([name]) => !known.has(name)))
    return false;
  for (const p of op.parameters) {
    if (p.in === 'cookie') continue;
    if (p.in === 'path') {
      const value = request.path[p.name];
      if (value !== undefined && !isValid(p.schema, value, true)) return false;
      continue;
    }
    const values =
      p.in === 'query'
        ? request.query.filter(([name]) => name === p.name).map(([, v]) => v)
        : Object.entries(request.headers)
            .filter(([name]) => name.toLowerCase() === p.name.toLowerCase())
            .map(([, v]) => v);
    if (values.length === 0) {
      if (p.required) return false;
      continue;
    }
    const types: unknown[] = [p.schema?.type].flat();
    const asArray = types.includes('array') && (values.length > 1 || !types.includes('string'));
    if (!asArray && values.length > 1) return false;
    if (!isValid(p.schema, asArray ? values : values[0], true)) return false;
  }
  if (request.body === undefined) return !(op.body && op.bodyRequired);
  if (!op.body) return false;
  if (request.contentType !== 'application/json') return false;
  try {
    return isValid(op.body, JSON.parse(request.body));
  } catch {
    return false;
  }
}

/** Pick `count` items (all when fewer), in a seeded order. */
function some<T>(items: readonly T[], count: number, random: Random): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (pool.length && out.length < count)
    out.push(pool.splice(random.int(0, pool.length - 1), 1)[0]!);
  return out;
}

/**
 * Requests mutated from `base`: wrong types, missing required fields, huge strings, deep
 * nesting, unicode edge cases and injection strings, in every part of the request. `runs`
 * scales how many hostile strings each field gets.
 */
export function mutations(base: FuzzRequest, random: Random, runs: number): FuzzRequest[] {
  const { op } = base;
  const out: FuzzRequest[] = [];
  const add = (label: string, change: Partial<FuzzRequest>) => {
    const request: FuzzRequest = {
      ...base,
      path: { ...base.path },
      headers: { ...base.headers },
      ...change,
      label,
    };
    request.invalid = !conforms(request);
    out.push(request);
  };
  const hostile = () => [
    ...some(UNICODE_EDGES, 2 * runs, random),
    ...some(INJECTIONS, 2 * runs, random),
  ];

  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    for (const value of [...hostile(), URL_HUGE, asString(wrongTypeFor(p.schema, random))])
      add(`{${p.name}}=${value.slice(0, 24)}`, { path: { ...base.path, [p.name]: value } });
  }

  const withoutQuery = (name: string) => base.query.filter(([n]) => n !== name);
  add('unknown query parameter', { query: [...base.query, ['zzUnknown', '1']] });
  for (const p of op.parameters.filter((x) => x.in === 'query')) {
    const rest = withoutQuery(p.name);
    for (const value of [...hostile(), URL_HUGE, asString(wrongTypeFor(p.schema, random)), ''])
      add(`?${p.name}=${value.slice(0, 24)}`, { query: [...rest, [p.name, value]] });
    add(`?${p.name} twice`, { query: [...rest, [p.name, '1'], [p.name, 'x']] });
    add(`?${p.name} nested ${DEEP} deep`, {
      query: rest,
      rawQuery: `${encodeURIComponent(p.name)}${'%5Ba%5D'.repeat(DEEP)}=1`,
    });
    if (p.required) add(`?${p.name} missing`, { query: rest });
  }

  for (const p of op.parameters.filter((x) => x.in === 'header')) {
    const headers = { ...base.headers };
    delete headers[p.name];
    for (const value of [
      ...INJECTIONS.filter(sendableHeader).slice(0, 2 * runs),
      'x'.repeat(8_000),
      asString(wrongTypeFor(p.schema, random)),
    ])
      if (sendableHeader(value))
        add(`${p.name}: ${value.slice(0, 24)}`, { headers: { ...headers, [p.name]: value } });
    if (p.required) add(`${p.name} missing`, { headers });
  }

  if (op.body) {
    const json = 'application/json';
    add('malformed JSON', { body: '{"a":', contentType: json });
    add('body: wrong type', {
      body: JSON.stringify(random.pick([[], 'x', 42, null, true])),
      contentType: json,
    });
    add(`body: nested ${DEEP} deep`, { body: JSON.stringify(deepValue(DEEP)), contentType: json });
    add('body: text/plain', { body: base.body ?? '{}', contentType: 'text/plain' });
    add('body: huge string', { body: JSON.stringify(HUGE_STRING), contentType: json });
    if (op.bodyRequired) add('body missing', { body: undefined, contentType: undefined });
    let parsed: unknown;
    try {
      parsed = base.body === undefined ? undefined : JSON.parse(base.body);
    } catch {
      parsed = undefined;
    }
    const object =
      parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : undefined;
    const schema = op.body as Schema;
    if (object) {
      const withField = (name: string, value: unknown) => ({
        body: JSON.stringify({ ...object, [name]: value }),
        contentType: json,
      });
      add('body: unknown field', withField('zzUnknown', 1));
      for (const name of schema.required ?? []) {
        const rest = { ...object };
        delete rest[name];
        add(`body.${name} missing`, { body: JSON.stringify(rest), contentType: json });
      }
      for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) {
        add(`body.${name}: wrong type`, withField(name, wrongTypeFor(property, random)));
        add(`body.${name}: 100 KB`, withField(name, HUGE_STRING));
        add(`body.${name}: nested ${DEEP} deep`, withField(name, deepValue(DEEP)));
        for (const value of hostile())
          add(`body.${name}: ${value.slice(0, 24)}`, withField(name, value));
        if (property?.type === 'array' || property?.items)
          add(`body.${name}: hostile items`, withField(name, hostile()));
      }
    }
  }
  return out;
}
