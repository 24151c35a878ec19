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

/** A row to upsert, or (a tombstone) the key columns of the row to delete. */
type Row = { record: LogRecord; row: JsonObject };

/** A record kept for the batch; a tombstone carries the key columns it deletes. */
type Candidate = { record: LogRecord; value: JsonObject; keyRow?: JsonObject };

/** One statement of a batch and what its dead letters say. */
interface Statement {
  sql: string;
  /** dead letter's reason before PostgreSQL's message */
  refusal: string;
}

class PostgresUpsertTask implements SinkTask {
  readonly #pool: pg.Pool;
  readonly #table: string;
  readonly #keyColumns: readonly string[];
  readonly #plan: readonly [string, string][];
  /** per key column, the record field the plan writes to it: a tombstone's values come from there */
  readonly #keyFields: readonly [field: string, column: string][];
  /** statement text by the columns it writes (a batch writes the columns its records carry) */
  readonly #statements = new Map<string, Statement>();
  readonly #delete: Statement;

  constructor(pool: pg.Pool, options: PostgresUpsertOptions, plan: [string, string][]) {
    this.#pool = pool;
    this.#table = options.table;
    this.#keyColumns = options.keyColumns;
    this.#plan = plan;
    // planColumns has checked that exactly one field is written to each key column
    this.#keyFields = options.keyColumns.map((column) => [
      plan.find(([, c]) => c === column)![0],
      column,
    ]);
    const table = quoteTable(this.#table);
    const keys = this.#keyColumns.map(quoteIdentifier);
    // Casting through the table's row type compares each value as its column's type, like the
    // upsert writes it; a key that is no longer there deletes nothing, so a redelivery passes.
    this.#delete = {
      sql:
        `DELETE FROM ${table} WHERE (${keys.join(', ')}) IN ` +
        `(SELECT ${keys.map((k) => `d.${k}`).join(', ')} ` +
        `FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) AS d)`,
      refusal: '目标表拒绝删除该行',
    };
  }

  async write(
    records: readonly LogRecord[],
    { signal }: { signal: AbortSignal },
  ): Promise<{ deadLetters: DeadLetter[] }> {
    const { objects, deadLetters } = objectRecords(records);
    // A tombstone that cannot name its row is refused before the newest of each key is chosen,
    // as a record that is not an object is: the outcome does not depend on the batch boundaries.
    const candidates: Candidate[] = [];
    for (const { record, value, isTombstone } of objects) {
      if (!isTombstone) {
        candidates.push({ record, value });
        continue;
      }
      const keyRow = this.#keyRow(record, value, deadLetters);
      if (keyRow) candidates.push({ record, value, keyRow });
    }
    const present = new Set<string>(this.#keyColumns);
    const upserts: Row[] = [];
    const deletes: Row[] = [];
    for (const { record, value, keyRow } of latestByKey(candidates)) {
      if (keyRow) {
        deletes.push({ record, row: keyRow });
        continue;
      }
      // no prototype: a column may be called __proto__
      const row = Object.create(null) as JsonObject;
      for (const [field, column] of this.#plan) {
        const fieldValue = value[field];
        if (fieldValue !== undefined && Object.hasOwn(value, field)) {
          row[column] = fieldValue;
          present.add(column);
        }
      }
      upserts.push({ record, row });
    }
    if (upserts.length === 0 && deletes.length === 0) return { deadLetters };
    // Keep the table's column order so that equal column sets share one statement text.
    const columns = this.#plan.map(([, column]) => column).filter((c) => present.has(c));
    await this.#inTransaction(signal, async (client) => {
      // The newest record of each key is either a row or a deletion, so the two statements
      // touch different rows and their order does not matter.
      if (deletes.length > 0) await this.#apply(client, this.#delete, deletes, deadLetters, signal);
      if (upserts.length > 0) {
        await this.#apply(client, this.#statement(columns), upserts, deadLetters, signal);
      }
    });
    return { deadLetters };
  }

  /** The key columns a tombstone deletes by, or null (and a dead letter) when one is missing. */
  #keyRow(record: LogRecord, value: JsonObject, deadLetters: DeadLetter[]): JsonObject | null {
    const row = Object.create(null) as JsonObject;
    const missing: string[] = [];
    for (const [field, column] of this.#keyFields) {
      const fieldValue = Object.hasOwn(value, field) ? value[field] : undefined;
      // NULL equals nothing: such a tombstone would silently leave the row in place
      if (fieldValue === undefined || fieldValue === null) missing.push(field);
      else row[column] = fieldValue;
    }
    if (missing.length === 0) return row;
    deadLetters.push(
      deadLetterOf(
        record,
        `删除标记缺少键字段 ${missing.join(', ')} (主键列 ${this.#keyColumns.join(', ')})，无法确定要删除的行`,
        { table: this.#table },
      ),
    );
    return null;
  }

  #statement(columns: string[]): Statement {
    const cacheKey = columns.join('\u0000');
    let statement = this.#statements.get(cacheKey);
    if (statement === undefined) {
      const table = quoteTable(this.#table);
      const list = columns.map(quoteIdentifier).join(', ');
      const keys = new Set(this.#keyColumns);
      const updates = columns
        .filter((c) => !keys.has(c))
        .map((c) => `${quoteIdentifier(c)} = EXCLUDED.${quoteIdentifier(c)}`);
      // jsonb_populate_recordset casts each JSON value to its column's type, so the batch
      // travels as one parameter and PostgreSQL does the conversions.
      const sql =
        `INSERT INTO ${table} (${list}) SELECT ${list} ` +
        `FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ` +
        `ON CONFLICT (${this.#keyColumns.map(quoteIdentifier).join(', ')}) ` +
        (updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING');
      statement = { sql, refusal: '目标表拒绝该记录' };
      this.#statements.set(cacheKey, statement);
    }
    return statement;
  }

  /**
   * One transaction per batch, so that the target never shows half a batch's deletions and
   * rows. Deferrable constraints are checked per statement: a violation found only at COMMIT
   * could not be traced to a record, and the batch would be retried for ever.
   */
  async #inTransaction(
    signal: AbortSignal,
    work: (client: pg.PoolClient) => Promise<void>,
  ): Promise<void> {
    const unavailable = (error: unknown) =>
      new UnavailableError(`写入目标表 ${this.#table} 失败: ${describeError(error)}`, undefined, {
        cause: error,
      });
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    // A connection lost while checked out also fails the query in flight, which is handled
    // below; without a listener the 'error' event would end the worker process.
    const ignore = () => undefined;
    client.on('error', ignore);
    let isBroken = false;
    try {
      await client.query('BEGIN; SET CONSTRAINTS ALL IMMEDIATE');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        // a connection that cannot even roll back is not given back to the pool
        isBroken = true;
      }
      signal.throwIfAborted();
      throw unavailable(error);
    } finally {
      client.removeListener('error', ignore);
      client.release(isBroken);
    }
  }

  /**
   * Run the statement over the rows; when the records are at fault, halve them until each bad
   * record stands alone (a dead letter) and every good one is applied. A savepoint undoes the
   * failed attempt and keeps what the transaction did before it. The whole batch commits
   * together: on a redelivery it is simply applied again.
   */
  async #apply(
    client: pg.PoolClient,
    statement: Statement,
    rows: Row[],
    deadLetters: DeadLetter[],
    signal: AbortSignal,
  ): Promise<void> {
    signal.throwIfAborted();
    await client.query('SAVEPOINT gx_rows');
    try {
      await client.query(statement.sql, [JSON.stringify(rows.map((r) => r.row))]);
    } catch (error) {
      if (!isRecordError(error)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT gx_rows; RELEASE SAVEPOINT gx_rows');
      if (rows.length === 1) {
        const context: Record<string, string> = { table: this.#table, sqlstate: error.code ?? '' };
        if (error.constraint) context.constraint = error.constraint;
        if (error.column) context.column = error.column;
        deadLetters.push(
          deadLetterOf(rows[0]!.record, `${statement.refusal}: ${describeError(error)}`, context),
        );
        return;
      }
      const middle = rows.length >>> 1;
      await this.#apply(client, statement, rows.slice(0, middle), deadLetters, signal);
      await this.#apply(client, statement, rows.slice(middle), deadLetters, signal);
      return;
    }
    await client.query('RELEASE SAVEPOINT gx_rows');
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/**
 * Upserts delivered records into a table of the consumer's PostgreSQL, idempotent by key: the
 * newest record of each key in a batch wins, and writing a record again leaves the row as it
 * was. A tombstone (ADR 0012) deletes the row whose key columns hold its key fields (mapped as
 * the upsert maps them); deleting a row that is not there succeeds. Each batch's deletions and
 * upserts commit in one transaction. One pool of two connections per task.
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
