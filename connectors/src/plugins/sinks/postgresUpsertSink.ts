import pg from 'pg';
import { InputError, NotFoundError, UnavailableError } from '@gx/platform';
import type { LogRecord } from '../../log/RecordLog.ts';
import { defineSink, type DeadLetter, type SinkTask } from '../../runtime/plugin.ts';
import type { SecretRef } from '../../runtime/secrets.ts';
import {
  deadLetterOf,
  latestByKey,
  loadOptionsSchema,
  objectRecords,
  type JsonObject,
} from './sinkRecords.ts';

/** Options of `postgres-upsert` (schemas/json/connectors/postgres-upsert.schema.json). */
export interface PostgresUpsertOptions {
  connection: SecretRef;
  /** `table` or `schema.table`, case-sensitive */
  table: string;
  keyColumns: string[];
  /** record field → column; default: each field to the column of the same name */
  columns?: Record<string, string>;
  mode?: 'upsert';
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteTable(table: string): string {
  return table.split('.').map(quoteIdentifier).join('.');
}

interface PgError extends Error {
  code?: string;
  constraint?: string;
  column?: string;
}

/**
 * SQLSTATE classes that blame the records rather than the connection: 22 (a value the column
 * type refuses), 23 (a constraint) and 21000 (two rows of one statement hit the same row — keys
 * that differ as records but not as columns). Splitting the batch isolates the records at fault.
 */
function isRecordError(error: unknown): error is PgError {
  const code = (error as PgError | null)?.code;
  return (
    typeof code === 'string' && (code.startsWith('22') || code.startsWith('23') || code === '21000')
  );
}

function describeError(error: unknown): string {
  const { code, message } = error as PgError;
  return code ? `(SQLSTATE ${code}) ${message}` : String(message ?? error);
}

interface TargetColumn {
  name: string;
  /** generated or GENERATED ALWAYS identity: PostgreSQL refuses values for it */
  isWritable: boolean;
}

interface TargetTable {
  columns: TargetColumn[];
  /** the key columns of each primary key or unique constraint, sorted */
  uniqueKeys: string[][];
}

async function readTargetTable(pool: pg.Pool, table: string): Promise<TargetTable> {
  const { rows } = await pool.query<{ oid: number | null }>('SELECT to_regclass($1)::oid AS oid', [
    quoteTable(table),
  ]);
  const oid = rows[0]?.oid;
  if (oid === null || oid === undefined) throw new NotFoundError(`目标表 ${table} 不存在`);
  const columns = await pool.query<{ name: string; is_writable: boolean }>(
    `SELECT attname AS name, attgenerated = '' AND attidentity <> 'a' AS is_writable
       FROM pg_attribute
      WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped
      ORDER BY attnum`,
    [oid],
  );
  const keys = await pool.query<{ columns: string[] }>(
    `SELECT array_agg(a.attname::text ORDER BY a.attname) AS columns
       FROM pg_index i
       JOIN pg_attribute a
         ON a.attrelid = i.indrelid
        AND a.attnum = ANY ((i.indkey::int2[])[0:i.indnkeyatts - 1])
      WHERE i.indrelid = $1 AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
      GROUP BY i.indexrelid`,
    [oid],
  );
  return {
    columns: columns.rows.map((c) => ({ name: c.name, isWritable: c.is_writable })),
    uniqueKeys: keys.rows.map((k) => [...k.columns].sort()),
  };
}

/** Which record field goes to which column, checked against the table once per task. */
function planColumns(
  options: PostgresUpsertOptions,
  { columns, uniqueKeys }: TargetTable,
): [field: string, column: string][] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const problems: { path: string; message: string }[] = [];
  let plan: [string, string][];
  if (options.columns) {
    plan = Object.entries(options.columns);
    const targets = new Set<string>();
    for (const [field, column] of plan) {
      const target = byName.get(column);
      if (!target) problems.push({ path: `/columns/${field}`, message: `表中没有列 ${column}` });
      else if (!target.isWritable)
        problems.push({ path: `/columns/${field}`, message: `列 ${column} 是生成列，不能写入` });
      else if (targets.has(column))
        problems.push({ path: `/columns/${field}`, message: `另一字段已映射到列 ${column}` });
      targets.add(column);
    }
  } else {
    plan = columns.filter((c) => c.isWritable).map((c) => [c.name, c.name]);
  }
  const mapped = new Set(plan.map(([, column]) => column));
  options.keyColumns.forEach((column, i) => {
    if (!byName.has(column))
      problems.push({ path: `/keyColumns/${i}`, message: `表中没有列 ${column}` });
    else if (!mapped.has(column))
      problems.push({ path: `/keyColumns/${i}`, message: `没有字段写入主键列 ${column}` });
  });
  const wanted = [...options.keyColumns].sort().join('\u0000');
  if (!uniqueKeys.some((key) => key.join('\u0000') === wanted)) {
    problems.push({
      path: '/keyColumns',
      message: `表 ${options.table} 没有与 (${options.keyColumns.join(', ')}) 完全一致的主键或唯一约束`,
    });
  }
  if (problems.length > 0) throw new InputError(`目标表 ${options.table} 与配置不符`, problems);
  return plan;
}

type Row = { record: LogRecord; row: JsonObject };

class PostgresUpsertTask implements SinkTask {
  readonly #pool: pg.Pool;
  readonly #table: string;
  readonly #keyColumns: readonly string[];
  readonly #plan: readonly [string, string][];
  /** statement text by the columns it writes (a batch writes the columns its records carry) */
  readonly #statements = new Map<string, string>();

  constructor(pool: pg.Pool, options: PostgresUpsertOptions, plan: [string, string][]) {
    this.#pool = pool;
    this.#table = options.table;
    this.#keyColumns = options.keyColumns;
    this.#plan = plan;
  }

  async write(
    records: readonly LogRecord[],
    { signal }: { signal: AbortSignal },
  ): Promise<{ deadLetters: DeadLetter[] }> {
    const { objects, deadLetters } = objectRecords(records);
    const present = new Set<string>(this.#keyColumns);
    const rows: Row[] = latestByKey(objects).map(({ record, value }) => {
      // no prototype: a column may be called __proto__
      const row = Object.create(null) as JsonObject;
      for (const [field, column] of this.#plan) {
        const fieldValue = value[field];
        if (fieldValue !== undefined && Object.hasOwn(value, field)) {
          row[column] = fieldValue;
          present.add(column);
        }
      }
      return { record, row };
    });
    if (rows.length === 0) return { deadLetters };
    // Keep the table's column order so that equal column sets share one statement text.
    const columns = this.#plan.map(([, column]) => column).filter((c) => present.has(c));
    await this.#writeRows(this.#statement(columns), rows, deadLetters, signal);
    return { deadLetters };
  }

  #statement(columns: string[]): string {
    const cacheKey = columns.join('\u0000');
    let sql = this.#statements.get(cacheKey);
    if (sql === undefined) {
      const table = quoteTable(this.#table);
      const list = columns.map(quoteIdentifier).join(', ');
      const keys = new Set(this.#keyColumns);
      const updates = columns
        .filter((c) => !keys.has(c))
        .map((c) => `${quoteIdentifier(c)} = EXCLUDED.${quoteIdentifier(c)}`);
      // jsonb_populate_recordset casts each JSON value to its column's type, so the batch
      // travels as one parameter and PostgreSQL does the conversions.
      sql =
        `INSERT INTO ${table} (${list}) SELECT ${list} ` +
        `FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ` +
        `ON CONFLICT (${this.#keyColumns.map(quoteIdentifier).join(', ')}) ` +
        (updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING');
      this.#statements.set(cacheKey, sql);
    }
    return sql;
  }

  /**
   * Write the rows in one statement; when the records are at fault, halve the batch until each
   * bad record stands alone (a dead letter) and every good one is written. Each statement
   * commits on its own: the halves already written are simply written again on a redelivery.
   */
  async #writeRows(
    sql: string,
    rows: Row[],
    deadLetters: DeadLetter[],
    signal: AbortSignal,
  ): Promise<void> {
    signal.throwIfAborted();
    try {
      await this.#pool.query(sql, [JSON.stringify(rows.map((r) => r.row))]);
    } catch (error) {
      if (!isRecordError(error)) {
        throw new UnavailableError(
          `写入目标表 ${this.#table} 失败: ${describeError(error)}`,
          undefined,
          {
            cause: error,
          },
        );
      }
      if (rows.length === 1) {
        const context: Record<string, string> = { table: this.#table, sqlstate: error.code ?? '' };
        if (error.constraint) context.constraint = error.constraint;
        if (error.column) context.column = error.column;
        deadLetters.push(
          deadLetterOf(rows[0]!.record, `目标表拒绝该记录: ${describeError(error)}`, context),
        );
        return;
      }
      const middle = rows.length >>> 1;
      await this.#writeRows(sql, rows.slice(0, middle), deadLetters, signal);
      await this.#writeRows(sql, rows.slice(middle), deadLetters, signal);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/**
 * Upserts delivered records into a table of the consumer's PostgreSQL, idempotent by key: the
 * newest record of each key in a batch wins, and writing a record again leaves the row as it
 * was. One pool of two connections per task.
 */
export const postgresUpsertSink = defineSink<PostgresUpsertOptions>({
  kind: 'sink',
  type: 'postgres-upsert',
  title: 'PostgreSQL 表写入',
  optionsSchema: loadOptionsSchema('postgres-upsert'),
  async create(options, context) {
    const connectionString = await context.secrets.resolve(options.connection);
    const pool = new pg.Pool({ connectionString, max: 2 });
    // An idle connection that breaks is dropped by the pool; without a listener the error
    // would end the worker process.
    pool.on('error', (error) =>
      context.logger.warn(
        { connector: context.connector, err: error },
        'target database connection failed',
      ),
    );
    try {
      const target = await readTargetTable(pool, options.table).catch((error: unknown) => {
        if (error instanceof NotFoundError) throw error;
        throw new UnavailableError(
          `无法读取目标表 ${options.table}: ${describeError(error)}`,
          undefined,
          { cause: error },
        );
      });
      return new PostgresUpsertTask(pool, options, planColumns(options, target));
    } catch (error) {
      await pool.end();
      throw error;
    }
  },
});
