import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, NotFoundError, UnavailableError } from '@gx/platform';
import {
  captureLogs,
  createTestDatabase,
  freePort,
  testPool,
  type TestDatabase,
} from '@gx/platform/testing';
import type { JsonValue, LogRecord } from '../../log/RecordLog.ts';
import type { PluginContext, SinkTask } from '../../runtime/plugin.ts';
import { createSecretResolver } from '../../runtime/secrets.ts';
import { headers } from '../../runtime/streamNames.ts';
import { postgresUpsertSink } from './postgresUpsertSink.ts';

const STREAM = 'gx.delivery.grant-1';
const signal = new AbortController().signal;

function record(offset: number, key: string, value: JsonValue | Buffer, partition = 0): LogRecord {
  return { stream: STREAM, partition, offset, key, value, headers: {}, timestamp: 0 };
}

/** A deletion of `key`: its value holds the key fields (ADR 0012). */
function tombstone(offset: number, key: string, value: JsonValue, partition = 0): LogRecord {
  return { ...record(offset, key, value, partition), headers: { [headers.op]: 'delete' } };
}

describe('postgres-upsert sink', () => {
  // the consumer's own database, apart from the exchange's
  let target: TestDatabase;
  let admin: pg.Pool;
  const logs = captureLogs();
  const tasks: SinkTask[] = [];

  function context(env: Record<string, string> = { TARGET_DB: target.url }): PluginContext {
    return {
      connector: 'licences-to-consumer',
      logger: logs.logger,
      secrets: createSecretResolver(env),
      keyFields: [],
      fieldTypes: {},
    };
  }

  async function open(options: Record<string, unknown>, env?: Record<string, string>) {
    const task = await postgresUpsertSink.create(
      { connection: { secret: { env: 'TARGET_DB' } }, ...options },
      context(env),
    );
    tasks.push(task);
    return task;
  }

  beforeAll(async () => {
    target = await createTestDatabase('empty');
    admin = testPool({ connectionString: target.url, max: 2 });
    await admin.query(`
      CREATE TABLE licences (
        licence_no text PRIMARY KEY,
        holder     text NOT NULL,
        issued     date,
        fee        numeric(10, 2) CHECK (fee >= 0),
        tags       text[],
        extra      jsonb,
        synced_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE SCHEMA consumer;
      CREATE TABLE consumer."Permits" (
        region   text,
        seq      integer,
        "Holder" text,
        note     text DEFAULT 'kept',
        PRIMARY KEY (region, seq)
      );
      CREATE TABLE no_key (id text, holder text);
      CREATE TABLE holders (id text PRIMARY KEY, name text);
      CREATE TABLE holder_cards (
        card      text PRIMARY KEY,
        holder_id text REFERENCES holders (id) DEFERRABLE INITIALLY DEFERRED
      );
      CREATE TABLE bulk (id integer PRIMARY KEY, name text, amount numeric, at timestamptz);
    `);
  });

  afterAll(async () => {
    await Promise.all(tasks.map((t) => t.close().catch(() => undefined)));
    await admin?.end();
    await target?.drop();
  });

  it('writes the newest record of each key, converts JSON to the column types and ignores unknown fields', async () => {
    const task = await open({ table: 'licences', keyColumns: ['licence_no'] });
    const result = await task.write(
      [
        record(0, 'L1', { licence_no: 'L1', holder: '张三', issued: '2026-01-02', fee: 12.5 }),
        record(1, 'L2', { licence_no: 'L2', holder: '李四', tags: ['a', 'b'], extra: { x: 1 } }),
        record(2, 'L1', { licence_no: 'L1', holder: '张三 (新)', issued: '2026-03-04', fee: 0 }),
        record(3, 'L3', { licence_no: 'L3', holder: '王五', unknown_field: 'ignored' }),
      ],
      { signal },
    );
    expect(result.deadLetters).toEqual([]);
    const { rows } = await admin.query(
      `SELECT licence_no, holder, issued::text, fee::text, tags, extra, synced_at IS NOT NULL AS has_default
         FROM licences ORDER BY licence_no`,
    );
    expect(rows).toEqual([
      {
        licence_no: 'L1',
        holder: '张三 (新)',
        issued: '2026-03-04',
        fee: '0.00',
        tags: null,
        extra: null,
        has_default: true,
      },
      {
        licence_no: 'L2',
        holder: '李四',
        issued: null,
        fee: null,
        tags: ['a', 'b'],
        extra: { x: 1 },
        has_default: true,
      },
      {
        licence_no: 'L3',
        holder: '王五',
        issued: null,
        fee: null,
        tags: null,
        extra: null,
        has_default: true,
      },
    ]);
  });

  it('ends with the same rows whatever the batches and however often a range is delivered again', async () => {
    await admin.query('TRUNCATE licences');
    const all = Array.from({ length: 300 }, (_, i) =>
      record(i, `K${i % 70}`, { licence_no: `K${i % 70}`, holder: `持证人 ${i}`, fee: i }),
    );
    const first = await open({ table: 'licences', keyColumns: ['licence_no'] });
    for (let i = 0; i < 200; i += 50) await first.write(all.slice(i, i + 50), { signal });
    // "crash": a new task gets everything after the last commit again, cut differently
    const second = await open({ table: 'licences', keyColumns: ['licence_no'] });
    for (let i = 120; i < 300; i += 37) await second.write(all.slice(i, i + 37), { signal });

    const { rows } = await admin.query<{ licence_no: string; holder: string; fee: string }>(
      'SELECT licence_no, holder, fee::int::text AS fee FROM licences ORDER BY licence_no',
    );
    const expected = new Map<string, { holder: string; fee: string }>();
    for (const r of all) {
      const v = r.value as { licence_no: string; holder: string; fee: number };
      expected.set(v.licence_no, { holder: v.holder, fee: String(v.fee) });
    }
    expect(rows).toEqual(
      [...expected]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([licence_no, v]) => ({ licence_no, ...v })),
    );
  });

  it('writes the good records of a batch and dead-letters each bad one with PostgreSQL’s message', async () => {
    await admin.query('TRUNCATE licences');
    const task = await open({ table: 'licences', keyColumns: ['licence_no'] });
    const batch = Array.from({ length: 100 }, (_, i) =>
      record(i, `B${i}`, { licence_no: `B${i}`, holder: `持证人 ${i}`, issued: '2026-05-01' }),
    );
    batch[13] = record(13, 'B13', { licence_no: 'B13', holder: 'x', issued: '不是日期' });
    batch[50] = record(50, 'B50', { licence_no: 'B50', holder: 'x', fee: -1 });
    batch[51] = record(51, 'B51', { licence_no: 'B51', holder: null });
    batch[98] = record(98, 'B98', Buffer.from('not json'));
    const { deadLetters } = await task.write(batch, { signal });

    expect(deadLetters.map((d) => [d.key, d.context?.sqlstate, d.context?.offset])).toEqual([
      ['B98', undefined, '98'],
      ['B13', '22007', '13'],
      ['B50', '23514', '50'],
      ['B51', '23502', '51'],
    ]);
    expect(deadLetters[0]!.reason).toBe('记录值不是 JSON 对象，无法写入');
    expect(deadLetters[1]!.reason).toContain('invalid input syntax for type date');
    expect(deadLetters[2]!.context).toMatchObject({ constraint: 'licences_fee_check' });
    expect(deadLetters[3]!.context).toMatchObject({ column: 'holder', table: 'licences' });
    expect(deadLetters[1]!.value).toEqual({ licence_no: 'B13', holder: 'x', issued: '不是日期' });

    const { rows } = await admin.query<{ licence_no: string }>(
      'SELECT licence_no FROM licences ORDER BY licence_no',
    );
    const written = batch
      .map((r) => r.key)
      .filter((k) => !['B13', 'B50', 'B51', 'B98'].includes(k))
      .sort();
    expect(rows.map((r) => r.licence_no)).toEqual(written);
  });

  it('maps fields to the columns of a schema-qualified table with a composite key', async () => {
    const task = await open({
      table: 'consumer.Permits',
      keyColumns: ['seq', 'region'],
      columns: { 区划: 'region', 序号: 'seq', 持有人: 'Holder' },
    });
    await admin.query(`INSERT INTO consumer."Permits" VALUES ('gz', 1, '旧', 'mine')`);
    const { deadLetters } = await task.write(
      [
        record(0, '["gz",1]', { 区划: 'gz', 序号: 1, 持有人: '新', note: 'not mapped' }),
        record(1, '["sz",1]', { 区划: 'sz', 序号: '1', 持有人: '深' }),
      ],
      { signal },
    );
    expect(deadLetters).toEqual([]);
    const { rows } = await admin.query(
      'SELECT region, seq, "Holder", note FROM consumer."Permits" ORDER BY region',
    );
    expect(rows).toEqual([
      { region: 'gz', seq: 1, Holder: '新', note: 'mine' },
      { region: 'sz', seq: 1, Holder: '深', note: 'kept' },
    ]);
  });

  it('deletes the row of a tombstone newer than its upsert and writes a record newer than its tombstone', async () => {
    await admin.query('TRUNCATE consumer."Permits"');
    await admin.query(
      `INSERT INTO consumer."Permits" VALUES ('gz', 1, '旧'), ('gz', 2, '旧'), ('sz', 7, '留')`,
    );
    const task = await open({
      table: 'consumer.Permits',
      keyColumns: ['region', 'seq'],
      columns: { 区划: 'region', 序号: 'seq', 持有人: 'Holder' },
    });
    const { deadLetters } = await task.write(
      [
        record(0, '["gz",1]', { 区划: 'gz', 序号: 1, 持有人: '新' }),
        tombstone(1, '["gz",1]', { 区划: 'gz', 序号: 1 }),
        tombstone(2, '["gz",2]', { 区划: 'gz', 序号: 2 }),
        record(3, '["gz",2]', { 区划: 'gz', 序号: 2, 持有人: '回来了' }),
        // a new row in the same batch, and a key the JSON gives as text: cast as the upsert casts
        record(4, '["gz",3]', { 区划: 'gz', 序号: 3, 持有人: '三' }),
        tombstone(5, '["sz",7]', { 区划: 'sz', 序号: '7' }),
      ],
      { signal },
    );
    expect(deadLetters).toEqual([]);
    const { rows } = await admin.query(
      'SELECT region, seq, "Holder" FROM consumer."Permits" ORDER BY region, seq',
    );
    expect(rows).toEqual([
      { region: 'gz', seq: 2, Holder: '回来了' },
      { region: 'gz', seq: 3, Holder: '三' },
    ]);
  });

  it('deletes in a later batch a row an earlier batch wrote, and succeeds again when the row is gone', async () => {
    await admin.query('TRUNCATE licences');
    const task = await open({ table: 'licences', keyColumns: ['licence_no'] });
    await task.write(
      [
        record(0, 'D1', { licence_no: 'D1', holder: '张三' }),
        record(1, 'D2', { licence_no: 'D2', holder: '李四' }),
      ],
      { signal },
    );
    const deletion = [tombstone(2, 'D1', { licence_no: 'D1' })];
    expect(await task.write(deletion, { signal })).toEqual({ deadLetters: [] });
    // delivered again after a crash, and a key the target never held
    const again = await open({ table: 'licences', keyColumns: ['licence_no'] });
    expect(await again.write(deletion, { signal })).toEqual({ deadLetters: [] });
    expect(await again.write([tombstone(3, 'NEVER', { licence_no: 'NEVER' })], { signal })).toEqual(
      { deadLetters: [] },
    );
    const { rows } = await admin.query('SELECT licence_no, holder FROM licences');
    expect(rows).toEqual([{ licence_no: 'D2', holder: '李四' }]);
  });

  it('dead-letters a tombstone that cannot name its row and applies the rest of the batch', async () => {
    await admin.query('TRUNCATE consumer."Permits"');
    await admin.query(
      `INSERT INTO consumer."Permits" VALUES ('gz', 1, '甲'), ('gz', 2, '乙'), ('gz', 3, '丙')`,
    );
    const task = await open({
      table: 'consumer.Permits',
      keyColumns: ['region', 'seq'],
      columns: { 区划: 'region', 序号: 'seq', 持有人: 'Holder' },
    });
    const { deadLetters } = await task.write(
      [
        tombstone(0, '["gz",1]', null),
        tombstone(1, '["gz",2]', { 区划: 'gz', 持有人: '乙' }),
        record(2, '["gz",9]', { 区划: 'gz', 序号: 9, 持有人: '新' }),
        tombstone(3, '["gz",3]', { 区划: 'gz', 序号: 3 }),
        tombstone(4, '["gz",x]', { 区划: 'gz', 序号: '不是数字' }),
        // the newest record of its key is a bad tombstone: the upsert before it still counts
        record(5, '["sz",1]', { 区划: 'sz', 序号: 1, 持有人: '深' }),
        tombstone(6, '["sz",1]', { 区划: 'sz', 序号: null }),
      ],
      { signal },
    );
    expect(deadLetters.map((d) => [d.key, d.reason, d.context?.offset])).toEqual([
      ['["gz",1]', '删除标记的值不是 JSON 对象 (应为记录的键字段)，无法确定要删除的记录', '0'],
      ['["gz",2]', '删除标记缺少键字段 序号 (主键列 region, seq)，无法确定要删除的行', '1'],
      ['["sz",1]', '删除标记缺少键字段 序号 (主键列 region, seq)，无法确定要删除的行', '6'],
      [
        '["gz",x]',
        expect.stringMatching(
          /^目标表拒绝删除该行: \(SQLSTATE 22P02\) invalid input syntax for type integer/,
        ),
        '4',
      ],
    ]);
    expect(deadLetters[1]!.value).toEqual({ 区划: 'gz', 持有人: '乙' });
    const { rows } = await admin.query(
      'SELECT region, seq, "Holder" FROM consumer."Permits" ORDER BY region, seq',
    );
    expect(rows).toEqual([
      { region: 'gz', seq: 1, Holder: '甲' },
      { region: 'gz', seq: 2, Holder: '乙' },
      { region: 'gz', seq: 9, Holder: '新' },
      { region: 'sz', seq: 1, Holder: '深' },
    ]);
  });

  it('dead-letters the deletion of a row another table still references, even by a deferred foreign key', async () => {
    await admin.query(`
      INSERT INTO holders VALUES ('H1', '张三'), ('H2', '李四');
      INSERT INTO holder_cards VALUES ('C1', 'H1');
    `);
    const task = await open({ table: 'holders', keyColumns: ['id'] });
    const { deadLetters } = await task.write(
      [
        tombstone(0, 'H1', { id: 'H1' }),
        tombstone(1, 'H2', { id: 'H2' }),
        record(2, 'H3', { id: 'H3', name: '王五' }),
      ],
      { signal },
    );
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({
      key: 'H1',
      context: { sqlstate: '23503', constraint: 'holder_cards_holder_id_fkey', table: 'holders' },
    });
    expect(deadLetters[0]!.reason).toMatch(/^目标表拒绝删除该行: \(SQLSTATE 23503\)/);
    const { rows } = await admin.query('SELECT id FROM holders ORDER BY id');
    expect(rows).toEqual([{ id: 'H1' }, { id: 'H3' }]);
  });

  it('refuses a table that is missing, lacks a matching unique key, or does not have a mapped column', async () => {
    await expect(open({ table: 'nowhere', keyColumns: ['id'] })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const noKey = open({ table: 'no_key', keyColumns: ['id'] });
    await expect(noKey).rejects.toBeInstanceOf(InputError);
    await expect(noKey).rejects.toMatchObject({
      extensions: { errors: [{ path: '/keyColumns' }] },
    });
    await expect(
      open({
        table: 'licences',
        keyColumns: ['licence_no'],
        columns: { a: 'licence_no', b: 'nope' },
      }),
    ).rejects.toMatchObject({ extensions: { errors: [{ path: '/columns/b' }] } });
  });

  it('fails a batch (to be retried) when the database is gone, naming no secret', async () => {
    const port = await freePort();
    const unreachable = `postgresql://consumer:s3cr3t-pw@127.0.0.1:${port}/nothing`;
    const refused = open(
      { table: 'licences', keyColumns: ['licence_no'] },
      { TARGET_DB: unreachable },
    );
    await expect(refused).rejects.toBeInstanceOf(UnavailableError);
    await expect(refused).rejects.not.toThrow(/s3cr3t/);

    // the consumer's database disappears under a running task
    const doomed = await createTestDatabase('empty');
    const doomedPool = testPool({ connectionString: doomed.url, max: 1 });
    await doomedPool.query('CREATE TABLE t (id text PRIMARY KEY, v text)');
    await doomedPool.end();
    const task = await open({ table: 't', keyColumns: ['id'] }, { TARGET_DB: doomed.url });
    await task.write([record(0, 'a', { id: 'a', v: '1' })], { signal });
    await doomed.drop();
    await expect(
      task.write([record(1, 'b', { id: 'b', v: '2' })], { signal }),
    ).rejects.toBeInstanceOf(UnavailableError);
    expect(logs.text()).not.toContain('s3cr3t');
  });

  // volume check; on the 2-core test machine this ran at 130 000 inserts/s and 100 000 updates/s
  it('writes 200 000 records in batches of 2 000', async () => {
    const task = await open({ table: 'bulk', keyColumns: ['id'] });
    for (let i = 0; i < 200_000; i += 2_000) {
      const batch = Array.from({ length: 2_000 }, (_, j) =>
        record(i + j, String(i + j), {
          id: i + j,
          name: `记录 ${i + j}`,
          amount: (i + j) / 100,
          at: '2026-11-21T12:00:00Z',
        }),
      );
      const { deadLetters } = await task.write(batch, { signal });
      expect(deadLetters).toEqual([]);
    }
    const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM bulk');
    expect(rows[0]!.n).toBe('200000');
  });
});
