import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { createDatabase, EmbeddedPostgres, runMigrations, seedDemo } from '@gx/platform';
import { freePort } from '@gx/platform/testing';

/** What a benchmark must stop and remove when it ends, however it ends. */
export interface DatabaseParts {
  postgres?: EmbeddedPostgres;
  db?: ReturnType<typeof createDatabase>;
}

/**
 * A fresh embedded PostgreSQL under `dataDir` (emptied first), migrated and seeded with the
 * demo organisation. `parts` is filled as soon as each piece exists, so a benchmark's clean-up
 * stops what was started even when a later step fails.
 */
export async function startFreshDatabase(
  parts: DatabaseParts,
  options: { dataDir: string; database: string; max: number },
): Promise<{ url: string; db: ReturnType<typeof createDatabase> }> {
  await rm(options.dataDir, { recursive: true, force: true });
  await mkdir(options.dataDir, { recursive: true });
  const postgres = new EmbeddedPostgres({
    dataDir: path.join(options.dataDir, 'postgres'),
    port: await freePort(),
    database: options.database,
  });
  parts.postgres = postgres;
  const url = await postgres.start();
  const db = createDatabase({ url, max: options.max });
  parts.db = db;
  const client = await db.pool.connect();
  try {
    await runMigrations({ client });
  } finally {
    client.release();
  }
  await seedDemo(db.pool);
  return { url, db };
}

/** Stop the database and remove its directory; failures are ignored (clean-up is best effort). */
export async function stopFreshDatabase(parts: DatabaseParts, dataDir: string): Promise<void> {
  await parts.db?.close().catch(() => undefined);
  await parts.postgres?.stop().catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
}
