import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/createTestDatabase.ts';
import { createDatabase } from './createDatabase.ts';

describe('createDatabase', () => {
  it('lets a transaction wait for a busy pool as long as its transactionOptions say', async () => {
    const test = await createTestDatabase('empty');
    const patient = createDatabase({
      url: test.url,
      max: 1,
      connectionTimeoutMillis: 20_000,
      transactionOptions: { maxWait: 20_000 },
    });
    const hasty = createDatabase({ url: test.url, max: 1, connectionTimeoutMillis: 20_000 });
    try {
      await patient.prisma.$queryRawUnsafe('SELECT 1');
      await hasty.prisma.$queryRawUnsafe('SELECT 1');
      // each pool's one connection is busy for 3 s, longer than Prisma's default 2 s wait
      const hold = async (db: typeof patient) => {
        const client = await db.pool.connect();
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            client.release();
            resolve();
          }, 3_000),
        );
      };
      const patientHeld = hold(patient);
      const hastyHeld = hold(hasty);
      const inside = (db: typeof patient) =>
        db.prisma.$transaction(async (tx) =>
          tx.$queryRawUnsafe<{ one: number }[]>('SELECT 1 AS one'),
        );
      const [waited, refused] = await Promise.allSettled([inside(patient), inside(hasty)]);
      await Promise.all([patientHeld, hastyHeld]);
      expect(waited).toEqual({ status: 'fulfilled', value: [{ one: 1 }] });
      expect(refused.status).toBe('rejected');
      expect(String((refused as PromiseRejectedResult).reason)).toMatch(
        /Unable to start a transaction in the given time/,
      );
    } finally {
      await patient.close();
      await hasty.close();
      await test.drop();
    }
  });
});
