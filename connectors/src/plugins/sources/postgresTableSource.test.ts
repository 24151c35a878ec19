import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPool, type TestDatabase } from '@gx/platform/testing';
import type { JsonValue } from '../../log/RecordLog.ts';
import type { SourceBatch, SourceTask } from '../../runtime/plugin.ts';
import { postgresTableSource, type PostgresTableOptions } from './postgresTableSource.ts';
import { createUtcTestDatabase, optionsErrors, sourceTestContext } from './sourceTestContext.ts';

const signal = new AbortController().signal;
const connection = { secret: { env: 'AGENCY_DB' } } as const;

let db: TestDatabase;
let admin: pg.Pool;
const open: SourceTask[] = [];

async function createTask(
  options: Omit<PostgresTableOptions, 'connection'>,
  keyFields: string[],
): Promise<SourceTask> {
  const context = sourceTestContext(keyFields, { AGENCY_DB: db.url });
  const task = await postgresTableSource.create({ connection, ...options }, context);
  open.push(task);
  return task;
}

/** polls until a poll returns null; the batches in order */
async function drain(
  task: SourceTask,
  from: JsonValue | null,
  maxRecords: number,
): Promise<{ batches: SourceBatch[]; position: JsonValue | null }> {
  const batches: SourceBatch[] = [];
  let position = from;
  for (;;) {
    const batch = await task.poll(position, { maxRecords, signal });
    if (batch === null) return { batches, position };
    batches.push(batch);
    position = batch.position;
  }
}

beforeAll(async () => {
  db = await createUtcTestDatabase();
  admin = testPool({ connectionString: db.url, max: 8 });
});

afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
  await admin?.end();
  await db?.drop();
});

describe('postgres-table options schema', () => {
  const valid = {
    connection,
    table: 'Sales.OrderLines',
    updatedAtColumn: 'updated_at',
    keyColumns: ['id'],
  };

  it('accepts a schema-qualified table and rejects anything that is not an identifier', () => {
    expect(optionsErrors(postgresTableSource, valid)).toEqual([]);
    expect(optionsErrors(postgresTableSource, { ...valid, table: '人口.户籍_2024' })).toEqual([]);
    for (const table of ['users; DROP TABLE x', 'a.b.c', '"quoted"', '1abc', 'a b', '']) {
      expect(optionsErrors(postgresTableSource, { ...valid, table })).not.toEqual([]);
    }
    expect(
      optionsErrors(postgresTableSource, { ...valid, keyColumns: ['id) OR (1=1'] }),
    ).not.toEqual([]);
    expect(
      optionsErrors(postgresTableSource, { ...valid, connection: 'postgres://u:p@h/db' }),
    ).not.toEqual([]);
  });

  it('refuses a soft-deletion column that the column mapping leaves out', () => {
    const options = {
      ...valid,
      columns: { id: 'id', holder: '持证人' },
      deleteMarker: { field: 'is_deleted', values: [true] },
    };
    expect(optionsErrors(postgresTableSource, options)).toEqual([]);
    expect(postgresTableSource.checkOptions?.(options)).toEqual([
      { path: '/deleteMarker/field', message: expect.stringContaining('is_deleted') },
    ]);
    expect(postgresTableSource.checkOptions?.({ ...options, deleteMarker: undefined })).toEqual([]);
  });
});

describe('postgres-table source', () => {
  it('reads values as JSON: dates as text, timestamps as ISO 8601 with microseconds, big numbers exactly', async () => {
    await admin.query(`
      CREATE SCHEMA "Sales";
      CREATE TABLE "Sales"."OrderLines" (
        id bigint PRIMARY KEY, region text, amount numeric(12,2), huge numeric(30,10),
        big int8, born date, seen timestamptz, local_seen timestamp, doc jsonb,
        updated_at timestamptz NOT NULL);
      INSERT INTO "Sales"."OrderLines" VALUES
        (1, '西湖区', 12.50, 12345678901234567890.0123456789, 9007199254740993, '1990-01-31',
         '2026-11-21 08:30:00.123456+08', '2026-11-21 08:30:00.5', '{"tags":["a"],"n":1}',
         '2026-01-01 00:00:00.000001+00'),
        (2, NULL, NULL, 1.5, 42, NULL, NULL, NULL, NULL, '2026-01-01 00:00:00.000002+00');`);
    const task = await createTask(
      {
        table: 'Sales.OrderLines',
        updatedAtColumn: 'updated_at',
        keyColumns: ['id'],
        columns: {
          id: 'id',
          region: 'region',
          amount: 'amount',
          huge: 'huge',
          big: 'big',
          born: 'birth_date',
          seen: 'seen',
          local_seen: 'local_seen',
          doc: 'doc',
        },
      },
      ['id'],
    );

    const batch = await task.poll(null, { maxRecords: 10, signal });

    expect(batch?.deadLetters).toEqual([]);
    expect(batch?.records).toEqual([
      {
        key: '1',
        value: {
          id: 1,
          region: '西湖区',
          amount: 12.5,
          huge: '12345678901234567890.0123456789',
          big: '9007199254740993',
          birth_date: '1990-01-31',
          seen: '2026-11-21T00:30:00.123456Z',
          local_seen: '2026-11-21T08:30:00.5',
          doc: { tags: ['a'], n: 1 },
        },
      },
      {
        key: '2',
        value: {
          id: 2,
          region: null,
          amount: null,
          huge: 1.5,
          big: 42,
          birth_date: null,
          seen: null,
          local_seen: null,
          doc: null,
        },
      },
    ]);
    // the position keeps the microseconds (a Date would have rounded them away)
    expect(batch?.position).toEqual({ updatedAt: '2026-01-01 00:00:00.000002+00', key: ['2'] });
  });

  it('walks ties and microsecond neighbours in keyset order, and a new task resumes at the stored position', async () => {
    await admin.query(`
      CREATE TABLE permits (district text, serial int, code text, updated_at timestamptz);
      -- 1 200 rows sharing one timestamp, then 300 a microsecond apart
      INSERT INTO permits
        SELECT 'd' || (i % 3), i, 'P' || i, '2026-02-01 00:00:00+00' FROM generate_series(1, 1200) i;
      INSERT INTO permits
        SELECT 'd0', i, 'P' || i,
               '2026-02-01 00:00:00+00'::timestamptz + (i - 1200) * interval '1 microsecond'
        FROM generate_series(1201, 1500) i;`);
    const options = {
      table: 'permits',
      updatedAtColumn: 'updated_at',
      keyColumns: ['district', 'serial'],
    };
    const first = await createTask(options, ['district', 'serial']);
    const head: SourceBatch[] = [];
    for (let i = 0; i < 3; i++) {
      const batch = await first.poll(head.at(-1)?.position ?? null, { maxRecords: 250, signal });
      head.push(batch!);
    }
    await first.close();
    open.splice(open.indexOf(first), 1);

    // "restart": a new task gets the position stored after the third batch
    const second = await createTask(options, ['district', 'serial']);
    const rest = await drain(second, head[2]!.position, 250);

    const keys = [...head, ...rest.batches].flatMap((b) => b.records.map((r) => r.key));
    expect(keys).toHaveLength(1500);
    expect(new Set(keys).size).toBe(1500);
    expect(keys[0]).toBe('["d0",3]');
    expect(head.every((b) => b.records.length === 250)).toBe(true);
    expect(rest.position).toEqual({
      updatedAt: '2026-02-01 00:00:00.0003+00',
      key: ['d0', '1500'],
    });
    expect(await second.poll(rest.position, { maxRecords: 250, signal })).toBeNull();
  });

  it('turns a row without a key into a dead letter', async () => {
    await admin.query(`
      CREATE TABLE licences (id int, licence_no text, updated_at timestamptz);
      INSERT INTO licences VALUES (1, 'L1', '2026-03-01'), (2, NULL, '2026-03-02'), (3, 'L3', '2026-03-03');`);
    const task = await createTask(
      { table: 'public.licences', updatedAtColumn: 'updated_at', keyColumns: ['id'] },
      ['licence_no'],
    );

    const batch = await task.poll(null, { maxRecords: 10, signal });

    expect(batch?.records.map((r) => r.key)).toEqual(['L1', 'L3']);
    expect(batch?.deadLetters).toHaveLength(1);
    expect(batch?.deadLetters[0]).toMatchObject({
      reason: '缺少主键字段 licence_no',
      value: { id: 2, licence_no: null },
      context: { table: 'public.licences', key: '["2"]' },
    });
  });

  it('reads a soft-deleted row as a deletion of its key once its update time moves', async () => {
    await admin.query(`
      CREATE TABLE soft_permits (id int PRIMARY KEY, holder text, is_deleted boolean NOT NULL DEFAULT false,
                            updated_at timestamptz NOT NULL);
      INSERT INTO soft_permits VALUES (1, '甲', false, '2026-04-01'), (2, '乙', false, '2026-04-02');`);
    const task = await createTask(
      {
        table: 'soft_permits',
        updatedAtColumn: 'updated_at',
        keyColumns: ['id'],
        lagMs: 0,
        deleteMarker: { field: 'is_deleted', values: [true] },
      },
      ['id'],
    );
    const { batches, position } = await drain(task, null, 10);
    expect(batches.flatMap((b) => b.records)).toEqual([
      { key: '1', value: { id: 1, holder: '甲', updated_at: '2026-04-01T00:00:00Z' } },
      { key: '2', value: { id: 2, holder: '乙', updated_at: '2026-04-02T00:00:00Z' } },
    ]);

    await admin.query(
      `UPDATE soft_permits SET is_deleted = true, updated_at = '2026-04-03' WHERE id = 1`,
    );
    const { batches: after } = await drain(task, position, 10);
    expect(after.flatMap((b) => b.records)).toEqual([
      { key: '1', value: { id: 1 }, deleted: true },
    ]);
  });

  it('leaves rows newer than the lag for later, so a transaction that commits late is not skipped', async () => {
    await admin.query(
      `CREATE TABLE cases (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())`,
    );
    const options = { table: 'cases', updatedAtColumn: 'updated_at', keyColumns: ['id'] };
    const late = await admin.connect();
    try {
      // A: stamped at its start (now()), committed after B
      await late.query('BEGIN');
      await late.query('INSERT INTO cases (id) VALUES (1)');
      await admin.query('INSERT INTO cases (id, updated_at) VALUES (2, clock_timestamp())');

      // without a lag the reader moves past A's timestamp before A commits: A is lost
      const eager = await createTask({ ...options, lagMs: 0 }, ['id']);
      const seen = await eager.poll(null, { maxRecords: 10, signal });
      expect(seen?.records.map((r) => r.key)).toEqual(['2']);

      // with a lag neither row is read yet
      const patient = await createTask({ ...options, lagMs: 60_000 }, ['id']);
      expect(await patient.poll(null, { maxRecords: 10, signal })).toBeNull();

      await late.query('COMMIT');
      expect(await eager.poll(seen!.position, { maxRecords: 10, signal })).toBeNull();
    } finally {
      late.release();
    }
  });

  it('skips nothing while writers insert concurrently in transactions that commit out of order', async () => {
    await admin.query(`
      CREATE TABLE events (id int PRIMARY KEY, payload text,
                           updated_at timestamptz NOT NULL DEFAULT now())`);
    const lagMs = 1000;
    const task = await createTask(
      { table: 'events', updatedAtColumn: 'updated_at', keyColumns: ['id'], lagMs },
      ['id'],
    );
    const writers = 4;
    const transactions = 25;
    const rowsPerTransaction = 20;
    let writing = true;
    const write = async (writer: number) => {
      const client = await admin.connect();
      try {
        for (let t = 0; t < transactions; t++) {
          const first = (writer * transactions + t) * rowsPerTransaction;
          await client.query('BEGIN');
          await client.query(
            `INSERT INTO events (id, payload)
             SELECT i, 'w' || $3 FROM generate_series($1::int, $2::int) i`,
            [first, first + rowsPerTransaction - 1, writer],
          );
          // hold the transaction open a while so that later ones commit first
          await client.query('SELECT pg_sleep($1)', [((writer * 7 + t * 13) % 10) / 50]);
          await client.query('COMMIT');
        }
      } finally {
        client.release();
      }
    };
    const read = new Set<string>();
    let duplicates = 0;
    let position: JsonValue | null = null;
    const reader = (async () => {
      let quietSince: number | undefined;
      for (;;) {
        const batch = await task.poll(position, { maxRecords: 37, signal });
        if (batch) {
          for (const r of batch.records) {
            if (read.has(r.key)) duplicates++;
            read.add(r.key);
          }
          position = batch.position;
          continue;
        }
        // done once a poll after the writers finished plus one full lag window finds nothing
        if (!writing) {
          quietSince ??= Date.now();
          if (Date.now() - quietSince > lagMs + 200) return;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await Promise.all(Array.from({ length: writers }, (_, w) => write(w)));
    writing = false;
    await reader;

    const total = writers * transactions * rowsPerTransaction;
    expect(read.size).toBe(total);
    expect(duplicates).toBe(0);
  });

  it('fails with a Chinese message naming the reference when the connection secret is missing', async () => {
    const context = sourceTestContext(['id'], {});
    await expect(
      postgresTableSource.create(
        { connection, table: 't', updatedAtColumn: 'u', keyColumns: ['id'] },
        context,
      ),
    ).rejects.toThrow('找不到密钥: 环境变量 AGENCY_DB 未设置');
  });
});
