import { canonicalJson } from '@gx/platform';
import type { InformationItemInput } from './resourceInput.ts';

export interface RecordJsonSchema {
  $schema: string;
  $id: string;
  title: string;
  type: 'object';
  additionalProperties: false;
  required: string[];
  'x-key': string[];
  properties: Record<string, Record<string, unknown>>;
}

function propertySchema(item: InformationItemInput): Record<string, unknown> {
  const base: Record<string, unknown> = (() => {
    switch (item.dataType) {
      case 'string':
        return item.maxLength ? { type: 'string', maxLength: item.maxLength } : { type: 'string' };
      case 'integer':
        return { type: 'integer' };
      case 'number':
        return { type: 'number' };
      case 'boolean':
        return { type: 'boolean' };
      case 'date':
        return { type: 'string', format: 'date' };
      case 'datetime':
        return { type: 'string', format: 'date-time' };
    }
  })();
  return {
    ...base,
    title: item.label,
    ...(item.unit ? { 'x-unit': item.unit } : {}),
    'x-grade': item.dataGrade ?? 'general',
    ...(item.isPersonal ? { 'x-personal': true } : {}),
    ...(item.description ? { description: item.description } : {}),
  };
}

/** The JSON Schema every record of the resource must satisfy, generated from its items. */
export function generateRecordSchema(
  code: string,
  name: string,
  version: number,
  items: InformationItemInput[],
): RecordJsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:gov-exchange:resource:${code}:v${version}`,
    title: name,
    type: 'object',
    additionalProperties: false,
    required: items.filter((i) => i.isRequired || i.isKey).map((i) => i.name),
    'x-key': items.filter((i) => i.isKey).map((i) => i.name),
    properties: Object.fromEntries(items.map((i) => [i.name, propertySchema(i)])),
  };
}

/** What a record-schema version can change, as `changes[].change` names it. */
export const SCHEMA_CHANGE_KINDS = [
  'added',
  'removed',
  'type-changed',
  'now-required',
  'no-longer-required',
  'annotation-changed',
  'key-changed',
] as const;

export interface SchemaChange {
  field: string;
  change: (typeof SCHEMA_CHANGE_KINDS)[number];
  breaking: boolean;
  detail: string;
}

const TYPE_KEYS = ['type', 'format', 'maxLength'] as const;

function typeOf(property: Record<string, unknown>): string {
  return TYPE_KEYS.map((k) => (property[k] === undefined ? '' : `${k}=${String(property[k])}`))
    .filter(Boolean)
    .join(',');
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: '文本',
  integer: '整数',
  number: '数值',
  boolean: '是/否',
  date: '日期',
  'date-time': '日期时间',
};

/** a property's type in words: 文本（最长 20 字）, 日期时间, 整数 */
function typeText(property: Record<string, unknown>): string {
  const type = String(property.format ?? property.type);
  const name = TYPE_NAMES[type] ?? type;
  const length = property.maxLength as number | undefined;
  return length === undefined ? name : `${name}（最长 ${length} 字）`;
}

const lengthText = (length: number | undefined) => (length === undefined ? '不限' : `${length} 字`);

/**
 * Compare a new record schema with the last published one. Consumers hold records of the old
 * shape: removing a field, changing its type, tightening a length, making a field required or
 * changing the key breaks them; adding an optional field or relabelling does not.
 */
export function compareRecordSchemas(previous: RecordJsonSchema, next: RecordJsonSchema) {
  const changes: SchemaChange[] = [];
  const before = previous.properties;
  const after = next.properties;
  for (const field of Object.keys(before)) {
    if (!(field in after)) {
      changes.push({ field, change: 'removed', breaking: true, detail: `删除了字段 ${field}` });
      continue;
    }
    const was = typeOf(before[field]!);
    const now = typeOf(after[field]!);
    if (was !== now) {
      const wasLength = before[field]!.maxLength as number | undefined;
      const nowLength = after[field]!.maxLength as number | undefined;
      const sameType =
        before[field]!.type === after[field]!.type &&
        before[field]!.format === after[field]!.format;
      const onlyLonger =
        sameType &&
        (nowLength === undefined || (wasLength !== undefined && nowLength >= wasLength));
      changes.push({
        field,
        change: 'type-changed',
        breaking: !onlyLonger,
        detail: sameType
          ? `字段 ${field} 的最大长度由 ${lengthText(wasLength)} 变为 ${lengthText(nowLength)}`
          : `字段 ${field} 的类型由 ${typeText(before[field]!)} 变为 ${typeText(after[field]!)}`,
      });
    } else if (canonicalJson(before[field]) !== canonicalJson(after[field])) {
      changes.push({
        field,
        change: 'annotation-changed',
        breaking: false,
        detail: `字段 ${field} 的名称、单位或分级有变化`,
      });
    }
  }
  for (const field of Object.keys(after)) {
    if (!(field in before)) {
      const required = next.required.includes(field);
      changes.push({
        field,
        change: 'added',
        breaking: required,
        detail: required ? `新增必填字段 ${field}` : `新增可选字段 ${field}`,
      });
    }
  }
  for (const field of next.required) {
    if (field in before && !previous.required.includes(field)) {
      changes.push({
        field,
        change: 'now-required',
        breaking: true,
        detail: `字段 ${field} 改为必填`,
      });
    }
  }
  for (const field of previous.required) {
    if (field in after && !next.required.includes(field)) {
      changes.push({
        field,
        change: 'no-longer-required',
        breaking: false,
        detail: `字段 ${field} 改为可选`,
      });
    }
  }
  if (previous['x-key'].join() !== next['x-key'].join()) {
    changes.push({
      field: next['x-key'].join('+'),
      change: 'key-changed',
      breaking: true,
      detail: '记录主键发生变化',
    });
  }
  const compatibility: 'compatible' | 'breaking' = changes.some((c) => c.breaking)
    ? 'breaking'
    : 'compatible';
  return { compatibility, changes };
}

/** Strip the version-dependent `$id` so two schemas can be compared for sameness. */
export function sameRecordShape(a: RecordJsonSchema, b: RecordJsonSchema): boolean {
  const strip = ({ $id: _id, ...rest }: RecordJsonSchema) => canonicalJson(rest);
  return strip(a) === strip(b);
}
