import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@gx/platform/testing';
import {
  rowFilterPredicate,
  rowFilterProblems,
  rowFilterSql,
  type FieldType,
  type RowFilter,
  type Scalar,
} from '../src/domain/policy/rowFilter.ts';

const TYPES: Record<string, FieldType> = {
  name: 'string',
  amount: 'number',
  age: 'integer',
  active: 'boolean',
  birth: 'date',
  seen: 'datetime',
};

// small alphabets make equal and prefix-related values likely; the Chinese, the astral and
// the private-use characters exercise code-point ordering (UTF-8 vs UTF-16 differ there)
const text = fc.string({
  unit: fc.constantFrom('a', 'b', 'Z', '张', '三', '区', '𠀋', '\uE000', '\uFFFD', ' ', "'", '%'),
  maxLength: 5,
});
const amount = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.1, 0.2, 0.30000000000000004, 1e21, -2.5),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const age = fc.integer({ min: -3, max: 120 });
const birth = fc.constantFrom('1990-01-01', '1990-01-02', '2000-02-29', '1985-12-31', '2026-11-21');
const seen = fc.constantFrom(
  '2026-11-21T08:00:00Z',
  '2026-11-21T16:00:00+08:00',
  '2026-11-21T08:00:00.001Z',
  '2026-11-21T08:00:00.0005Z',
  '2026-11-20T23:59:59.999-08:00',
  '1999-12-31T23:59:59Z',
);
const VALUES: Record<string, fc.Arbitrary<Scalar>> = {
  name: text,
  amount,
  age,
  active: fc.boolean(),
  birth,
  seen,
};

/** a value of the field's type, or null, missing, or a value of another JSON type */
const fieldValue = (field: string) =>
  fc.oneof(
    { weight: 6, arbitrary: VALUES[field]! },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('12', 12, true, '2026-13-45', [], {}) },
  );

const record = fc
  .record(Object.fromEntries(Object.keys(TYPES).map((f) => [f, fieldValue(f)])))
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));

const comparison = fc.constantFrom(...(Object.keys(TYPES) as string[])).chain((field) =>
  fc.oneof(
    fc.record({
      field: fc.constant(field),
      op: fc.constantFrom('=', '!=', '<', '<=', '>', '>=' as const),
      value: VALUES[field]!,
    }),
    fc.record({
      field: fc.constant(field),
      op: fc.constant('in' as const),
      values: fc.array(VALUES[field]!, { minLength: 1, maxLength: 4 }),
    }),
    fc.record({ field: fc.constant(field), op: fc.constant('is_null' as const) }),
    ...(TYPES[field] === 'string'
      ? [
          fc.record({
            field: fc.constant(field),
            op: fc.constant('prefix' as const),
            value: text,
          }),
        ]
      : []),
  ),
) as fc.Arbitrary<RowFilter>;

const filter: fc.Arbitrary<RowFilter> = fc.letrec<{ node: RowFilter }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.record({ and: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ or: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('node') }),
  ),
})).node;

describe('row filter: SQL and JavaScript agree', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let records: Record<string, unknown>[];

  beforeAll(async () => {
    db = await createTestDatabase('migrated');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    records = fc.sample(record, { numRuns: 1500, seed: 20261121 });
    await client.query('CREATE TABLE rf (id int PRIMARY KEY, data jsonb NOT NULL)');
    await client.query(
      `INSERT INTO rf (id, data) SELECT ordinality, value FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY`,
      [JSON.stringify(records)],
    );
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('on 1 500 random records for 600 random filters', async () => {
    await fc.assert(
      fc.asyncProperty(filter, async (f) => {
        expect(rowFilterProblems(f, TYPES)).toEqual([]);
        const predicate = rowFilterPredicate(f, TYPES);
        const expected = records.flatMap((r, i) => (predicate(r) ? [i + 1] : []));
        const { sql, params } = rowFilterSql(f, TYPES, { column: 'data' });
        const { rows } = await client.query<{ id: number }>(
          `SELECT id FROM rf WHERE ${sql} ORDER BY id`,
          params,
        );
        expect(rows.map((r) => r.id)).toEqual(expected);
      }),
      { numRuns: 600, seed: 42, endOnFailure: true },
    );
  });

  it('keeps hostile constants out of the SQL text', () => {
    const { sql, params } = rowFilterSql(
      { field: 'name', op: '=', value: "x'; DROP TABLE rf; --" },
      TYPES,
    );
    expect(sql).not.toContain('DROP');
    expect(params).toEqual(["x'; DROP TABLE rf; --"]);
  });

  it('refuses unknown fields and wrongly typed constants before compiling', () => {
    expect(
      rowFilterProblems(
        {
          and: [
            { field: 'nope', op: '=', value: 1 },
            { field: 'age', op: '>', value: 'old' },
            { field: 'age', op: 'prefix', value: '1' },
          ],
        },
        TYPES,
      ),
    ).toEqual([
      { path: '/rowFilter/and/0/field', message: '资源没有字段 nope' },
      { path: '/rowFilter/and/1/value', message: '应为整数' },
      { path: '/rowFilter/and/2/op', message: 'prefix 只适用于字符串字段' },
    ]);
  });
});
