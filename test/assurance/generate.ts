import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import type { Schema } from './specOperations.ts';

/**
 * Values for requests, generated from the contract's JSON Schemas with a seeded PRNG so that a
 * failing run can be repeated exactly (FUZZ_SEED), and hostile values to mutate them with.
 */

/** mulberry32: small, fast, and the same sequence on every machine for a given seed */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    seed: () => Math.floor(next() * 2 ** 31),
  };
  return random;
}

export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform integer in [min, max] */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** a seed for a nested generator (fast-check) */
  seed(): number;
}

const HUNDRED_KB = 100 * 1024;

/** Unicode that breaks naive code: lone surrogates, bidi and zero-width marks, NUL, emoji, combining marks. */
export const UNICODE_EDGES: readonly string[] = [
  '\ud800',
  'a\udfffb',
  '\u202e\u202dabc\u200f',
  'x\u200b\u200c\u200d\ufeffy',
  'nul\u0000byte',
  '😀👨‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0308\u0323\u0336',
  '\u0000',
  '\ufffe\uffff',
  '\u{10ffff}',
  '长度测试\u3000全角',
];

/** Injection probes: SQL, JSON path, template, path traversal, header CRLF, and friends. */
export const INJECTIONS: readonly string[] = [
  "' OR '1'='1",
  '1; DROP TABLE records; --',
  "x') UNION SELECT password_hash FROM users --",
  '$.records[?(@.id_number)]',
  "$..*[?(@ == 'x')]",
  '{{7*7}}${7*7}<%= 7*7 %>',
  '#{7*7}',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  'x\r\nSet-Cookie: injected=1',
  'x\r\n\r\n<html>',
  '<script>alert(1)</script>',
  '%00',
  '\\',
  '"',
];

/** A 100 KB string, of a multi-byte character so byte and character limits differ. */
export const HUGE_STRING = '长'.repeat(HUNDRED_KB / 3 + 1);

/** `{"a":{"a":…1…}}` nested `depth` levels, built without recursion. */
export function deepValue(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789 数据共享交换测试杭州市公安局居民-_.';

function generateString(schema: Schema, random: Random): string {
  switch (schema.format) {
    case 'uuid': {
      const hex = () => random.int(0, 15).toString(16);
      const part = (n: number) => Array.from({ length: n }, hex).join('');
      return `${part(8)}-${part(4)}-4${part(3)}-8${part(3)}-${part(12)}`;
    }
    case 'date-time':
      return new Date(
        Date.UTC(2026, random.int(0, 11), random.int(1, 28), random.int(0, 23)),
      ).toISOString();
    case 'date':
      return `2026-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
    case 'email':
      return `fuzz${random.int(0, 999)}@example.cn`;
    case 'uri':
    case 'url':
      return `https://example.cn/fuzz/${random.int(0, 999)}`;
  }
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? min + 16, min + 16);
  if (schema.pattern) {
    try {
      const [value] = fc.sample(
        fc
          .stringMatching(new RegExp(schema.pattern, 'u'), { size: 'small' })
          .filter(
            (s) =>
              s.length >= min && (schema.maxLength === undefined || s.length <= schema.maxLength),
          ),
        { seed: random.seed(), numRuns: 1 },
      );
      if (value !== undefined) return value;
    } catch {
      // a pattern fast-check cannot invert: fall through to plain text, checked by the caller
    }
  }
  const length = random.int(Math.max(min, 1), Math.max(max, 1));
  return Array.from({ length }, () => random.pick([...ALPHABET])).join('');
}

/**
 * A value the schema accepts (checked by `isValid` where it matters): examples often carry the
 * only values a domain accepts, so half of the time an example wins.
 */
export function generateValue(schema: Schema, random: Random, depth = 0): unknown {
  if (!schema || typeof schema !== 'object') return null;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return random.pick(schema.enum);
  const examples: unknown[] = [
    ...(schema.examples ?? []),
    ...(schema.example !== undefined ? [schema.example] : []),
  ];
  if (examples.length && random.chance(0.5)) return structuredClone(random.pick(examples));
  if (schema.allOf) {
    const parts = schema.allOf.map((s: Schema) => generateValue(s, random, depth));
    return parts.every((p: unknown) => p && typeof p === 'object' && !Array.isArray(p))
      ? Object.assign({}, ...parts)
      : parts[0];
  }
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants?.length) return generateValue(random.pick(variants), random, depth + 1);
  let type = schema.type;
  if (Array.isArray(type)) {
    const concrete = type.filter((t: string) => t !== 'null');
    type = concrete.length && random.chance(0.9) ? random.pick(concrete) : 'null';
  }
  if (!type) type = schema.properties ? 'object' : schema.items ? 'array' : 'string';
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return random.chance(0.5);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum ?? -1) + 1;
      const max = schema.maximum ?? (schema.exclusiveMaximum ?? min + 1000) - 1;
      const value = random.int(Math.ceil(min), Math.floor(Math.max(min, max)));
      return schema.multipleOf ? Math.ceil(value / schema.multipleOf) * schema.multipleOf : value;
    }
    case 'string':
      return generateString(schema, random);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? min + 3, min + 3);
      const length = depth > 5 ? min : random.int(min, max);
      const items: unknown[] = [];
      for (let i = 0; i < length * 3 && items.length < length; i += 1) {
        const item = generateValue(schema.items ?? {}, random, depth + 1);
        if (!schema.uniqueItems || !items.some((x) => JSON.stringify(x) === JSON.stringify(item)))
          items.push(item);
      }
      return items;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set<string>(schema.required ?? []);
      for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) {
        if (required.has(name) || (depth < 4 && random.chance(0.5)))
          out[name] = generateValue(property, random, depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

// ajv-formats is CommonJS; its default export arrives wrapped under tsx and vitest
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** JSON Schema 2020-12 as OpenAPI 3.1 uses it; OpenAPI's own keywords (example…) are ignored. */
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
addFormats(ajv);
/** Query and path values arrive as strings: validate them as the request validator reads them. */
const ajvCoercing = new Ajv2020({ strict: false, coerceTypes: 'array', validateFormats: true });
addFormats(ajvCoercing);

const compiled = new WeakMap<object, (value: unknown) => boolean>();
const compiledCoercing = new WeakMap<object, (value: unknown) => boolean>();

/** Whether `value` satisfies `schema` (a body, or with `coerce` a path or query value). */
export function isValid(schema: Schema, value: unknown, coerce = false): boolean {
  if (!schema || typeof schema !== 'object') return true;
  const cache = coerce ? compiledCoercing : compiled;
  let validate = cache.get(schema);
  if (!validate) {
    const fn = (coerce ? ajvCoercing : ajv).compile(stripIds(schema));
    validate = (v: unknown) => fn(v) === true;
    cache.set(schema, validate);
  }
  try {
    return validate(coerce ? structuredClone(value) : value);
  } catch {
    return false;
  }
}

/** Dereferenced specs share sub-schemas by identity; `$id`s would collide in ajv's registry. */
function stripIds(schema: Schema, seen = new Map<object, Schema>()): Schema {
  if (!schema || typeof schema !== 'object') return schema;
  if (seen.has(schema)) return seen.get(schema);
  const out: Schema = Array.isArray(schema) ? [] : {};
  seen.set(schema, out);
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$id' || key === '$schema' || key === 'discriminator' || key === 'xml') continue;
    out[key] = stripIds(value, seen);
  }
  return out;
}

/** A value of the wrong JSON type for `schema`. */
export function wrongTypeFor(schema: Schema, random: Random): unknown {
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  switch (type) {
    case 'string':
      return random.pick([12345, true, { x: 1 }, ['x']]);
    case 'integer':
    case 'number':
      return random.pick(['not-a-number', true, { x: 1 }, [1], 1.5e308 * 10]);
    case 'boolean':
      return random.pick(['yes', 2, { x: 1 }]);
    case 'array':
      return random.pick(['x', { x: 1 }, 7]);
    case 'object':
      return random.pick(['x', [1, 2], 7, true]);
    default:
      return random.pick([{ x: 1 }, 'x', [1]]);
  }
}
