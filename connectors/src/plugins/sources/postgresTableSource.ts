import type pg from 'pg';
import type { JsonValue } from '../../log/RecordLog.ts';
import { defineSource, type SourceBatch, type SourceTask } from '../../runtime/plugin.ts';
import type { SecretRef } from '../../runtime/secrets.ts';
import {
  BatchCollector,
  checkMarkerMapped,
  type DeleteMarker,
  type RecordValue,
} from './BatchCollector.ts';
import { loadOptionsSchema } from './loadOptionsSchema.ts';
import { agencyPool } from './pgValueParsers.ts';

/** A type alias (not an interface) so that it is assignable to the registry's plain options. */
export type PostgresTableOptions = {
  connection: SecretRef;
  /** `table` or `schema.table`, matched exactly (always quoted) */
  table: string;
  updatedAtColumn: string;
  keyColumns: string[];
  /** column → field; default every column under its own name */
  columns?: Record<string, string>;
  lagMs?: number;
  /** soft deletion: a row whose `field` (after `columns`) holds one of `values` is a deletion */
  deleteMarker?: DeleteMarker;
};

/**
 * Where the read stands: the last row returned, as the keyset `(updatedAt, key…)`. `updatedAt`
 * is the column's own text (`::text`, microseconds included; a JS Date would drop them and
 * re-read or skip rows), the key values likewise as text; both go back to PostgreSQL as
 * parameters that it parses with the columns' types.
 */
export interface PostgresTablePosition {
  updatedAt: string;
  key: string[];
}

const DEFAULT_LAG_MS = 1000;
/** result columns after the row's own, named so that they cannot clash with a table column */
const POSITION_PREFIX = 'gx$position';

/** `"name"` with embedded quotes doubled: PostgreSQL's identifier quoting */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `schema.table` or `table`; the schema pattern admits no quotes or dots inside a part */
function quoteTable(table: string): string {
  return table.split('.').map(quoteIdentifier).join('.');
}

function isPosition(value: JsonValue | null): value is PostgresTablePosition & JsonValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value.updatedAt === 'string' &&
    Array.isArray(value.key) &&
    value.key.every((k) => typeof k === 'string')
  );
}

/**
 * Reads the table in `(updatedAt, key…)` order, one keyset query per batch:
 *
 *   SELECT <columns>, updated_at::text, k1::text … FROM t
 *   WHERE (updated_at, k1 …) > ($ts, $k1 …) AND updated_at <= now() - lag
 *   ORDER BY updated_at, k1 … LIMIT n
 *
 * Rows committed later with an older `updatedAt` than the position would be skipped; the lag
 * window leaves the newest rows for a later poll so that transactions in flight commit first.
 * Limits (also in the options schema): a transaction open longer than the lag, or a writer
 * whose clock is behind the database's by more than it, can still be skipped; rows with a null
 * `updatedAt` are never read; key columns must not be null. A deleted row is not seen, only a
 * soft deletion (`deleteMarker`: the row stays, flagged, with a new `updatedAt`).
 */
class PostgresTableTask implements SourceTask {
  private readonly pool: pg.Pool;
  private readonly table: string;
  private readonly lagMs: number;
  private readonly deleteMarker: DeleteMarker | undefined;
  private readonly keyFields: readonly string[];
  private readonly keyCount: number;
  /** the fields of the selected columns, when `columns` picks them */
  private readonly fields: string[] | undefined;
  private readonly firstQuery: string;
  private readonly nextQuery: string;

  constructor(pool: pg.Pool, options: PostgresTableOptions, keyFields: readonly string[]) {
    this.pool = pool;
    this.table = options.table;
    this.lagMs = options.lagMs ?? DEFAULT_LAG_MS;
    this.deleteMarker = options.deleteMarker;
    this.keyFields = keyFields;
    this.keyCount = options.keyColumns.length;
    const updatedAt = quoteIdentifier(options.updatedAtColumn);
    const keys = options.keyColumns.map(quoteIdentifier);
    const columns = options.columns ? Object.entries(options.columns) : undefined;
    this.fields = columns?.map(([, field]) => field);
    const select = [
      columns ? columns.map(([column]) => quoteIdentifier(column)).join(', ') : 't.*',
      `${updatedAt}::text AS ${quoteIdentifier(`${POSITION_PREFIX}_ts`)}`,
      ...keys.map((k, i) => `${k}::text AS ${quoteIdentifier(`${POSITION_PREFIX}_k${i}`)}`),
    ].join(', ');
    const order = [updatedAt, ...keys].join(', ');
    const from = `SELECT ${select} FROM ${quoteTable(options.table)} AS t`;
    // $1 lag in ms, $2 limit, then the position: $3 updatedAt, $4… key
    const lag = `${updatedAt} <= now() - $1 * interval '1 millisecond'`;
    const tail = `ORDER BY ${order} LIMIT $2`;
    const after = [updatedAt, ...keys].map((_, i) => `$${i + 3}`).join(', ');
    this.firstQuery = `${from} WHERE ${lag} ${tail}`;
    this.nextQuery = `${from} WHERE (${order}) > (${after}) AND ${lag} ${tail}`;
  }

  async poll(
    position: JsonValue | null,
    { maxRecords, signal }: { maxRecords: number; signal: AbortSignal },
  ): Promise<SourceBatch | null> {
    signal.throwIfAborted();
    const result = await this.pool.query({
      text: isPosition(position) ? this.nextQuery : this.firstQuery,
      values: isPosition(position)
        ? [this.lagMs, maxRecords, position.updatedAt, ...position.key]
        : [this.lagMs, maxRecords],
      rowMode: 'array',
    });
    const rows = result.rows as JsonValue[][];
    if (rows.length === 0) return null;
    const dataCount = result.fields.length - 1 - this.keyCount;
    const names = this.fields ?? result.fields.slice(0, dataCount).map((f) => f.name);
    const batch = new BatchCollector(this.keyFields, this.deleteMarker);
    for (const row of rows) {
      const value: RecordValue = {};
      for (let i = 0; i < dataCount; i++) value[names[i]!] = row[i]!;
      batch.add(value, () => {
        const updatedAt = row[dataCount] as string;
        const key = JSON.stringify(row.slice(dataCount + 1));
        return {
          key: `${this.table}@${updatedAt}/${key}`,
          context: { table: this.table, updatedAt, key },
        };
      });
    }
    const last = rows[rows.length - 1]!;
    return {
      records: batch.records,
      deadLetters: batch.deadLetters,
      position: {
        updatedAt: last[dataCount] as string,
        key: last.slice(dataCount + 1) as string[],
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export const postgresTableSource = defineSource<PostgresTableOptions>({
  kind: 'source',
  type: 'postgres-table',
  title: 'PostgreSQL 表增量读取',
  optionsSchema: loadOptionsSchema('postgres-table'),
  positionSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['updatedAt', 'key'],
    properties: {
      updatedAt: { title: '最后读取的更新时间', type: 'string', minLength: 1 },
      key: {
        title: '最后读取的主键值',
        type: 'array',
        minItems: 1,
        items: { type: 'string' },
      },
    },
  },
  checkOptions: checkMarkerMapped,
  async create(options, context) {
    const connectionString = await context.secrets.resolve(options.connection);
    const pool = agencyPool(connectionString, context, options.table);
    return new PostgresTableTask(pool, options, context.keyFields);
  },
});
