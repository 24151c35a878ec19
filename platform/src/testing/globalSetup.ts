import { readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../db/migrations/runMigrations.ts';
import { EmbeddedPostgres } from '../db/EmbeddedPostgres.ts';

export const TEMPLATE_DATABASE = 'gx_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** admin connection string of the test cluster's `postgres` database */
    testPostgresAdminUrl: string;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One PostgreSQL cluster for the whole test run, in its own folder and on its own port so that
 * it never touches `npm start`'s data. Migrations are applied once to a template database;
 * each test file clones it (createTestDatabase), so files run in parallel workers without
 * seeing each other's rows.
 */
export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, '../../../.data/test');
  // folders of earlier runs that were killed before their teardown
  for (const entry of await readdir(root).catch(() => [] as string[])) {
    const pid = Number(/^run-(\d+)$/.exec(entry)?.[1]);
    if (pid && !isAlive(pid)) await rm(path.join(root, entry), { recursive: true, force: true });
  }
  const dataDir = path.join(root, `run-${process.pid}`);
  const server = new EmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres' });
  await server.start();

  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const template = new pg.Client({ connectionString: server.url(TEMPLATE_DATABASE) });
  await template.connect();
  await runMigrations({ client: template });
  await template.end();

  project.provide('testPostgresAdminUrl', server.url('postgres'));
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
