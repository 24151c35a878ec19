import pg from 'pg';
import type { Logger } from '@gx/platform';
import type { JsonValue } from '../../log/RecordLog.ts';

/**
 * How the PostgreSQL sources turn a column's text into a JSON value, by the column's type oid.
 * One table for both `postgres-table` (applied by pg to query results) and `postgres-cdc`
 * (applied to the text values of pgoutput's tuples), so that the same row gives the same record
 * whichever way it was read. Both read with `DateStyle=ISO,YMD`, which the timestamp parser
 * relies on.
 */

/** PostgreSQL's built-in type oids (pg_type) parsed here rather than by pg's defaults */
const OID = {
  int8: 20,
  bytea: 17,
  json: 114,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  jsonb: 3802,
} as const;

/** int8: a number when it is a safe integer, else its exact text */
function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/**
 * numeric: a number when a double holds it exactly (at most 15 significant digits, which
 * always survive the round trip), else the exact text (also NaN and ±Infinity, not JSON).
 */
function parseNumeric(text: string): number | string {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const digits = text.replace(/[-.]/g, '').replace(/^0+/, '');
  if (digits.length <= 15) return Number(text);
  const n = Number(text);
  return Number.isSafeInteger(n) && !text.includes('.') ? n : text;
}

/**
 * timestamp(tz) in DateStyle ISO (`2026-11-21 08:30:00.123456+08`) to ISO 8601
 * (`2026-11-21T08:30:00.123456+08:00`), keeping microseconds. `timestamp` without time zone
 * stays without offset: it is the agency's local time and only it knows which zone.
 * `infinity` and BC dates are returned as PostgreSQL wrote them.
 */
function parseTimestamp(text: string): string {
  const match =
    /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-]\d{2})(?::?(\d{2}))?(?::\d{2})?)?$/.exec(
      text,
    );
  if (!match) return text;
  const [, date, time, offsetHours, offsetMinutes] = match;
  if (offsetHours === undefined) return `${date}T${time}`;
  const offset = `${offsetHours}:${offsetMinutes ?? '00'}`;
  return `${date}T${time}${offset === '+00:00' ? 'Z' : offset}`;
}

const identity = (text: string): string => text;

/**
 * Values must be JSON, dates must not move with the worker's time zone, and big numbers must
 * not round; every other type keeps pg's default text parser.
 */
const PARSERS = new Map<number, (text: string) => JsonValue>([
  [OID.int8, parseInt8],
  [OID.numeric, parseNumeric],
  [OID.date, identity],
  [OID.timestamp, parseTimestamp],
  [OID.timestamptz, parseTimestamp],
  [OID.interval, identity],
  [OID.bytea, identity],
  [OID.json, (text) => JSON.parse(text) as JsonValue],
  [OID.jsonb, (text) => JSON.parse(text) as JsonValue],
]);

/**
 * Type parsers for a source plugin's own pool only (the platform's pools keep pg's defaults).
 * The pool must also set `DateStyle=ISO,YMD`.
 */
export const PG_VALUE_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (format ?? 'text') === 'text' && PARSERS.has(oid)
      ? PARSERS.get(oid)
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** A value in PostgreSQL's text output format, parsed as `PG_VALUE_TYPES` parses query results. */
export function parsePgText(typeOid: number, text: string): JsonValue {
  const parse =
    PARSERS.get(typeOid) ??
    (pg.types.getTypeParser(typeOid, 'text') as (text: string) => JsonValue);
  return parse(text);
}

/**
 * The pool a PostgreSQL source reads an agency database with: two connections, ISO dates (which
 * the value parsers and stored positions rely on), `PG_VALUE_TYPES`, and the connector's name in
 * `pg_stat_activity`. An idle client's connection dying must not crash the worker: it is logged
 * and the next query fails instead.
 */
export function agencyPool(
  connectionString: string,
  context: { connector: string; logger: Logger },
  table: string,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: 2,
    options: '-c DateStyle=ISO,YMD',
    types: PG_VALUE_TYPES,
    application_name: `gx-connector ${context.connector}`.slice(0, 63),
  });
  pool.on('error', (error) =>
    context.logger.warn({ err: error.message, table }, 'PostgreSQL 连接中断'),
  );
  return pool;
}
