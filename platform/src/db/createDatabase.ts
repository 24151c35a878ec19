import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@gx/migrations';
import pg from 'pg';
import { migrationStatus, readMigrationFiles } from './migrations/runMigrations.ts';
import type { ReadinessCheck } from '../http/createHttpApp.ts';

export interface Database {
  /** the one pool of the process: Prisma and the bulk paths (COPY, batched upserts) share it */
  pool: pg.Pool;
  prisma: PrismaClient;
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  url: string;
  /** pool size; each service process gets its own pool */
  max?: number;
  applicationName?: string;
  /** how long a query waits for a connection before failing (default 5 s: a service answers 503) */
  connectionTimeoutMillis?: number;
  /**
   * defaults for Prisma's interactive transactions: how long one waits to start (`maxWait`,
   * Prisma's default 2 s) and may run (`timeout`, 5 s); a call's own options still win
   */
  transactionOptions?: { maxWait?: number; timeout?: number };
}

export function createDatabase({
  url,
  max = 10,
  applicationName,
  connectionTimeoutMillis = 5_000,
  transactionOptions,
}: CreateDatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: applicationName,
    connectionTimeoutMillis,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (server restart) must not crash the process;
  // the pool drops it and the next query reconnects.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    ...(transactionOptions ? { transactionOptions } : {}),
  });
  let closed = false;
  return {
    pool,
    prisma,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** `/readyz` check: the database answers and every migration in the files is applied. */
export function databaseReadiness(pool: pg.Pool): ReadinessCheck {
  // the files cannot change under a running process; read them once
  const files = readMigrationFiles();
  return {
    name: 'database',
    async check() {
      const client = await pool.connect();
      try {
        const { pending } = await migrationStatus(client, await files);
        if (pending.length > 0) {
          throw new Error(
            `${pending.length} migration(s) not applied: ${pending.map((m) => m.name).join(', ')}`,
          );
        }
      } finally {
        client.release();
      }
    },
  };
}
