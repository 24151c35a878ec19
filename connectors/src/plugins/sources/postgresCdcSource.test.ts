import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPool, until, type TestDatabase } from '@gx/platform/testing';
import type { SourceTask } from '../../runtime/plugin.ts';
import { parsePgOutputMessage, UNCHANGED_TOAST } from './pgoutput.ts';
import {
  defaultSlotName,
  postgresCdcSource,
  type PostgresCdcOptions,
} from './postgresCdcSource.ts';
import { createUtcTestDatabase, optionsErrors, sourceTestContext } from './sourceTestContext.ts';

const signal = new AbortController().signal;
const connection = { secret: { env: 'AGENCY_DB' } } as const;
const TABLE = 'reg.enterprises';
const CHARTER = '章'.repeat(1000);

let db: TestDatabase;
let admin: pg.Pool;
const open: SourceTask[] = [];

async function createTask(
  options: Omit<PostgresCdcOptions, 'connection'>,
  connector = 'test',
): Promise<SourceTask> {
  const context = { ...sourceTestContext(['id'], { AGENCY_DB: db.url }), connector };
  const task = await postgresCdcSource.create({ connection, ...options }, context);
  open.push(task);
  return task;
}

async function slot(name: string): Promise<{ confirmed: string } | undefined> {
  const { rows } = await admin.query<{ confirmed: string }>(
    'SELECT confirmed_flush_lsn::text AS confirmed FROM pg_replication_slots WHERE slot_name = $1',
    [name],
  );
  return rows[0];
}

beforeAll(async () => {
  db = await createUtcTestDatabase();
  admin = testPool({ connectionString: db.url, max: 4 });
  await admin.query(`
    CREATE SCHEMA reg;
    CREATE TABLE reg.enterprises (
      id bigint PRIMARY KEY, name text, capital numeric(30,10), big int8,
      registered timestamptz, profile jsonb, note text, charter text);
    -- out of line whenever the row is big: an update that leaves it alone sends no copy
    ALTER TABLE reg.enterprises ALTER COLUMN charter SET STORAGE EXTERNAL;
    CREATE TABLE reg.branches (id int PRIMARY KEY, name text);
    CREATE PUBLICATION gx_reg FOR TABLE reg.enterprises, reg.branches;
    CREATE PUBLICATION gx_branches FOR TABLE reg.branches;
    CREATE TABLE reg.licences (id int PRIMARY KEY, holder text, scan text);
    ALTER TABLE reg.licences ALTER COLUMN scan SET STORAGE EXTERNAL;
    ALTER TABLE reg.licences REPLICA IDENTITY FULL;
    CREATE PUBLICATION gx_licences FOR TABLE reg.licences;`);
});

afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
  // a forgotten slot would hold WAL in the shared test cluster for every later test
  await admin?.query(
    `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
     WHERE database = current_database()`,
  );
  await admin?.end();
  await db?.drop();
});

describe('postgres-cdc options schema', () => {
  const valid = { connection, table: TABLE, publication: 'gx_reg', keyColumns: ['id'] };

  it('accepts a table, publication, optional slot and mapping, and refuses what is not an identifier', () => {
    expect(optionsErrors(postgresCdcSource, valid)).toEqual([]);
    expect(
      optionsErrors(postgresCdcSource, {
        ...valid,
        table: '人口.户籍_2024',
        slot: 'gx_hz_scjg_1',
        columns: { id: 'id', name: '企业名称' },
      }),
    ).toEqual([]);
    for (const bad of [
      { table: 'a.b.c' },
      { table: 'x; DROP TABLE y' },
      { publication: 'pub, other' },
      { slot: 'Upper' },
      { slot: 'has-dash' },
      { slot: 'x'.repeat(64) },
      { keyColumns: [] },
      { connection: 'postgres://u:p@h/db' },
      { lagMs: 10 },
    ]) {
      expect(
        optionsErrors(postgresCdcSource, { ...valid, ...bad }),
        JSON.stringify(bad),
      ).not.toEqual([]);
    }
    const { publication: _, ...withoutPublication } = valid;
    expect(optionsErrors(postgresCdcSource, withoutPublication)).not.toEqual([]);
  });

  it('derives a distinct, valid slot name from any connector name', () => {
    const names = [
      '市场监管 企业登记',
      '市场监管-企业登记',
      'HZ-SCJG enterprises',
      'x'.repeat(200),
    ];
    const slots = names.map(defaultSlotName);
    for (const name of slots) expect(name).toMatch(/^gx_cdc_[a-z0-9_]{1,56}$/);
    expect(new Set(slots).size).toBe(names.length);
    expect(slots[2]).toMatch(/^gx_cdc_hz_scjg_enterprises_[0-9a-f]{8}$/);
  });
});

describe('postgres-cdc source', () => {
  it('creates its slot on first use and turns inserts and updates into typed records, deletes and key changes into deletions of the old key', async () => {
    const connector = '市场监管 企业登记';
    const slotName = defaultSlotName(connector);
    expect(await slot(slotName)).toBeUndefined();
    const task = await createTask(
      {
        table: TABLE,
        publication: 'gx_reg',
        keyColumns: ['id'],
        columns: {
          id: 'id',
          name: 'enterprise_name',
          capital: 'capital',
          big: 'big',
          registered: 'registered',
          profile: 'profile',
          note: 'note',
          charter: 'charter',
        },
      },
      connector,
    );
    expect(await slot(slotName)).toBeDefined();

    await admin.query(
      `INSERT INTO reg.enterprises VALUES
         (1, '杭州云栖科技有限公司', 12345678901234567890.0123456789, 9007199254740993,
          '2026-11-21 08:30:00.123456+08', '{"行业":["软件"],"员工":120}', NULL, $1),
         (2, '西湖小店', 1.5, 42, NULL, NULL, NULL, 'short')`,
      [CHARTER],
    );
    await admin.query(`UPDATE reg.enterprises SET name = '云栖科技（更名）' WHERE id = 1`);
    await admin.query(`INSERT INTO reg.branches VALUES (1, '分店')`);
    await admin.query(`UPDATE reg.enterprises SET id = 3 WHERE id = 2`);
    await admin.query(`DELETE FROM reg.enterprises WHERE id = 3`);

    // the update really arrives without the charter: pgoutput marks it unchanged (TOAST)
    const raw = await admin.query<{ data: Buffer }>(
      `SELECT data FROM pg_logical_slot_peek_binary_changes($1, NULL, NULL,
         'proto_version', '1', 'publication_names', 'gx_reg')`,
      [slotName],
    );
    const updates = raw.rows
      .map((r) => parsePgOutputMessage(r.data))
      .filter((m) => m.tag === 'update');
    expect(updates[0]?.newTuple.at(-1)).toBe(UNCHANGED_TOAST);

    const batch = await task.poll(null, { maxRecords: 100, signal });

    const enterprise1 = {
      id: 1,
      enterprise_name: '杭州云栖科技有限公司',
      capital: '12345678901234567890.0123456789',
      big: '9007199254740993',
      registered: '2026-11-21T00:30:00.123456Z',
      profile: { 行业: ['软件'], 员工: 120 },
      note: null,
      charter: CHARTER,
    };
    const enterprise2 = {
      id: 2,
      enterprise_name: '西湖小店',
      capital: 1.5,
      big: 42,
      registered: null,
      profile: null,
      note: null,
      charter: 'short',
    };
    expect(batch?.records).toEqual([
      { key: '1', value: enterprise1 },
      { key: '2', value: enterprise2 },
      // the charter the update did not carry is read back from the table
      { key: '1', value: { ...enterprise1, enterprise_name: '云栖科技（更名）' } },
      // the key changed: the old key's record is gone, the new one arrives
      { key: '2', value: { id: 2 }, deleted: true },
      { key: '3', value: { ...enterprise2, id: 3 } },
      // a deletion carries the key fields only
      { key: '3', value: { id: 3 }, deleted: true },
    ]);
    expect(batch?.deadLetters).toEqual([]);
    const at = { table: TABLE, lsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/) };
    const position = batch!.position as { lsn: string };
    expect(position.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

    // the runtime stored the position: the next poll advances the slot to it, finds nothing
    expect(await task.poll(position, { maxRecords: 100, signal })).toBeNull();
    expect((await slot(slotName))?.confirmed).toBe(position.lsn);

    // a transaction on another table of the publication gives no record, but moves the slot
    await admin.query(`INSERT INTO reg.branches VALUES (2, '二店')`);
    const other = await task.poll(position, { maxRecords: 100, signal });
    expect(other).toMatchObject({ records: [], deadLetters: [] });
    const afterOther = other!.position as { lsn: string };
    expect(afterOther.lsn).not.toBe(position.lsn);
    expect(await task.poll(afterOther, { maxRecords: 100, signal })).toBeNull();

    await admin.query('TRUNCATE reg.enterprises, reg.branches');
    const truncated = await task.poll(afterOther, { maxRecords: 100, signal });
    expect(truncated?.records).toEqual([]);
    expect(truncated?.deadLetters).toEqual([
      {
        key: TABLE,
        value: { operation: 'truncate', table: TABLE },
        reason:
          '源表 reg.enterprises 被清空（TRUNCATE）；清空不带逐条主键，无法逐条删除，已托管的记录仍保留',
        context: { ...at, committedAt: expect.any(String), operation: 'truncate' },
      },
    ]);
  });

  it('returns whole transactions even past maxRecords, and re-reads a batch whose position was not stored', async () => {
    const task = await createTask({
      table: TABLE,
      publication: 'gx_reg',
      slot: 'gx_test_whole_transactions',
      keyColumns: ['id'],
    });
    await admin.query(
      `INSERT INTO reg.enterprises (id, name) SELECT i, 'T1-' || i FROM generate_series(101, 103) i`,
    );
    await admin.query(
      `INSERT INTO reg.enterprises (id, name) SELECT i, 'T2-' || i FROM generate_series(201, 202) i`,
    );
    const keys = (b: Awaited<ReturnType<SourceTask['poll']>>) => b?.records.map((r) => r.key);

    const first = await task.poll(null, { maxRecords: 2, signal });
    expect(keys(first)).toEqual(['101', '102', '103']);
    expect(first?.records[0]?.value).toMatchObject({ id: 101, name: 'T1-101', charter: null });
    const second = await task.poll(first!.position, { maxRecords: 2, signal });
    expect(keys(second)).toEqual(['201', '202']);

    // a crash before the second position was stored: the next owner polls with the first
    // position again and gets the same transaction again (at least once, never lost)
    const again = await task.poll(first!.position, { maxRecords: 2, signal });
    expect(keys(again)).toEqual(['201', '202']);
    expect(again?.position).toEqual(second?.position);
    expect(await task.poll(second!.position, { maxRecords: 2, signal })).toBeNull();
  });

  it('completes an unchanged TOAST value from the old row (REPLICA IDENTITY FULL) or, failing that, makes the update a dead letter', async () => {
    const full = await createTask({
      table: 'reg.licences',
      publication: 'gx_licences',
      slot: 'gx_test_full_identity',
      keyColumns: ['id'],
    });
    const plain = await createTask({
      table: TABLE,
      publication: 'gx_reg',
      slot: 'gx_test_row_gone',
      keyColumns: ['id'],
      columns: { id: 'id', name: 'name', charter: 'charter' },
    });
    // each row is updated (its big column untouched) and then deleted before anyone polls,
    // so the table cannot tell what the big column held
    await admin.query(`INSERT INTO reg.licences VALUES (1, '甲', $1)`, [CHARTER]);
    await admin.query(`UPDATE reg.licences SET holder = '乙' WHERE id = 1`);
    await admin.query(`DELETE FROM reg.licences WHERE id = 1`);
    await admin.query(`INSERT INTO reg.enterprises (id, name, charter) VALUES (501, '甲', $1)`, [
      CHARTER,
    ]);
    await admin.query(`UPDATE reg.enterprises SET name = '乙' WHERE id = 501`);
    await admin.query(`DELETE FROM reg.enterprises WHERE id = 501`);

    const fromFull = await full.poll(null, { maxRecords: 10, signal });
    expect(fromFull?.records).toEqual([
      { key: '1', value: { id: 1, holder: '甲', scan: CHARTER } },
      { key: '1', value: { id: 1, holder: '乙', scan: CHARTER } },
      // the whole old row comes with a FULL identity; the deletion keeps its key only
      { key: '1', value: { id: 1 }, deleted: true },
    ]);
    expect(fromFull?.deadLetters).toEqual([]);

    const fromPlain = await plain.poll(null, { maxRecords: 10, signal });
    expect(fromPlain?.records).toEqual([
      { key: '501', value: { id: 501, name: '甲', charter: CHARTER } },
      { key: '501', value: { id: 501 }, deleted: true },
    ]);
    expect(fromPlain?.deadLetters).toMatchObject([
      {
        key: expect.stringMatching(/^reg\.enterprises@[0-9A-F]+\/[0-9A-F]+$/),
        value: { id: 501, name: '乙' },
        reason: '更新未改动的大字段（TOAST）不在变更中，而源表中已找不到该记录，无法补全这些字段',
        context: { operation: 'update', key: '["501"]', columns: 'charter' },
      },
    ]);
  });

  it('refuses, in Chinese and before creating a slot, a missing publication, one without the table, and a missing key column', async () => {
    const base = { table: TABLE, keyColumns: ['id'], slot: 'gx_test_never_created' };
    await expect(createTask({ ...base, publication: 'gx_missing' })).rejects.toThrow(
      '源库中没有发布 gx_missing：请 DBA 执行 CREATE PUBLICATION "gx_missing" FOR TABLE "reg"."enterprises"',
    );
    await expect(createTask({ ...base, publication: 'gx_branches' })).rejects.toThrow(
      '发布 gx_branches 不包含表 reg.enterprises：请 DBA 执行 ALTER PUBLICATION "gx_branches" ADD TABLE "reg"."enterprises"',
    );
    await expect(
      createTask({ ...base, publication: 'gx_reg', keyColumns: ['uscc'] }),
    ).rejects.toThrow('表 reg.enterprises 中没有主键列 uscc');
    expect(await slot('gx_test_never_created')).toBeUndefined();
  });

  it('refuses, in Chinese, a database whose wal_level is not logical', async () => {
    // The check reads current_setting('wal_level') on the agency's connection. A session whose
    // search_path puts a schema before pg_catalog makes that call see another server's value
    // (wal_level itself can only change with a restart of the shared test server).
    await admin.query(`
      CREATE SCHEMA replica_server;
      CREATE FUNCTION replica_server.current_setting(name text) RETURNS text LANGUAGE sql
        AS $$ SELECT CASE WHEN name = 'wal_level' THEN 'replica'
                          ELSE pg_catalog.current_setting(name) END $$;`);
    const url = new URL(db.url);
    url.searchParams.set('options', '-c search_path=replica_server,pg_catalog');
    const context = { ...sourceTestContext(['id'], { AGENCY_DB: url.toString() }), connector: 'x' };
    await expect(
      postgresCdcSource.create(
        {
          connection,
          table: TABLE,
          publication: 'gx_reg',
          keyColumns: ['id'],
          slot: 'gx_test_replica',
        },
        context,
      ),
    ).rejects.toThrow(
      '源库的 wal_level 为 replica，逻辑复制需要 logical：请 DBA 执行 ALTER SYSTEM SET wal_level = logical 并重启 PostgreSQL',
    );
    expect(await slot('gx_test_replica')).toBeUndefined();
  });
});

describe('postgres-cdc release (the connector is deleted)', () => {
  it('drops the slot, refuses while another process holds it, and finds nothing to do the second time', async () => {
    const connector = '市场监管 待删除';
    const slotName = defaultSlotName(connector);
    const options = { connection, table: TABLE, publication: 'gx_reg', keyColumns: ['id'] };
    await createTask(options, connector);
    expect(await slot(slotName)).toBeDefined();
    const context = { ...sourceTestContext(['id'], { AGENCY_DB: db.url }), connector };

    // another process streams from the slot (the replication protocol keeps it active)
    const replication = new URL(db.url);
    replication.searchParams.set('replication', 'database');
    const holder = new pg.Client({ connectionString: replication.toString() });
    holder.on('error', () => {});
    await holder.connect();
    holder
      .query(
        `START_REPLICATION SLOT ${slotName} LOGICAL 0/0 (proto_version '1', publication_names 'gx_reg')`,
      )
      .catch(() => {});
    const pid = await until('the other process streaming from the slot', async () => {
      const { rows } = await admin.query<{ pid: number | null }>(
        'SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1',
        [slotName],
      );
      return rows[0]?.pid ?? undefined;
    });
    await expect(postgresCdcSource.release!(options, context)).rejects.toThrow(
      `复制槽 ${slotName} 正被另一个进程（PID ${pid}）使用，无法删除`,
    );
    expect(await slot(slotName)).toBeDefined();

    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await holder.end().catch(() => {});
    await until('the slot let go by the ended process', async () => {
      const { rows } = await admin.query(
        'SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NULL',
        [slotName],
      );
      return rows.length > 0 ? true : undefined;
    });
    await postgresCdcSource.release!(options, context);
    expect(await slot(slotName)).toBeUndefined();
    // idempotent: a retried delete finds no slot, and that is success
    await postgresCdcSource.release!(options, context);
    expect(context.logs.lines().filter((l) => l.msg === '已删除逻辑复制槽')).toHaveLength(1);

    // an explicitly named slot is the connector's own as well
    await createTask({ ...options, slot: 'gx_test_named_release' });
    await postgresCdcSource.release!({ ...options, slot: 'gx_test_named_release' }, context);
    expect(await slot('gx_test_named_release')).toBeUndefined();
  });
});
