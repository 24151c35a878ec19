import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '@gx/migrations';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';
import {
  MigrationError,
  migrationStatus,
  readMigrationFiles,
  runMigrations,
} from '../src/db/migrations/runMigrations.ts';

async function tables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

async function history(client: pg.Client) {
  const { rows } = await client.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  return rows;
}

/** A copy of the real migrations folder that a test may add to or tamper with. */
async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gx-migrations-'));
  for (const file of await readMigrationFiles()) {
    await cp(path.dirname(file.file), path.join(dir, file.name), { recursive: true });
  }
  return dir;
}

async function addMigration(dir: string, name: string, sql: string) {
  await mkdir(path.join(dir, name));
  await writeFile(path.join(dir, name, 'migration.sql'), sql);
}

describe('migration runner', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let dir: string;

  beforeEach(async () => {
    db = await createTestDatabase('empty');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    dir = await copyOfMigrations();
  });

  afterEach(async () => {
    await client.end();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies every migration to an empty database in order and records name and SHA-256', async () => {
    const files = await readMigrationFiles();
    expect(files.length).toBeGreaterThan(0);
    const { applied } = await runMigrations({ client });
    expect(applied).toEqual(files.map((f) => f.name));
    expect(await tables(client)).toEqual(
      expect.arrayContaining([
        'regions',
        'departments',
        'users',
        'service_systems',
        '_prisma_migrations',
      ]),
    );
    expect(await history(client)).toEqual(
      files.map((f) => ({ migration_name: f.name, checksum: f.checksum })),
    );
    // the checksum is the SHA-256 of the file as it is on disk
    const first = files[0]!;
    const { createHash } = await import('node:crypto');
    expect(first.checksum).toBe(
      createHash('sha256')
        .update(await readFile(first.file))
        .digest('hex'),
    );
  });

  it('applies nothing the second time', async () => {
    await runMigrations({ client });
    const again = await runMigrations({ client });
    expect(again.applied).toEqual([]);
    expect((await migrationStatus(client)).pending).toEqual([]);
  });

  it('refuses to run when an applied migration file was changed, naming the file', async () => {
    await runMigrations({ client, files: await readMigrationFiles(dir) });
    const first = (await readMigrationFiles(dir))[0]!;
    await writeFile(first.file, `${first.sql}\n-- an innocent-looking edit\n`);
    await addMigration(dir, '29990101000000_later', 'CREATE TABLE later (id int);');

    const run = runMigrations({ client, files: await readMigrationFiles(dir) });
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(
      `${first.name}/migration.sql was changed after it was applied`,
    );
    // and nothing after it ran
    expect(await tables(client)).not.toContain('later');
  });

  it('refuses to run when an applied migration file is missing', async () => {
    await runMigrations({ client, files: await readMigrationFiles(dir) });
    const first = (await readMigrationFiles(dir))[0]!;
    await rm(path.dirname(first.file), { recursive: true });
    await expect(runMigrations({ client, files: await readMigrationFiles(dir) })).rejects.toThrow(
      `migrations/${first.name}/migration.sql does not exist`,
    );
  });

  it('leaves the database exactly as it was when a migration fails', async () => {
    await runMigrations({ client, files: await readMigrationFiles(dir) });
    const tablesBefore = await tables(client);
    const historyBefore = await history(client);
    await client.query(
      `INSERT INTO regions (code, name, level) VALUES ('330000000000', '浙江省', 'province')`,
    );

    // the first statements succeed, the last one fails: all of it must roll back
    await addMigration(
      dir,
      '29990101000000_broken',
      `CREATE TABLE half_done (id int);
       ALTER TABLE regions ADD COLUMN population int;
       UPDATE regions SET name = 'changed';
       SELECT no_such_function();`,
    );
    await addMigration(dir, '29990102000000_after', 'CREATE TABLE after_broken (id int);');

    const run = runMigrations({ client, files: await readMigrationFiles(dir) });
    await expect(run).rejects.toThrow(
      /29990101000000_broken\/migration.sql failed and was rolled back: .*no_such_function/,
    );

    expect(await tables(client)).toEqual(tablesBefore);
    expect(await history(client)).toEqual(historyBefore);
    const { rows } = await client.query(`SELECT name FROM regions`);
    expect(rows).toEqual([{ name: '浙江省' }]);
    const { rows: columns } = await client.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'regions' AND column_name = 'population'`,
    );
    expect(columns).toEqual([]);
  });

  it('lets only one of two concurrent runners apply each migration', async () => {
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      const [a, b] = await Promise.all([
        runMigrations({ client }),
        runMigrations({ client: other }),
      ]);
      const files = await readMigrationFiles();
      expect([...a.applied, ...b.applied].sort()).toEqual(files.map((f) => f.name));
      expect(await history(client)).toHaveLength(files.length);
    } finally {
      await other.end();
    }
  });

  it('reads the migrations kept next to schema.prisma', async () => {
    const files = await readMigrationFiles();
    expect(files.every((f) => f.file.startsWith(path.join(MIGRATIONS_DIR, f.name)))).toBe(true);
    expect(files.map((f) => f.name)).toEqual([...files.map((f) => f.name)].sort());
  });
});
