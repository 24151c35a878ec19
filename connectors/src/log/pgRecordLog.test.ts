import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '@gx/platform';
import { createTestDatabase, testPool, type TestDatabase } from '@gx/platform/testing';
import { PostgresRecordLog } from './PostgresRecordLog.ts';
import { describeRecordLogContract } from './recordLog.contract.ts';
import { nextOffsets } from './recordEncoding.ts';
import type { LogRecord, RevokeInfo, StreamPartition } from './RecordLog.ts';

/** short leases so that a killed worker's partitions move within seconds */
const LEASE_MS = 2_000;

describeRecordLogContract('PostgreSQL', async () => {
  const db = await createTestDatabase();
  const pools: pg.Pool[] = [];
  return {
    partitions: 4,
    worker: { transport: 'postgres', databaseUrl: db.url, leaseMs: LEASE_MS },
    async open() {
      const pool = testPool({ connectionString: db.url, max: 5 });
      pools.push(pool);
      return new PostgresRecordLog({ pool, leaseMs: LEASE_MS });
    },
    async close() {
      await Promise.all(pools.map((p) => p.end()));
      await db.drop();
    },
  };
});

describe('PostgreSQL record log: a member whose lease ran out', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let log: PostgresRecordLog;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = testPool({ connectionString: db.url, max: 5 });
    log = new PostgresRecordLog({ pool, leaseMs: LEASE_MS });
  });

  afterAll(async () => {
    await log?.close();
    await pool?.end();
    await db?.drop();
  });

  it('loses its partitions to the others, cannot commit them, and rejoins', async () => {
    await log.createStream('raw.lease', { partitions: 2 });
    await log.produce(
      'raw.lease',
      Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: { i } })),
    );
    const revoked: { partitions: StreamPartition[]; info: RevokeInfo }[] = [];
    const slow = await log.consumer({
      group: 'g-lease',
      streams: ['raw.lease'],
      onRevoke: (partitions, info) => void revoked.push({ partitions, info }),
    });
    const polled: LogRecord[] = [];
    while (polled.length < 50) polled.push(...(await slow.poll(100)));
    expect(slow.assignment()).toHaveLength(2);

    // the member stalls past its lease (as a process paused by the OS or a debugger would)
    await pool.query(
      `UPDATE log_group_members SET expires_at = now() - interval '1 second' WHERE group_name = 'g-lease'`,
    );
    const other = await log.consumer({ group: 'g-lease', streams: ['raw.lease'] });
    const taken: LogRecord[] = [];
    while (taken.length < 50) taken.push(...(await other.poll(100, { timeoutMs: 500 })));
    expect(other.assignment()).toHaveLength(2);

    // the slow member's commit for what it processed is refused: the other owns the partitions
    await expect(slow.commit(nextOffsets(polled))).rejects.toBeInstanceOf(ConflictError);
    // on its next poll it learns the partitions were lost and joins again, owning nothing
    // while the other holds them
    expect(await slow.poll(10, { timeoutMs: 200 })).toEqual([]);
    expect(revoked.at(-1)?.info.lost).toBe(true);
    expect(slow.assignment()).toEqual([]);
    await other.close();
    await slow.close();
  });
});
