import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { TEMPLATE_DATABASE } from './globalSetup.ts';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('testPostgresAdminUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file. `migrated` (the default) clones the template that holds
 * every migration; `empty` gives a database with no schema at all, for migration tests.
 */
export async function createTestDatabase(
  kind: 'migrated' | 'empty' = 'migrated',
): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin(async (client) => {
    const source = kind === 'migrated' ? TEMPLATE_DATABASE : 'template0';
    // CREATE DATABASE … TEMPLATE needs the template to have no other sessions; clones are
    // serialised by PostgreSQL, so parallel workers simply queue here.
    await client.query(
      `CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(source)}`,
    );
  });
  const url = withDatabase(inject('testPostgresAdminUrl'), name);
  return {
    name,
    url,
    drop: () =>
      admin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      }),
  };
}

/** Admin URL of the test cluster, for tests that need to create databases themselves. */
export function testPostgresAdminUrl(): string {
  return inject('testPostgresAdminUrl');
}
