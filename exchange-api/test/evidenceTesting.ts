// Shared by the evidence tests: a database of a test file's own with an evidence log on it, an
// entry to append, the evidence commands run as a user would, and changes made as the
// database owner.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { createTestDatabase, testPool, type TestDatabase } from '@gx/platform/testing';
import { EvidenceLog, requestHash, type EvidenceInput } from '../src/domain/evidence/index.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** An evidence entry as a records-API `get` under a grant would append it. */
export function evidenceInput(overrides: Partial<EvidenceInput> = {}): EvidenceInput {
  return {
    actor: 'system:hz-rsj-system@hz-rsj',
    actorKind: 'system',
    department: 'hz-rsj',
    grantId: '3b0c7b0e-2f59-4c4e-a7c5-1c0b9d6b8e11',
    purpose: 'social-security-eligibility',
    resourceCode: '209001001-002489129-000001',
    operation: 'get',
    recordCount: 1,
    requestHash: requestHash({ method: 'GET', path: '/v1/records/330106199001011234' }),
    deliveredDigest: createHash('sha256').update('record').digest('hex'),
    ...overrides,
  };
}

/** `scripts/<script>` run as `npm run` would, against `databaseUrl`; its exit code and output. */
export function runScript(
  script: string,
  args: readonly string[],
  databaseUrl: string,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}`, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

/** Commit a change as the database owner would, the append-only triggers out of the way. */
export async function asOwner(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SET session_replication_role = replica');
    await client.query(sql, params);
  } finally {
    await client.query('RESET session_replication_role');
    client.release();
  }
}

/** A test file's own database, a pool and an evidence log on it. */
export interface EvidenceDatabase {
  testDb: TestDatabase;
  pool: pg.Pool;
  evidence: EvidenceLog;
}

export async function openEvidenceDatabase(): Promise<EvidenceDatabase> {
  const testDb = await createTestDatabase();
  const pool = testPool({ connectionString: testDb.url, max: 10 });
  return { testDb, pool, evidence: new EvidenceLog({ pool }) };
}

/** Undo `openEvidenceDatabase`, whatever part of it was made. */
export async function closeEvidenceDatabase(db: Partial<EvidenceDatabase>): Promise<void> {
  await db.evidence?.close();
  await db.pool?.end();
  await db.testDb?.drop();
}
