import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, UnavailableError } from '@gx/platform';
import { testPool, type TestDatabase } from '@gx/platform/testing';
import {
  asOwner,
  closeEvidenceDatabase,
  evidenceInput as input,
  openEvidenceDatabase,
  runScript,
} from './evidenceTesting.ts';
import {
  evidenceHash,
  EvidenceLog,
  GENESIS_HASH,
  receiptPayload,
  RECEIPT_TYPE,
  verifyEvidenceChain,
  type EvidenceReceipt,
  type EvidenceVerification,
} from '../src/domain/evidence/index.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const childScript = fileURLToPath(new URL('./evidenceAppender.child.ts', import.meta.url));

let testDb: TestDatabase;
let pool: pg.Pool;
let evidence: EvidenceLog;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  ({ testDb, pool, evidence } = await openEvidenceDatabase());
});

afterAll(() => closeEvidenceDatabase({ testDb, pool, evidence }));

async function publicKey(kid: string) {
  const { keys } = await evidence.publicJwks();
  const jwk = keys.find((k) => k.kid === kid);
  expect(jwk, `published key ${kid}`).toBeDefined();
  return importJWK(jwk!, 'EdDSA');
}

async function entryCount(): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM evidence_entries',
  );
  return rows[0]!.n;
}

describe('receipt keys', () => {
  it('are created once on first use, even by several processes at once', async () => {
    const pools = [1, 2, 3, 4].map(() => testPool({ connectionString: testDb.url, max: 2 }));
    try {
      const sets = await Promise.all(pools.map((p) => new EvidenceLog({ pool: p }).publicJwks()));
      const kids = new Set(sets.flatMap((s) => s.keys.map((k) => k.kid)));
      expect(kids.size).toBe(1);
      expect(sets[0]!.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
      expect(sets[0]!.keys[0]).not.toHaveProperty('d');
      const { rows } = await pool.query('SELECT kid FROM evidence_keys');
      expect(rows).toHaveLength(1);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});

describe('appending', () => {
  it('chains entries from the genesis value, each committed before its receipt is given', async () => {
    const first = await evidence.append(input());
    const second = await evidence.append(input({ operation: 'query', recordCount: 20 }));
    expect(first.seq).toBe('1');
    expect(second.seq).toBe('2');
    const { rows } = await pool.query(
      'SELECT seq::text AS seq, id, prev_hash, hash FROM evidence_entries ORDER BY seq',
    );
    expect(rows).toEqual([
      { seq: '1', id: first.entryId, prev_hash: GENESIS_HASH, hash: first.hash },
      { seq: '2', id: second.entryId, prev_hash: first.hash, hash: second.hash },
    ]);
    const verification = await verifyEvidenceChain(pool);
    expect(verification).toMatchObject({ ok: true, entries: 2, head: { seq: '2' } });
  });

  it('signs a receipt anyone with the published key verifies, the same when fetched later', async () => {
    const receipt = await evidence.append(
      input({ operation: 'export', recordCount: 1_000, details: { format: 'csv' } }),
    );
    const header = decodeProtectedHeader(receipt.jws);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: RECEIPT_TYPE });
    const { payload } = await compactVerify(receipt.jws, await publicKey(header.kid!));
    const entry = await evidence.entry(receipt.entryId);
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(receiptPayload(entry!));
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
      entryId: receipt.entryId,
      seq: receipt.seq,
      hash: receipt.hash,
      operation: 'export',
      recordCount: 1_000,
      deliveredDigest: sha256('record'),
    });
    expect(await evidence.receipt(receipt.entryId)).toEqual(receipt);
    expect(await evidence.receipt('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await evidence.receipt('not-a-uuid')).toBeUndefined();
  });

  it('a receipt altered by one byte no longer verifies', async () => {
    const receipt = await evidence.append(input({ recordCount: 7 }));
    const key = await publicKey(decodeProtectedHeader(receipt.jws).kid!);
    const [head, body, signature] = receipt.jws.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as object;
    const inflated = Buffer.from(JSON.stringify({ ...claims, recordCount: 8 })).toString(
      'base64url',
    );
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    for (const forged of [
      `${head}.${inflated}.${signature}`,
      `${head}.${flip(body, 10)}.${signature}`,
      `${head}.${body}.${flip(signature, 5)}`,
    ]) {
      await expect(compactVerify(forged, key)).rejects.toThrow();
    }
    await expect(compactVerify(receipt.jws, key)).resolves.toBeDefined();
  });

  it('hundreds of concurrent appends form one gapless chain in a few batches', async () => {
    const before = await entryCount();
    const statsBefore = evidence.stats();
    const receipts = await Promise.all(
      Array.from({ length: 600 }, (_, i) => evidence.append(input({ recordCount: i }))),
    );
    const seqs = receipts.map((r) => Number(r.seq)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 600 }, (_, i) => before + i + 1));
    const stats = evidence.stats();
    expect(stats.appended - statsBefore.appended).toBe(600);
    // group commit: far fewer transactions than entries
    expect(stats.batches - statsBefore.batches).toBeLessThanOrEqual(20);
    expect(await verifyEvidenceChain(pool)).toMatchObject({ ok: true, entries: before + 600 });
  });

  it('two processes (separate pools) appending at once interleave into one chain', async () => {
    const before = await entryCount();
    const pools = [1, 2].map(() => testPool({ connectionString: testDb.url, max: 5 }));
    const logs = pools.map((p) => new EvidenceLog({ pool: p, maxBatch: 25 }));
    try {
      // both "processes" up (connected, key loaded) before either starts appending
      await Promise.all(logs.map((log) => log.publicJwks()));
      const perLog = 400;
      const receipts: EvidenceReceipt[][] = await Promise.all(
        logs.map((log, n) =>
          Promise.all(
            Array.from({ length: perLog }, (_, i) =>
              log.append(input({ actor: `system:process-${n}`, recordCount: i })),
            ),
          ),
        ),
      );
      const all = receipts.flat().map((r) => Number(r.seq));
      expect(new Set(all).size).toBe(2 * perLog);
      expect(Math.min(...all)).toBe(before + 1);
      expect(Math.max(...all)).toBe(before + 2 * perLog);
      // each process wrote several batches, and they alternated on the chain
      for (const log of logs) expect(log.stats().batches).toBeGreaterThan(1);
      const { rows } = await pool.query<{ switches: number }>(
        `SELECT count(*)::int AS switches FROM (
           SELECT actor, lag(actor) OVER (ORDER BY seq) AS previous
             FROM evidence_entries WHERE seq > $1) t
          WHERE actor <> previous`,
        [before],
      );
      expect(rows[0]!.switches).toBeGreaterThan(1);
      expect(await verifyEvidenceChain(pool)).toMatchObject({
        ok: true,
        entries: before + 2 * perLog,
      });
    } finally {
      await Promise.all(logs.map((l) => l.close()));
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('a bad input fails its own append only, never the batch it would have shared', async () => {
    const results = await Promise.allSettled([
      evidence.append(input()),
      evidence.append(input({ requestHash: 'not a hash' })),
      evidence.append(input({ recordCount: 1.5 })),
      evidence.append(input()),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(InputError);
  });

  it('answers 503 (UnavailableError) when the database cannot take the entry', async () => {
    const url = new URL(testDb.url);
    url.pathname = '/no_such_database';
    const broken = new pg.Pool({ connectionString: url.toString(), max: 1 });
    const log = new EvidenceLog({ pool: broken });
    try {
      const results = await Promise.allSettled([log.append(input()), log.append(input())]);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(UnavailableError);
      }
      expect(log.stats()).toMatchObject({ appended: 0, failed: 2 });
    } finally {
      await log.close();
      await broken.end();
    }
  });

  it.each([
    ['', false],
    [', also when it knows the head and appends in one round trip', true],
  ])(
    'a process stuck holding the chain head delays others only up to the lock timeout%s',
    async (_, knowsHead) => {
      const stuck = await pool.connect();
      const log = new EvidenceLog({ pool, lockTimeoutMs: 300 });
      try {
        // after its first batch a log sends the next one in a single statement
        if (knowsHead) await log.append(input());
        await stuck.query('BEGIN');
        await stuck.query('SELECT * FROM evidence_chain_head FOR UPDATE');
        const started = Date.now();
        await expect(log.append(input())).rejects.toBeInstanceOf(UnavailableError);
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        await stuck.query('ROLLBACK');
        stuck.release();
      }
      // the holder gone, the same log appends again
      await expect(log.append(input())).resolves.toMatchObject({ seq: expect.any(String) });
      await log.close();
      expect(await verifyEvidenceChain(pool)).toMatchObject({ ok: true });
    },
  );

  it('a head moved by another process is found under the lock; nothing is written on the stale one', async () => {
    const other = new EvidenceLog({ pool });
    const log = new EvidenceLog({ pool });
    try {
      const first = await log.append(input());
      // another process appends: the head this log remembers is stale now
      const moved = await other.append(input());
      const next = await log.append(input());
      expect(BigInt(moved.seq)).toBe(BigInt(first.seq) + 1n);
      expect(BigInt(next.seq)).toBe(BigInt(moved.seq) + 1n);
      const { rows } = await pool.query<{ prev_hash: string }>(
        'SELECT prev_hash FROM evidence_entries WHERE seq = $1',
        [next.seq],
      );
      expect(rows[0]!.prev_hash).toBe(moved.hash);
      expect(await verifyEvidenceChain(pool)).toMatchObject({ ok: true });
    } finally {
      await Promise.all([log.close(), other.close()]);
    }
  });

  it('close() writes what is queued, then refuses new appends', async () => {
    const log = new EvidenceLog({ pool });
    const pending = Array.from({ length: 50 }, () => log.append(input()));
    await log.close();
    const settled = await Promise.allSettled(pending);
    expect(settled.every((s) => s.status === 'fulfilled')).toBe(true);
    await expect(log.append(input())).rejects.toBeInstanceOf(UnavailableError);
  });

  it('the table refuses UPDATE, DELETE and TRUNCATE from the application', async () => {
    await expect(pool.query('UPDATE evidence_entries SET record_count = 0')).rejects.toThrow(
      /append-only/,
    );
    await expect(pool.query('DELETE FROM evidence_entries WHERE seq = 1')).rejects.toThrow(
      /append-only/,
    );
    await expect(pool.query('TRUNCATE evidence_entries')).rejects.toThrow(/append-only/);
  });

  it('a process killed mid-append (SIGKILL) loses nothing it acknowledged; the chain holds', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, testDb.url, '64'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acks: { seq: string; id: string; hash: string }[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    for await (const line of createInterface({ input: child.stdout })) {
      const [word, seq, id, hash] = line.split(' ');
      if (word === 'ack') acks.push({ seq: seq!, id: id!, hash: hash! });
      if (acks.length === 1_500) child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    expect(acks.length).toBeGreaterThanOrEqual(1_500);
    const { rows } = await pool.query<{ seq: string; id: string; hash: string }>(
      `SELECT seq::text AS seq, id, hash FROM evidence_entries WHERE id = ANY ($1::uuid[])`,
      [acks.map((a) => a.id)],
    );
    const sortBySeq = (list: { seq: string }[]) =>
      [...list].sort((a, b) => Number(a.seq) - Number(b.seq));
    expect(sortBySeq(rows)).toEqual(sortBySeq(acks));
    expect(await verifyEvidenceChain(pool)).toMatchObject({ ok: true });
  }, 60_000);
});

describe('tampering', () => {
  /** Run SQL as the database owner would, bypassing the append-only triggers; roll back after. */
  async function verifyAfter(sql: string, params: unknown[] = []): Promise<EvidenceVerification> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query(sql, params);
      return await verifyEvidenceChain(client, { batchSize: 97 });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  async function idOf(seq: number): Promise<string> {
    const { rows } = await pool.query<{ id: string }>(
      'SELECT id FROM evidence_entries WHERE seq = $1',
      [seq],
    );
    return rows[0]!.id;
  }

  let last: number;
  beforeAll(async () => {
    last = await entryCount();
    expect(last).toBeGreaterThan(1_000);
  });

  it('a changed record count is named: content altered', async () => {
    expect(
      await verifyAfter(
        'UPDATE evidence_entries SET record_count = record_count + 1 WHERE seq = 500',
      ),
    ).toMatchObject({
      ok: false,
      entries: 499,
      firstBroken: { seq: '500', id: await idOf(500), problem: 'altered' },
    });
  });

  it('a changed value of any column is named, details included', async () => {
    for (const [column, value] of [
      ['purpose', `'marketing'`],
      ['resource_code', `'209001001-002489129-000002'`],
      ['recorded_at', `recorded_at + interval '1 second'`],
      ['details', `'{"format":"xlsx"}'::jsonb`],
      ['delivered_digest', 'NULL'],
      ['actor', `'system:someone-else'`],
    ] as const) {
      const result = await verifyAfter(
        `UPDATE evidence_entries SET ${column} = ${value} WHERE seq = 5`,
      );
      expect(result, column).toMatchObject({
        ok: false,
        firstBroken: { seq: '5', problem: 'altered' },
      });
    }
  });

  it('a deleted row is named by its seq: a gap', async () => {
    const result = await verifyAfter('DELETE FROM evidence_entries WHERE seq = 321');
    expect(result).toMatchObject({
      ok: false,
      entries: 320,
      firstBroken: { seq: '321', id: null, problem: 'gap' },
    });
    expect(result.ok || result.firstBroken.reason).toContain(await idOf(322));
  });

  it('a changed prev_hash is named: link mismatch', async () => {
    expect(
      await verifyAfter(`UPDATE evidence_entries SET prev_hash = repeat('a', 64) WHERE seq = 777`),
    ).toMatchObject({
      ok: false,
      firstBroken: { seq: '777', id: await idOf(777), problem: 'link' },
    });
  });

  it('an entry rewritten together with its hash breaks the link of the next one', async () => {
    expect(
      await verifyAfter(
        `UPDATE evidence_entries SET record_count = 0, hash = repeat('b', 64) WHERE seq = 40`,
      ),
    ).toMatchObject({ ok: false, firstBroken: { seq: '40', problem: 'altered' } });
    // the only rewrite that survives the entry's own check needs its true hash: recompute it
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      const entry = (await evidence.entry(await idOf(40)))!;
      const rewritten = evidenceHash({ ...entry, recordCount: 0 });
      await client.query('UPDATE evidence_entries SET record_count = 0, hash = $1 WHERE seq = 40', [
        rewritten,
      ]);
      expect(await verifyEvidenceChain(client)).toMatchObject({
        ok: false,
        firstBroken: { seq: '41', problem: 'link' },
      });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('entries deleted from the end are found through the chain head', async () => {
    expect(
      await verifyAfter('DELETE FROM evidence_entries WHERE seq >= $1', [last - 2]),
    ).toMatchObject({
      ok: false,
      entries: last - 3,
      firstBroken: { seq: String(last - 2), id: null, problem: 'truncated' },
    });
    expect(
      await verifyAfter(`UPDATE evidence_chain_head SET hash = repeat('c', 64)`),
    ).toMatchObject({ ok: false, firstBroken: { seq: String(last), problem: 'head' } });
  });

  it('an intact chain verifies after all that (every tampering was rolled back)', async () => {
    expect(await verifyEvidenceChain(pool)).toMatchObject({ ok: true, entries: last });
  });
});

describe('npm run evidence:verify', () => {
  const runVerify = (args: string[] = []) => runScript('verifyEvidence.ts', args, testDb.url);

  const tamper = (sql: string, params: unknown[] = []) => asOwner(pool, sql, params);

  async function row(seq: number) {
    const { rows } = await pool.query<{ id: string; row: object }>(
      'SELECT id, row_to_json(e) AS row FROM evidence_entries e WHERE seq = $1',
      [seq],
    );
    return rows[0]!;
  }

  it('exits 0 on an intact chain, 1 naming the entry after each kind of tampering', async () => {
    const intact = await runVerify();
    expect(intact.output).toMatch(/evidence chain intact: \d+ entries/);
    expect(intact.code).toBe(0);

    const altered = await row(250);
    await tamper('UPDATE evidence_entries SET record_count = 999999 WHERE seq = 250');
    const afterUpdate = await runVerify();
    expect(afterUpdate.code).toBe(1);
    expect(afterUpdate.output).toContain(`BROKEN at seq 250 (id ${altered.id}): altered`);
    await tamper(
      'UPDATE evidence_entries e SET record_count = r.record_count FROM json_populate_record(NULL::evidence_entries, $1) r WHERE e.seq = 250',
      [altered.row],
    );

    const deleted = await row(100);
    await tamper('DELETE FROM evidence_entries WHERE seq = 100');
    const afterDelete = await runVerify();
    expect(afterDelete.code).toBe(1);
    expect(afterDelete.output).toContain('BROKEN at seq 100: gap: entry 100 is missing (deleted)');
    await tamper(
      'INSERT INTO evidence_entries SELECT * FROM json_populate_record(NULL::evidence_entries, $1)',
      [deleted.row],
    );

    const relinked = await row(60);
    await tamper(`UPDATE evidence_entries SET prev_hash = repeat('0', 64) WHERE seq = 60`);
    const afterRelink = await runVerify();
    expect(afterRelink.code).toBe(1);
    expect(afterRelink.output).toContain(`BROKEN at seq 60 (id ${relinked.id}): link`);
    await tamper(
      'UPDATE evidence_entries e SET prev_hash = r.prev_hash FROM json_populate_record(NULL::evidence_entries, $1) r WHERE e.seq = 60',
      [relinked.row],
    );

    const restored = await runVerify();
    expect(restored.output).toContain('evidence chain intact');
    expect(restored.code).toBe(0);
  }, 90_000);

  it('checks the chain against signed checkpoint files; exits 2 for one that is not the platform’s', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gx-checkpoint-'));
    try {
      const checkpoint = await evidence.checkpoint();
      const asJson = path.join(dir, 'checkpoint.json');
      const asJws = path.join(dir, 'checkpoint.jws');
      await writeFile(asJson, JSON.stringify(checkpoint));
      await writeFile(asJws, `${checkpoint.jws}\n`);
      const held = await runVerify(['--checkpoint', asJson, '--checkpoint', asJws]);
      expect(held.output).toContain('holds 2 signed checkpoint(s)');
      expect(held.code).toBe(0);

      // a checkpoint whose head was edited no longer carries the platform's signature
      const [h, , s] = checkpoint.jws.split('.') as [string, string, string];
      const edited = Buffer.from(
        JSON.stringify({ ...checkpoint, jws: undefined, hash: 'e'.repeat(64) }),
      ).toString('base64url');
      const forged = path.join(dir, 'forged.jws');
      await writeFile(forged, `${h}.${edited}.${s}`);
      const refused = await runVerify(['--checkpoint', forged]);
      expect(refused.output).toContain('存证检查点无效：签名不符');
      expect(refused.code).toBe(2);
      expect((await runVerify(['--checkpoint'])).code).toBe(2);
      expect((await runVerify(['--since', forged])).code).toBe(2);
      expect((await runVerify(['--since', asJson, '--since', asJws])).code).toBe(2);

      // incremental: only the entries appended after the checkpoint are walked
      await evidence.append(input({}));
      await evidence.append(input({}));
      const onward = await runVerify(['--since', asJws]);
      expect(onward.output).toContain(
        `intact: 2 entries after seq ${checkpoint.seq} (incremental, from --since)`,
      );
      expect(onward.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
