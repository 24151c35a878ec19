import { Prisma } from '@gx/migrations';
import { CkanSearchError, CkanSearchQueryError } from './ckanErrors.ts';
import { licenseIdSql, resourceFormatsSql } from './ckanVocabulary.ts';
import type { FieldValue, QueryNode } from './luceneQuery.ts';

/**
 * A parsed `q` / `fq` as SQL over `resources r`, plus the free text it carries for the
 * directory's Chinese search. Free text may only stand beside the other clauses (AND), never
 * under OR or NOT: the Chinese search ranks one query, it does not combine with boolean logic.
 */
export interface CkanFilter {
  where: Prisma.Sql;
  texts: string[];
}

const TRUE = Prisma.sql`TRUE`;
const FALSE = Prisma.sql`FALSE`;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** An exact string column against a term (`prefix`: the term's start). */
function stringMatch(column: Prisma.Sql, value: FieldValue, normalise = (s: string) => s) {
  if (value.kind === 'any') return TRUE;
  if (value.kind === 'range') throw new CkanSearchQueryError('此字段不支持区间检索');
  const text = normalise(value.text);
  return value.prefix
    ? Prisma.sql`${column} LIKE ${`${escapeLike(text)}%`}`
    : Prisma.sql`${column} = ${text}`;
}

/** A text column containing the term (CKAN's tokenised text fields, for Chinese text). */
function textMatch(column: string, value: FieldValue) {
  if (value.kind === 'any') return TRUE;
  if (value.kind === 'range') throw new CkanSearchQueryError('此字段不支持区间检索');
  return Prisma.sql`strpos(lower(${Prisma.raw(column)}), ${value.text.toLowerCase()}) > 0`;
}

/** A term of a field that has one value for every entry here (`dataset_type:dataset`). */
function constantMatch(constant: string) {
  return (value: FieldValue) => {
    if (value.kind === 'any') return TRUE;
    if (value.kind === 'range') throw new CkanSearchQueryError('此字段不支持区间检索');
    const matches = value.prefix ? constant.startsWith(value.text) : constant === value.text;
    return matches ? TRUE : FALSE;
  };
}

const DATE_MATH =
  /^NOW((?:[+-]\d+(?:YEARS?|MONTHS?|DAYS?|HOURS?|MINUTES?|SECONDS?|MILLIS?))|\/(?:YEAR|MONTH|DAY|HOUR|MINUTE|SECOND))*$/;

/** Solr's date syntax: ISO 8601 in UTC (`Z` optional here), or NOW with date math. */
export function solrDate(input: string, now = new Date()): Date {
  const value = input.replace(/^"(.*)"$/, '$1');
  if (DATE_MATH.test(value)) {
    const date = new Date(now);
    for (const [, op, unit] of value.slice(3).matchAll(/([+-]\d+|\/)([A-Z]+)/g)) {
      const u = unit!.replace(/S$/, '');
      if (op === '/') {
        const keep = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'].indexOf(u);
        if (keep < 1) date.setUTCMonth(0);
        if (keep < 2) date.setUTCDate(1);
        if (keep < 3) date.setUTCHours(0);
        if (keep < 4) date.setUTCMinutes(0);
        if (keep < 5) date.setUTCSeconds(0);
        date.setUTCMilliseconds(0);
        continue;
      }
      const n = Number(op);
      if (u === 'YEAR') date.setUTCFullYear(date.getUTCFullYear() + n);
      else if (u === 'MONTH') date.setUTCMonth(date.getUTCMonth() + n);
      else if (u === 'DAY') date.setUTCDate(date.getUTCDate() + n);
      else if (u === 'HOUR') date.setUTCHours(date.getUTCHours() + n);
      else if (u === 'MINUTE') date.setUTCMinutes(date.getUTCMinutes() + n);
      else if (u === 'SECOND') date.setUTCSeconds(date.getUTCSeconds() + n);
      else date.setUTCMilliseconds(date.getUTCMilliseconds() + n);
    }
    if (Number.isNaN(date.getTime())) throw new CkanSearchError(`无效的日期: ${input}`);
    return date;
  }
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?)?Z?$/.exec(value);
  if (!m)
    throw new CkanSearchError(`无效的日期: ${input}（应为 2026-01-01T00:00:00Z 或 NOW-1DAY）`);
  const fraction = (m[3] ?? '').slice(0, 3).padEnd(3, '0');
  const date = new Date(
    `${m[1]}T${m[2] ?? '00:00:00'}${m[2]?.length === 5 ? ':00' : ''}.${fraction}Z`,
  );
  // a day the month does not have (02-30, 11-31) or 24:00 would roll over into the next one:
  // the instant must read back as written
  const iso = Number.isNaN(date.getTime()) ? '' : date.toISOString();
  if (iso.slice(0, 10) !== m[1] || (m[2] !== undefined && iso.slice(11, 11 + m[2].length) !== m[2]))
    throw new CkanSearchError(`无效的日期: ${input}`);
  return date;
}

/** A timestamp column against a date range or one instant. */
function dateMatch(column: string) {
  const col = Prisma.raw(column);
  return (value: FieldValue) => {
    if (value.kind === 'any') return TRUE;
    if (value.kind === 'term') {
      if (value.prefix) throw new CkanSearchQueryError('日期字段不支持通配符');
      return Prisma.sql`${col} = ${solrDate(value.text)}`;
    }
    const parts: Prisma.Sql[] = [];
    if (value.from !== '*') {
      const from = solrDate(value.from);
      parts.push(
        value.fromInclusive ? Prisma.sql`${col} >= ${from}` : Prisma.sql`${col} > ${from}`,
      );
    }
    if (value.to !== '*') {
      const to = solrDate(value.to);
      parts.push(value.toInclusive ? Prisma.sql`${col} <= ${to}` : Prisma.sql`${col} < ${to}`);
    }
    return parts.length > 0 ? Prisma.join(parts, ' AND ') : TRUE;
  };
}

/**
 * The fields of CKAN's Solr schema this catalogue answers, each as SQL over `resources r`.
 * `name` is the lower-cased resource code, `organization` the department code, `groups` the
 * theme code; see docs/interop.md for the whole mapping.
 */
const FIELDS: Record<string, (value: FieldValue) => Prisma.Sql> = {
  name: (v) => stringMatch(Prisma.sql`lower(r.code)`, v, (s) => s.toLowerCase()),
  id: (v) => stringMatch(Prisma.sql`r.id::text`, v, (s) => s.toLowerCase()),
  identifier: (v) => stringMatch(Prisma.sql`r.code`, v, (s) => s.toUpperCase()),
  extras_identifier: (v) => stringMatch(Prisma.sql`r.code`, v, (s) => s.toUpperCase()),
  title: (v) => textMatch('r.name', v),
  title_string: (v) => stringMatch(Prisma.sql`r.name`, v),
  notes: (v) => textMatch('r.abstract', v),
  tags: (v) => {
    if (v.kind === 'any') return Prisma.sql`cardinality(r.keywords) > 0`;
    if (v.kind === 'range') throw new CkanSearchQueryError('tags 不支持区间检索');
    return v.prefix
      ? Prisma.sql`EXISTS (SELECT 1 FROM unnest(r.keywords) k WHERE k LIKE ${`${escapeLike(v.text)}%`})`
      : Prisma.sql`${v.text} = ANY(r.keywords)`;
  },
  organization: (v) =>
    Prisma.sql`r.provider_id IN (SELECT id FROM departments WHERE ${stringMatch(Prisma.sql`code`, v, (s) => s.toLowerCase())})`,
  owner_org: (v) => stringMatch(Prisma.sql`r.provider_id::text`, v, (s) => s.toLowerCase()),
  groups: (v) => stringMatch(Prisma.sql`r.theme_code`, v, (s) => s.toLowerCase()),
  res_format: (v) => {
    if (v.kind === 'range') throw new CkanSearchQueryError('res_format 不支持区间检索');
    const formats = resourceFormatsSql('r.open_type');
    if (v.kind === 'any') return Prisma.sql`cardinality(${formats}) > 0`;
    return v.prefix
      ? Prisma.sql`EXISTS (SELECT 1 FROM unnest(${formats}) f WHERE f LIKE ${`${escapeLike(v.text.toUpperCase())}%`})`
      : Prisma.sql`${v.text.toUpperCase()} = ANY(${formats})`;
  },
  license_id: (v) => stringMatch(licenseIdSql('r.open_type'), v),
  metadata_modified: dateMatch('r.updated_at'),
  metadata_created: dateMatch('r.created_at'),
  dataset_type: constantMatch('dataset'),
  type: constantMatch('dataset'),
  state: constantMatch('active'),
  capacity: constantMatch('public'),
  private: constantMatch('false'),
  // one CKAN "site" per catalogue: whatever id a client names, it is this one
  site_id: () => TRUE,
};

export const SUPPORTED_FIELDS = [...Object.keys(FIELDS), 'text'];

function plan(node: QueryNode, conjunct: boolean, texts: string[]): Prisma.Sql {
  switch (node.kind) {
    case 'all':
      return TRUE;
    case 'text':
      if (!conjunct) {
        throw new CkanSearchQueryError(
          '全文检索词只能与其他条件以 AND 连接，不能用在 OR、NOT 之下',
        );
      }
      texts.push(node.text);
      return TRUE;
    case 'and':
      return Prisma.sql`(${Prisma.join(
        node.items.map((item) => plan(item, conjunct, texts)),
        ' AND ',
      )})`;
    case 'or':
      return Prisma.sql`(${Prisma.join(
        node.items.map((item) => plan(item, false, texts)),
        ' OR ',
      )})`;
    case 'not':
      return Prisma.sql`NOT (${plan(node.item, false, texts)})`;
    case 'field': {
      if (node.field === '*') {
        if (node.value.kind === 'any') return TRUE;
        throw new CkanSearchError('字段 * 只能写作 *:*');
      }
      if (node.field === 'text') {
        if (node.value.kind !== 'term') throw new CkanSearchQueryError('text 字段只接受检索词');
        return plan({ kind: 'text', text: node.value.text }, conjunct, texts);
      }
      // own properties only: `constructor:x` names no field
      const field = Object.hasOwn(FIELDS, node.field) ? FIELDS[node.field] : undefined;
      if (!field) {
        throw new CkanSearchQueryError(
          `不支持的检索字段 ${node.field}（支持: ${SUPPORTED_FIELDS.join(', ')}）`,
        );
      }
      return field(node.value);
    }
  }
}

/** The SQL and free text of a parsed query. */
export function ckanFilter(node: QueryNode): CkanFilter {
  const texts: string[] = [];
  const where = plan(node, true, texts);
  return { where, texts };
}
