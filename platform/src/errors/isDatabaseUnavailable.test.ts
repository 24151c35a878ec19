import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort } from '../testing/globalSetup.ts';
import { isDatabaseUnavailable } from './isDatabaseUnavailable.ts';

describe('isDatabaseUnavailable', () => {
  it('recognises what a pool answers when no server listens', async () => {
    const pool = new pg.Pool({
      connectionString: `postgresql://nobody@127.0.0.1:${await freePort()}/none`,
      connectionTimeoutMillis: 2_000,
    });
    const error = await pool.query('SELECT 1').catch((e: unknown) => e);
    await pool.end();
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('recognises a server shutting down and errors wrapped by the Prisma adapter', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    const wrapped = new Error('query failed', {
      cause: { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 },
    });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
  });

  it('leaves request and code faults alone', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('bad'), { code: '22P02' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('dup'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
