import type { FieldProblem } from '@gx/platform';

/** The types a resource's information items can have. */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';
export type Scalar = string | number | boolean;
export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** 行过滤表达式 (schemas/json/exchange/policy.schema.json#/$defs/expression). */
export type RowFilter =
  | { and: RowFilter[] }
  | { or: RowFilter[] }
  | { not: RowFilter }
  | { field: string; op: Comparison | 'prefix'; value: Scalar }
  | { field: string; op: 'in'; values: Scalar[] }
  | { field: string; op: 'is_null' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
// the same patterns as PostgreSQL regular expressions, for the SQL side
const DATE_SQL = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const DATETIME_SQL =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$';

/**
 * Semantics shared by the SQL and the JavaScript form (a property test holds them equal):
 * - a field whose value is missing, null or not of the field's JSON type is NULL;
 * - comparisons with NULL are unknown, and a row passes only if the whole filter is true
 *   (SQL's three-valued logic: `not` of unknown is unknown);
 * - strings, dates and datetimes-as-text compare by Unicode code point (COLLATE "C");
 * - numbers compare as IEEE doubles; datetimes as instants to the millisecond;
 * - `is_null` is true exactly when the field is NULL in the sense above.
 */
export type Truth = boolean | null;

// ---------------------------------------------------------------------------- validation

function valueProblem(type: FieldType, value: Scalar): string | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : '应为字符串';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : '应为整数';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : '应为数值';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : '应为布尔值';
    case 'date':
      return typeof value === 'string' && DATE.test(value) ? undefined : '应为日期 YYYY-MM-DD';
    case 'datetime':
      return typeof value === 'string' && DATETIME.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : '应为 ISO 8601 时间 (带时区)';
  }
}

/**
 * Check a filter against the fields it may use: every field among them, every constant well
 * typed. `unusable` says why a field is not among them (default: the resource has no such field).
 */
export function rowFilterProblems(
  filter: RowFilter,
  types: Record<string, FieldType>,
  path = '/rowFilter',
  unusable: (field: string) => string = (field) => `资源没有字段 ${field}`,
): FieldProblem[] {
  if ('and' in filter)
    return filter.and.flatMap((f, i) => rowFilterProblems(f, types, `${path}/and/${i}`, unusable));
  if ('or' in filter)
    return filter.or.flatMap((f, i) => rowFilterProblems(f, types, `${path}/or/${i}`, unusable));
  if ('not' in filter) return rowFilterProblems(filter.not, types, `${path}/not`, unusable);
  const type = types[filter.field];
  if (!type) return [{ path: `${path}/field`, message: unusable(filter.field) }];
  if (filter.op === 'is_null') return [];
  if (filter.op === 'in') {
    return filter.values.flatMap((v, i) => {
      const problem = valueProblem(type, v);
      return problem ? [{ path: `${path}/values/${i}`, message: problem }] : [];
    });
  }
  if (filter.op === 'prefix' && type !== 'string')
    return [{ path: `${path}/op`, message: 'prefix 只适用于字符串字段' }];
  const problem = valueProblem(type, filter.value);
  return problem ? [{ path: `${path}/value`, message: problem }] : [];
}

// ---------------------------------------------------------------------------- JavaScript

/** The typed value of a field, or null (missing, null, or of another JSON type). */
function typedValue(
  record: Record<string, unknown>,
  field: string,
  type: FieldType,
): string | number | boolean | null {
  const v = Object.hasOwn(record, field) ? record[field] : undefined;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : null;
    case 'integer':
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date':
      return typeof v === 'string' && DATE.test(v) ? v : null;
    case 'datetime':
      return typeof v === 'string' && DATETIME.test(v) ? Date.parse(v) : null;
  }
}

/** Compare by Unicode code point, as PostgreSQL does under COLLATE "C" (UTF-8 byte order). */
function compareText(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function compare(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function constant(type: FieldType, value: Scalar): string | number | boolean {
  return type === 'datetime' ? Date.parse(value as string) : value;
}

function evaluate(
  filter: RowFilter,
  record: Record<string, unknown>,
  types: Record<string, FieldType>,
): Truth {
  if ('and' in filter) {
    let unknown = false;
    for (const part of filter.and) {
      const t = evaluate(part, record, types);
      if (t === false) return false;
      if (t === null) unknown = true;
    }
    return unknown ? null : true;
  }
  if ('or' in filter) {
    let unknown = false;
    for (const part of filter.or) {
      const t = evaluate(part, record, types);
      if (t === true) return true;
      if (t === null) unknown = true;
    }
    return unknown ? null : false;
  }
  if ('not' in filter) {
    const t = evaluate(filter.not, record, types);
    return t === null ? null : !t;
  }
  const type = types[filter.field]!;
  const v = typedValue(record, filter.field, type);
  if (filter.op === 'is_null') return v === null;
  if (v === null) return null;
  if (filter.op === 'in') return filter.values.some((c) => compare(v, constant(type, c)) === 0);
  if (filter.op === 'prefix') return (v as string).startsWith(filter.value as string);
  const d = compare(v, constant(type, filter.value));
  switch (filter.op) {
    case '=':
      return d === 0;
    case '!=':
      return d !== 0;
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    case '>=':
      return d >= 0;
  }
}

/** The filter as a predicate over records: true only where the filter is true. */
export function rowFilterPredicate(
  filter: RowFilter,
  types: Record<string, FieldType>,
): (record: Record<string, unknown>) => boolean {
  return (record) => evaluate(filter, record, types) === true;
}

// ---------------------------------------------------------------------------- SQL

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

function fieldSql(column: string, field: string, type: FieldType): string {
  const key = quoteLiteral(field);
  const ofType = (jsonType: string, expr: string) =>
    `(CASE WHEN jsonb_typeof(${column}->${key}) = '${jsonType}' THEN ${expr} END)`;
  switch (type) {
    case 'string':
      return `${ofType('string', `(${column}->>${key})`)} COLLATE "C"`;
    case 'integer':
    case 'number':
      return ofType('number', `(${column}->>${key})::float8`);
    case 'boolean':
      return ofType('boolean', `(${column}->>${key})::boolean`);
    case 'date':
      return `(CASE WHEN jsonb_typeof(${column}->${key}) = 'string' AND (${column}->>${key}) ~ '${DATE_SQL}' THEN (${column}->>${key}) END) COLLATE "C"`;
    case 'datetime':
      return `(CASE WHEN jsonb_typeof(${column}->${key}) = 'string' AND (${column}->>${key}) ~ '${DATETIME_SQL}' THEN date_trunc('milliseconds', (${column}->>${key})::timestamptz) END)`;
  }
}

const CAST: Record<FieldType, string> = {
  string: 'text',
  integer: 'float8',
  number: 'float8',
  boolean: 'boolean',
  date: 'text',
  datetime: 'timestamptz',
};

/**
 * The filter as a parameterised SQL condition over a jsonb column. Field names become
 * quoted literals after validation against the resource's fields; every constant is a bind
 * parameter, numbered from `firstParam`.
 */
export function rowFilterSql(
  filter: RowFilter,
  types: Record<string, FieldType>,
  options: { column?: string; firstParam?: number } = {},
): SqlFragment {
  const column = options.column ?? 'data';
  const params: unknown[] = [];
  const param = (value: unknown, cast: string) => {
    params.push(value);
    return `$${(options.firstParam ?? 1) + params.length - 1}::${cast}`;
  };
  // instants go to the database at millisecond precision, as JavaScript sees them
  const bind = (type: FieldType, v: Scalar) =>
    type === 'datetime' ? new Date(Date.parse(v as string)).toISOString() : v;
  const walk = (f: RowFilter): string => {
    if ('and' in f) return `(${f.and.map(walk).join(' AND ')})`;
    if ('or' in f) return `(${f.or.map(walk).join(' OR ')})`;
    if ('not' in f) return `(NOT ${walk(f.not)})`;
    const type = types[f.field];
    if (!type) throw new Error(`unknown field ${f.field}: validate the filter first`);
    const value = fieldSql(column, f.field, type);
    if (f.op === 'is_null') return `(${value} IS NULL)`;
    if (f.op === 'in')
      return `(${value} = ANY(${param(
        f.values.map((v) => bind(type, v)),
        `${CAST[type]}[]`,
      )}))`;
    if (f.op === 'prefix') return `starts_with(${value}, ${param(f.value, 'text')})`;
    const op = f.op === '!=' ? '<>' : f.op;
    return `(${value} ${op} ${param(bind(type, f.value), CAST[type])})`;
  };
  return { sql: walk(filter), params };
}
