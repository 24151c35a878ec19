import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmbeddedPostgres, runMigrations } from '@gx/platform';
import { freePort, testPool } from '@gx/platform/testing';
import { EvidenceLog, requestHash, verifyEvidenceChain } from '../src/domain/evidence/index.ts';

// A server crash, not a client one: acknowledged entries must be on disk, not merely committed.
// Every batch commits with synchronous_commit on, whatever the server's default (ADR 0005); had
// it committed without waiting for the flush, the entries acknowledged in the last moments before
// the crash would still sit in the WAL buffers, which an immediate shutdown discards (checked:
// with the batches committed asynchronously this test fails).

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = path.join(
  repoRoot,
  '.data',
  'test',
  `evidence-crash-${process.pid}-${randomBytes(3).toString('hex')}`,
);
let server: EmbeddedPostgres;

beforeAll(async () => {
  server = new EmbeddedPostgres({ dataDir, port: await freePort(), database: 'gx_evidence_crash' });
  const url = await server.start();
  const migrator = new pg.Client({ connectionString: url });
  await migrator.connect();
  await runMigrations({ client: migrator });
  await migrator.end();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it('a PostgreSQL crash loses no entry that was acknowledged with a receipt; the chain holds', async () => {
  const pool = new pg.Pool({ connectionString: server.url(), max: 10 });
  pool.on('error', () => undefined); // the crash ends the pool's idle connections
  const evidence = new EvidenceLog({ pool });
  const acks: { seq: string; id: string; hash: string }[] = [];
  let crashing: Promise<void> | undefined;
  const appender = async (n: number) => {
    for (let i = 0; ; i += 1) {
      try {
        const receipt = await evidence.append({
          actor: `system:appender-${n}`,
          actorKind: 'system',
          department: 'hz-rsj',
          operation: 'get',
          recordCount: 1,
          requestHash: requestHash({ method: 'GET', path: `/v1/records/${n}-${i}` }),
        });
        acks.push({ seq: receipt.seq, id: receipt.entryId, hash: receipt.hash });
        if (acks.length === 2_000) crashing = server.crash();
      } catch {
        if (crashing) return; // refused once the server is gone: not acknowledged, so not owed
        throw new Error('an append failed before the crash');
      }
    }
  };
  await Promise.all(Array.from({ length: 64 }, (_, n) => appender(n)));
  await crashing;
  await evidence.close().catch(() => undefined);
  await pool.end().catch(() => undefined);
  expect(acks.length).toBeGreaterThanOrEqual(2_000);

  await server.start(); // replays the WAL
  const after = testPool({ connectionString: server.url(), max: 2 });
  try {
    const { rows } = await after.query<{ seq: string; id: string; hash: string }>(
      'SELECT seq::text AS seq, id, hash FROM evidence_entries WHERE id = ANY ($1::uuid[])',
      [acks.map((a) => a.id)],
    );
    const bySeq = (list: { seq: string }[]) =>
      [...list].sort((a, b) => Number(a.seq) - Number(b.seq));
    expect(bySeq(rows)).toEqual(bySeq(acks));
    expect(await verifyEvidenceChain(after)).toMatchObject({ ok: true });
  } finally {
    await after.end();
  }
}, 120_000);
