import { describe, expect, it } from 'vitest';
import {
  compareRecordSchemas,
  generateRecordSchema,
  sameRecordShape,
  type RecordJsonSchema,
} from './recordSchema.ts';
import type { InformationItemInput } from './resourceInput.ts';

const items: InformationItemInput[] = [
  { name: 'id', label: '编号', dataType: 'string', maxLength: 20, isKey: true },
  { name: 'name', label: '名称', dataType: 'string', isRequired: true },
  { name: 'count', label: '数量', dataType: 'integer', unit: '个' },
];
const v1 = generateRecordSchema('101001001-002489129-000001', '测试', 1, items);
const next = (changed: InformationItemInput[]) =>
  generateRecordSchema('101001001-002489129-000001', '测试', 2, changed);

/** What PostgreSQL's jsonb hands back: the same value with keys in another order. */
function reordered(schema: RecordJsonSchema): RecordJsonSchema {
  const reverse = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(reverse)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .reverse()
              .map(([k, x]) => [k, reverse(x)]),
          )
        : v;
  return reverse(schema) as RecordJsonSchema;
}

describe('record schema compatibility', () => {
  it('sees no change in the same schema stored with keys in another order', () => {
    expect(sameRecordShape(reordered(v1), next(items))).toBe(true);
    expect(compareRecordSchemas(reordered(v1), next(items)).changes).toEqual([]);
  });

  it.each([
    ['a removed field', items.slice(0, 2), 'removed', true],
    [
      'a changed type',
      items.map((i) => (i.name === 'count' ? { ...i, dataType: 'number' as const } : i)),
      'type-changed',
      true,
    ],
    [
      'a shorter maximum length',
      items.map((i) => (i.name === 'id' ? { ...i, maxLength: 10 } : i)),
      'type-changed',
      true,
    ],
    [
      'a longer maximum length',
      items.map((i) => (i.name === 'id' ? { ...i, maxLength: 40 } : i)),
      'type-changed',
      false,
    ],
    [
      'a new required field',
      [...items, { name: 'extra', label: '新', dataType: 'string' as const, isRequired: true }],
      'added',
      true,
    ],
    [
      'a new optional field',
      [...items, { name: 'extra', label: '新', dataType: 'string' as const }],
      'added',
      false,
    ],
    [
      'a field made required',
      items.map((i) => (i.name === 'count' ? { ...i, isRequired: true } : i)),
      'now-required',
      true,
    ],
    [
      'a field made optional',
      items.map((i) => (i.name === 'name' ? { ...i, isRequired: false } : i)),
      'no-longer-required',
      false,
    ],
    [
      'a relabelled field',
      items.map((i) => (i.name === 'count' ? { ...i, label: '总数' } : i)),
      'annotation-changed',
      false,
    ],
    [
      'another key',
      items.map((i) => (i.name === 'name' ? { ...i, isKey: true } : i)),
      'key-changed',
      true,
    ],
  ])('%s', (_name, changed, change, breaking) => {
    const { compatibility, changes } = compareRecordSchemas(reordered(v1), next(changed));
    expect(changes).toContainEqual(expect.objectContaining({ change, breaking }));
    expect(compatibility).toBe(breaking ? 'breaking' : 'compatible');
  });

  it('says a type or length change in words a steward reads', () => {
    const details = (changed: InformationItemInput[]) =>
      compareRecordSchemas(v1, next(changed)).changes.map((c) => c.detail);
    expect(details(items.map((i) => (i.name === 'id' ? { ...i, maxLength: 10 } : i)))).toEqual([
      '字段 id 的最大长度由 20 字 变为 10 字',
    ]);
    expect(
      details(items.map((i) => (i.name === 'count' ? { ...i, dataType: 'number' as const } : i))),
    ).toEqual(['字段 count 的类型由 整数 变为 数值']);
    expect(
      details(items.map((i) => (i.name === 'id' ? { ...i, dataType: 'integer' as const } : i))),
    ).toEqual(['字段 id 的类型由 文本（最长 20 字） 变为 整数']);
  });
});
