import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, type TestDatabase } from '@gx/platform/testing';
import {
  asOwner as asOwnerOf,
  closeEvidenceDatabase,
  evidenceInput,
  openEvidenceDatabase,
  runScript,
} from './evidenceTesting.ts';
import {
  type EvidenceLog,
  EvidenceWatch,
  listEvidenceArchives,
  verifyEvidenceChain,
  type EvidenceCheckpoint,
  type EvidenceReceipt,
  getEvidenceReceipt,
} from '../src/domain/evidence/index.ts';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let testDb: TestDatabase;
let pool: pg.Pool;
let evidence: EvidenceLog;
let dir: string;
const logs = captureLogs('evidence-archive');

async function append(count: number): Promise<EvidenceReceipt[]> {
  const receipts: EvidenceReceipt[] = [];
  for (let i = 0; i < count; i += 1)
    receipts.push(await evidence.append(evidenceInput({ recordCount: i })));
  return receipts;
}
/** the receipts of the first 40 entries, which the first test archives */
let archivedReceipts: EvidenceReceipt[];

/** A checkpoint of the head now, saved as GET /v1/evidence/checkpoint answers it. */
async function checkpointFile(
  name: string,
): Promise<{ file: string; checkpoint: EvidenceCheckpoint }> {
  const checkpoint = await evidence.checkpoint();
  const file = path.join(dir, name);
  await writeFile(file, JSON.stringify(checkpoint));
  return { file, checkpoint };
}

const run = (script: string, args: string[]) => runScript(script, args, testDb.url);
const archive = (checkpoint: string, out: string) =>
  run('archiveEvidence.ts', ['--checkpoint', checkpoint, '--out', out]);
const verify = (...args: string[]) => run('verifyEvidence.ts', args);

const asOwner = (sql: string, params: unknown[] = []) => asOwnerOf(pool, sql, params);

async function stored() {
  const { rows } = await pool.query<{ first: string | null; count: string }>(
    'SELECT min(seq)::text AS first, count(*)::text AS count FROM evidence_entries',
  );
  return { first: rows[0]!.first, count: Number(rows[0]!.count) };
}

beforeAll(async () => {
  ({ testDb, pool, evidence } = await openEvidenceDatabase());
  dir = await mkdtemp(path.join(tmpdir(), 'gx-evidence-archive-'));
  archivedReceipts = await append(40);
});

afterAll(async () => {
  await closeEvidenceDatabase({ testDb, pool, evidence });
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run evidence:archive', () => {
  const first = () => path.join(dir, 'evidence-1.jsonl');
  const second = () => path.join(dir, 'evidence-2.jsonl');

  it('archives up to a checkpoint; the file proves itself and the chain goes on from its anchor', async () => {
    const { file, checkpoint } = await checkpointFile('checkpoint-40.json');
    expect(checkpoint.seq).toBe('40');
    await append(10);

    const archived = await archive(file, first());
    expect(archived.output).toContain(`archived entries 1–40 (40) to ${first()}`);
    expect(archived.output).toContain('40 entries removed from the database');
    expect(archived.output).toContain('no longer count the archived entries');
    expect(archived.code).toBe(0);
    expect(await stored()).toEqual({ first: '41', count: 10 });
    const { rows } = await pool.query<{
      through_seq: string;
      hash: string;
      archive_sha256: string;
    }>('SELECT through_seq::text, hash, archive_sha256 FROM evidence_archives');
    expect(rows).toEqual([
      { through_seq: '40', hash: checkpoint.hash, archive_sha256: sha256(await readFile(first())) },
    ]);

    // a receipt asked for again after its entry was archived: a 404 that says where it went
    const gone = getEvidenceReceipt({
      evidence,
      actor: {
        kind: 'system',
        subject: 'hz-rsj-system',
        username: 'hz-rsj-system',
        departmentCode: 'hz-rsj',
        regionCode: '330100000000',
        roles: ['system'],
        clientId: 'hz-rsj-system',
      },
      entryId: archivedReceipts[0]!.entryId,
    });
    await expect(gone).rejects.toMatchObject({ status: 404 });
    await expect(gone).rejects.toThrow('第 1–40 条存证已归档并从数据库移除');

    // the database's chain starts from the anchor
    expect(await verifyEvidenceChain(pool)).toMatchObject({
      ok: true,
      entries: 10,
      archived: { throughSeq: '40', hash: checkpoint.hash },
      head: { seq: '50' },
    });
    const online = await verify('--checkpoint', file);
    expect(online.output).toContain(
      'intact: 10 entries after seq 40 (entries before it are archived), head seq 50',
    );
    expect(online.output).toContain('holds 1 signed checkpoint(s)');
    expect(online.code).toBe(0);

    // the archive, without the database
    const offline = await verify('--archive', first());
    expect(offline.output).toContain(`archive ${first()} intact: entries 1–40 (40)`);
    expect(offline.code).toBe(0);

    // the next archive continues the first
    const next = await checkpointFile('checkpoint-50.json');
    await append(5);
    const again = await archive(next.file, second());
    expect(again.output).toContain('archived entries 41–50 (10)');
    expect(again.code).toBe(0);
    expect(await stored()).toEqual({ first: '51', count: 5 });
    expect((await verify('--archive', first(), '--archive', second())).code).toBe(0);
    const outOfOrder = await verify('--archive', second(), '--archive', first());
    expect(outOfOrder.output).toContain('不接在上一个归档之后');
    expect(outOfOrder.code).toBe(2);
    expect((await verify()).output).toContain('intact: 5 entries after seq 50');
    // what auditors see of the archives (GET /v1/evidence/archives)
    const archives = await listEvidenceArchives(pool);
    expect(archives.map((a) => [a.fromSeq, a.throughSeq, a.archiveSha256])).toEqual([
      ['41', '50', sha256(await readFile(second()))],
      ['1', '40', sha256(await readFile(first()))],
    ]);
    expect(archives[1]).toMatchObject({
      hash: checkpoint.hash,
      archiveName: 'evidence-1.jsonl',
      checkpoint: checkpoint.jws,
    });
    expect(archives[1]!.archivedBy).toMatch(/\(os user .+\)$/);

    // the scheduled verification walks what is left, from the anchor
    const watch = new EvidenceWatch({
      pool,
      evidence,
      logger: logs.logger,
      intervalSeconds: 0,
      fullEveryHours: 24,
    });
    expect(await watch.pass()).toMatchObject({
      kind: 'full',
      ok: true,
      entries: 5,
      since: null,
      archivedThrough: '50',
      head: { seq: '55' },
    });

    // nothing new to archive; an existing file is never overwritten
    const stale = await archive(next.file, path.join(dir, 'evidence-3.jsonl'));
    expect(stale.output).toContain('没有新的可归档条目');
    expect(stale.code).toBe(2);
    const latest = await checkpointFile('checkpoint-55.json');
    const overwrite = await archive(latest.file, first());
    expect(overwrite.output).toContain('已存在，不覆盖');
    expect(overwrite.code).toBe(2);
    expect(await stored()).toEqual({ first: '51', count: 5 });
  }, 120_000);

  it('still verifies without evidence_archives (a dump restored from before archiving existed)', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DROP TABLE evidence_archives CASCADE');
      // the archived entries are gone, so the chain no longer starts at the genesis value
      expect(await verifyEvidenceChain(client)).toMatchObject({
        ok: false,
        firstBroken: { seq: '1', problem: 'gap' },
      });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('refuses to archive a broken chain and deletes nothing', async () => {
    await asOwner('UPDATE evidence_entries SET record_count = 999 WHERE seq = 52');
    try {
      const { file } = await checkpointFile('checkpoint-broken.json');
      const out = path.join(dir, 'evidence-broken.jsonl');
      const refused = await archive(file, out);
      expect(refused.output).toContain('nothing archived: the evidence chain is BROKEN at seq 52');
      expect(refused.code).toBe(1);
      expect(await stored()).toEqual({ first: '51', count: 5 });
      await expect(readFile(out)).rejects.toThrow(/ENOENT/);
      await expect(readFile(`${out}.partial`)).rejects.toThrow(/ENOENT/);
    } finally {
      await asOwner('UPDATE evidence_entries SET record_count = 1 WHERE seq = 52');
    }
    expect((await verifyEvidenceChain(pool)).ok).toBe(true);
  });

  it('finds a changed or cut archive file, and a forged anchor in the database', async () => {
    const lines = (await readFile(first(), 'utf8')).trimEnd().split('\n');
    const write = async (name: string, content: string[]) => {
      const file = path.join(dir, name);
      await writeFile(file, `${content.join('\n')}\n`);
      return file;
    };
    // line 0 is the header; line 5 is entry 5
    const entry5 = JSON.parse(lines[5]!) as { seq: string; recordCount: number };
    expect(entry5.seq).toBe('5');
    const changed = await write('changed.jsonl', [
      ...lines.slice(0, 5),
      JSON.stringify({ ...entry5, recordCount: entry5.recordCount + 1 }),
      ...lines.slice(6),
    ]);
    const altered = await verify('--archive', changed);
    expect(altered.output).toMatch(/BROKEN at seq 5 \(id [0-9a-f-]+\): altered/);
    expect(altered.output).toContain('4 entries before it are intact');
    expect(altered.code).toBe(1);

    const notAnObject = await verify(
      '--archive',
      await write('null.jsonl', [...lines.slice(0, 5), 'null', ...lines.slice(6)]),
    );
    expect(notAnObject.output).toContain('BROKEN at seq 5: altered');
    expect(notAnObject.code).toBe(1);

    const cut = await verify('--archive', await write('cut.jsonl', lines.slice(0, -1)));
    expect(cut.output).toContain('BROKEN at seq 40: truncated');
    expect(cut.code).toBe(1);

    const header = JSON.parse(lines[0]!) as { hash: string };
    const forgedHeader = await write('forged.jsonl', [
      JSON.stringify({ ...header, hash: 'e'.repeat(64) }),
      ...lines.slice(1),
    ]);
    const unsigned = await verify('--archive', forgedHeader);
    expect(unsigned.output).toContain('不是有效的存证归档文件');
    expect(unsigned.code).toBe(2);

    // the application still cannot delete what no archive covers
    await expect(pool.query('DELETE FROM evidence_entries WHERE seq = 53')).rejects.toThrow(
      /append-only/,
    );

    // an anchor row written by hand, to hide entries: it carries no checkpoint of its own
    const checkpoint = JSON.parse(
      await readFile(path.join(dir, 'checkpoint-50.json'), 'utf8'),
    ) as EvidenceCheckpoint;
    await pool.query(
      `INSERT INTO evidence_archives
         (through_seq, from_seq, hash, checkpoint, archive_sha256, archive_name, archived_by)
       SELECT 53, 51, hash, $1, repeat('0', 64), 'none', 'mallory' FROM evidence_entries WHERE seq = 53`,
      [checkpoint.jws],
    );
    try {
      expect(await verifyEvidenceChain(pool)).toMatchObject({
        ok: false,
        firstBroken: { seq: '53', problem: 'checkpoint' },
      });
      const caught = await verify();
      expect(caught.output).toContain('BROKEN at seq 53: checkpoint');
      expect(caught.code).toBe(1);
    } finally {
      await asOwner('DELETE FROM evidence_archives WHERE through_seq = 53');
    }
    expect((await verifyEvidenceChain(pool)).ok).toBe(true);
  });
});
