import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClientBase } from 'pg';
import { MIGRATIONS_DIR } from '@gx/migrations';

const MIGRATION_FOLDER = /^\d{14}_[a-z0-9_]+$/;
/** Arbitrary constant: one advisory lock key serialises every runner on a database. */
const LOCK_KEY = 7_312_004_221;

export interface MigrationFile {
  /** folder name, e.g. `20261121000000_organisation` */
  name: string;
  file: string;
  sql: string;
  /** SHA-256 of the file's bytes, hex (the same checksum `prisma migrate` records) */
  checksum: string;
}

export interface AppliedMigration {
  name: string;
  checksum: string;
}

/** A migration could not be applied, or the applied history does not match the files. */
export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export async function readMigrationFiles(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const folders = entries
    .filter((e) => e.isDirectory() && MIGRATION_FOLDER.test(e.name))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    folders.map(async (name) => {
      const file = path.join(dir, name, 'migration.sql');
      const bytes = await readFile(file);
      return {
        name,
        file,
        sql: bytes.toString('utf8'),
        checksum: createHash('sha256').update(bytes).digest('hex'),
      };
    }),
  );
}

// The history table is Prisma's own, so that `prisma migrate deploy` and this runner agree on
// what has been applied (see docs/adr/0002-sql-migrations-without-prisma-migrate.md).
const HISTORY_DDL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  varchar(36) PRIMARY KEY NOT NULL,
  "checksum"            varchar(64) NOT NULL,
  "finished_at"         timestamptz,
  "migration_name"      varchar(255) NOT NULL,
  "logs"                text,
  "rolled_back_at"      timestamptz,
  "started_at"          timestamptz NOT NULL DEFAULT now(),
  "applied_steps_count" integer NOT NULL DEFAULT 0
)`;

async function historyExists(client: ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ exists: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`,
  );
  return rows[0]?.exists ?? false;
}

export async function readAppliedMigrations(client: ClientBase): Promise<AppliedMigration[]> {
  if (!(await historyExists(client))) return [];
  const { rows } = await client.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
      ORDER BY migration_name`,
  );
  return rows.map((r) => ({ name: r.migration_name, checksum: r.checksum }));
}

export interface MigrationStatus {
  applied: string[];
  pending: MigrationFile[];
}

/**
 * Compare the database's history with the files. An applied migration whose file changed, or
 * whose file is gone, is an error: the schema in the database would no longer be what the
 * files describe, and silently carrying on would hide it.
 */
export async function migrationStatus(
  client: ClientBase,
  files?: MigrationFile[],
): Promise<MigrationStatus> {
  const all = files ?? (await readMigrationFiles());
  const applied = await readAppliedMigrations(client);
  const byName = new Map(all.map((f) => [f.name, f]));
  for (const done of applied) {
    const file = byName.get(done.name);
    if (!file) {
      throw new MigrationError(
        `迁移记录与文件不一致: migration ${done.name} is applied in the database but ` +
          `migrations/${done.name}/migration.sql does not exist. Restore the file; applied ` +
          `migrations must never be removed.`,
      );
    }
    if (file.checksum !== done.checksum) {
      throw new MigrationError(
        `已应用的迁移被修改: ${path.relative(process.cwd(), file.file)} was changed after it was ` +
          `applied (recorded SHA-256 ${done.checksum}, file now ${file.checksum}). Revert the ` +
          `file and put the change in a new migration.`,
      );
    }
  }
  const appliedNames = new Set(applied.map((a) => a.name));
  return { applied: [...appliedNames], pending: all.filter((f) => !appliedNames.has(f.name)) };
}

export interface RunMigrationsOptions {
  client: ClientBase;
  files?: MigrationFile[];
  log?: (message: string) => void;
}

/**
 * Apply pending migrations in name order, each in its own transaction together with its
 * history row: a failing migration rolls back completely and stops the run, so the database
 * is left exactly as the previous migration left it.
 */
export async function runMigrations({ client, files, log = () => {} }: RunMigrationsOptions) {
  await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await client.query(HISTORY_DDL);
    const { pending } = await migrationStatus(client, files);
    for (const migration of pending) {
      const started = Date.now();
      try {
        await client.query('BEGIN');
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations"
             (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES (gen_random_uuid()::text, $1, $2, now(), now(), 1)`,
          [migration.checksum, migration.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(
          `迁移失败: ${migration.name}/migration.sql failed and was rolled back: ${reason}`,
          { cause: error },
        );
      }
      log(`applied migration ${migration.name} (${Date.now() - started} ms)`);
    }
    return { applied: pending.map((m) => m.name) };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
  }
}
