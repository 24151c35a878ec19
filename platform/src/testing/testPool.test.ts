import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './createTestDatabase.ts';
import { testPool } from './testPool.ts';

describe('testPool', () => {
  it('lets DROP DATABASE … WITH (FORCE) cut its idle connection without failing the run', async () => {
    const db = await createTestDatabase('empty');
    const pool = testPool({ connectionString: db.url, max: 1 });
    try {
      await pool.query('SELECT 1'); // leaves one idle connection in the pool
      // registered after the helper's listener: reached only if that one did not throw
      const cut = new Promise<Error & { code?: string }>((resolve) => pool.once('error', resolve));
      await db.drop();
      expect(await cut).toMatchObject({ code: '57P01' });
      expect(pool.totalCount).toBe(0);
    } finally {
      await pool.end();
      await db.drop();
    }
  });

  it('ignores a connection closed under it and rethrows any other error, without its client', async () => {
    const pool = testPool({ connectionString: 'postgresql://nobody:s3cr3t@127.0.0.1:1/none' });
    try {
      expect(() =>
        pool.emit('error', new Error('Connection terminated unexpectedly')),
      ).not.toThrow();
      // as pg-pool emits it: the client, and with it the password, attached to the error
      const client = new pg.Client({
        connectionString: 'postgresql://nobody:s3cr3t@127.0.0.1:1/none',
      });
      const fault = Object.assign(new Error('could not write block'), { code: '58030', client });
      let thrown: unknown;
      try {
        pool.emit('error', fault);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ message: 'could not write block', code: '58030' });
      expect(thrown).not.toHaveProperty('client');
      expect(JSON.stringify(thrown)).not.toContain('s3cr3t');
    } finally {
      await pool.end();
    }
  });
});
