import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, link, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '@gx/platform';
import type { Pool } from 'pg';
import { anchorProblem, readArchiveAnchor, type Queryable } from './archiveAnchor.ts';
import { openCheckpoint, readPublishedKeys } from './evidenceCheckpoint.ts';
import { evidenceHash, GENESIS_HASH, type EvidenceEntry } from './evidenceEntry.ts';
import { EVIDENCE_COLUMNS, evidenceFromRow, type EvidenceRow } from './evidenceRow.ts';
import type { ReceiptPublicJwk } from './ReceiptSigner.ts';
import {
  verifyEvidenceChain,
  type BrokenEvidence,
  type EvidenceVerification,
} from './verifyEvidenceChain.ts';

/** The first line of an archive file says what follows. */
export const ARCHIVE_FORMAT = 'gx-evidence-archive/1';

/**
 * An archive file (JSON Lines, UTF-8): this header, then entries `fromSeq`..`throughSeq` in
 * order, one `EvidenceEntry` (as stored and hashed, `hash` included) per line. The file proves
 * itself: each entry hashes to its content and links to the one before (the first to
 * `prevHash`), and the last one's hash is the one `checkpoint` signs, checkable with `keys`
 * (the receipt keys published when the archive was made).
 */
export interface ArchiveHeader {
  format: typeof ARCHIVE_FORMAT;
  fromSeq: string;
  /** the hash the first entry links to: the previous archive's last, or the genesis value */
  prevHash: string;
  throughSeq: string;
  /** the hash of entry `throughSeq` */
  hash: string;
  /** the signed checkpoint (compact JWS) of (`throughSeq`, `hash`) */
  checkpoint: string;
  keys: ReceiptPublicJwk[];
  createdAt: string;
}

export type ArchiveVerification = { header: ArchiveHeader } & (
  { ok: true; entries: number } | { ok: false; entries: number; firstBroken: BrokenEvidence }
);

const notAnArchive = (why: string) =>
  new InputError(`不是有效的存证归档文件：${why}`, [{ path: '/archive', message: why }]);

function parseHeader(line: string | undefined): ArchiveHeader {
  if (line === undefined) throw notAnArchive('文件为空');
  let header: Partial<ArchiveHeader>;
  try {
    header = JSON.parse(line) as Partial<ArchiveHeader>;
  } catch {
    throw notAnArchive('首行不是 JSON');
  }
  if (header?.format !== ARCHIVE_FORMAT) throw notAnArchive(`首行须为 ${ARCHIVE_FORMAT} 的头部`);
  const { fromSeq, throughSeq, prevHash, hash, checkpoint, keys } = header;
  const seq = /^[1-9][0-9]{0,18}$/;
  const sha = /^[0-9a-f]{64}$/;
  if (
    typeof fromSeq !== 'string' ||
    !seq.test(fromSeq) ||
    typeof throughSeq !== 'string' ||
    !seq.test(throughSeq) ||
    BigInt(throughSeq) < BigInt(fromSeq) ||
    typeof prevHash !== 'string' ||
    !sha.test(prevHash) ||
    typeof hash !== 'string' ||
    !sha.test(hash) ||
    typeof checkpoint !== 'string' ||
    !Array.isArray(keys)
  )
    throw notAnArchive('头部缺少或写错 fromSeq、throughSeq、prevHash、hash、checkpoint、keys');
  if (fromSeq === '1' && prevHash !== GENESIS_HASH)
    throw notAnArchive('从第 1 条开始的归档，prevHash 须为创世值（64 个 0）');
  return header as ArchiveHeader;
}

/** An archived entry's hash from its content; undefined when the content cannot be hashed. */
function hashOf(content: Omit<EvidenceEntry, 'hash'>): string | undefined {
  try {
    return evidenceHash(content);
  } catch {
    return undefined;
  }
}

/**
 * Check an archive file's lines: its header (format, and a checkpoint signed by one of its keys
 * over its last seq and hash), then every entry as `verifyEvidenceChain` checks the live chain.
 * `InputError` for what is not an archive at all; otherwise the first broken entry, if any.
 * `prevHash`: where the caller expects the archive to continue from (the archive before it).
 */
export async function verifyArchive(
  lines: AsyncIterable<string>,
  { prevHash }: { prevHash?: string } = {},
): Promise<ArchiveVerification> {
  const iterator = lines[Symbol.asyncIterator]();
  const header = parseHeader((await iterator.next()).value as string | undefined);
  const anchor = {
    throughSeq: header.throughSeq,
    hash: header.hash,
    checkpoint: header.checkpoint,
  };
  const unsigned = anchorProblem(anchor, header.keys);
  if (unsigned) throw notAnArchive(unsigned);
  if (prevHash !== undefined && prevHash !== header.prevHash)
    throw notAnArchive(`它不接在上一个归档之后（prevHash ${header.prevHash}）`);

  let expected = BigInt(header.fromSeq);
  let linkTo = header.prevHash;
  let entries = 0;
  const broken = (firstBroken: BrokenEvidence): ArchiveVerification => ({
    ok: false,
    header,
    entries,
    firstBroken,
  });
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const line = next.value as string;
    if (line === '') continue;
    let entry: EvidenceEntry;
    try {
      entry = JSON.parse(line) as EvidenceEntry;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        throw new TypeError('not an object');
    } catch {
      return broken({
        seq: expected.toString(),
        id: null,
        problem: 'altered',
        reason: `the line of entry ${expected} is not a JSON object`,
      });
    }
    if (entry.seq !== expected.toString()) {
      return broken({
        seq: expected.toString(),
        id: null,
        problem: 'gap',
        reason: `entry ${expected} is missing: the archive has entry ${String(entry.seq)} in its place`,
      });
    }
    if (entry.prevHash !== linkTo) {
      return broken({
        seq: entry.seq,
        id: entry.id,
        problem: 'link',
        reason: `prev_hash does not match the hash of the entry before it`,
      });
    }
    const { hash, ...content } = entry;
    if (hashOf(content) !== hash) {
      return broken({
        seq: entry.seq,
        id: entry.id,
        problem: 'altered',
        reason: 'hash does not match the content: a value was changed',
      });
    }
    linkTo = hash;
    expected += 1n;
    entries += 1;
  }
  if (expected - 1n !== BigInt(header.throughSeq)) {
    return broken({
      seq: expected.toString(),
      id: null,
      problem: 'truncated',
      reason: `the archive ends at entry ${expected - 1n}, its header says ${header.throughSeq}`,
    });
  }
  if (linkTo !== header.hash) {
    return broken({
      seq: header.throughSeq,
      id: null,
      problem: 'checkpoint',
      reason: `entry ${header.throughSeq} is not the one the archive's checkpoint signed`,
    });
  }
  return { ok: true, header, entries };
}

/**
 * The lines of an archive file, and the SHA-256 of its bytes once they have all been read;
 * `close` when done (a check that stops early leaves the rest unread).
 */
export function readArchiveFile(file: string): {
  lines: AsyncIterable<string>;
  sha256: () => string;
  close: () => void;
} {
  const hash = createHash('sha256');
  const stream = createReadStream(file);
  stream.on('data', (chunk) => hash.update(chunk));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  return {
    lines,
    sha256: () => hash.digest('hex'),
    close: () => {
      lines.close();
      stream.destroy();
    },
  };
}

export interface ArchiveEvidenceOptions {
  pool: Pool;
  /** the signed checkpoint (compact JWS) to archive up to: `GET /v1/evidence/checkpoint` */
  checkpoint: string;
  /** the archive file to write; refused if it exists */
  out: string;
  /** who runs it (database role, operating-system user) */
  archivedBy: string;
  /** entries read, and deleted, per statement */
  batchSize?: number;
}

export type ArchiveEvidenceResult =
  | {
      ok: true;
      fromSeq: string;
      throughSeq: string;
      entries: number;
      sha256: string;
      /** entries removed from the database (those the archive covers) */
      deleted: number;
      /** when the last archived entry was chained */
      recordedAt: string | null;
    }
  /** the chain is broken: nothing was archived or removed */
  | { ok: false; verification: EvidenceVerification };

/**
 * Archive the evidence log up to a signed checkpoint: verify the chain (it must be intact and
 * hold the checkpoint), write entries after the last archive up to the checkpoint to `out`
 * (through `out.partial`, flushed to disk, never over an existing file), read the file back and
 * check it, record the archive (its anchor, checksum and checkpoint), and only then delete the
 * entries it covers. Deleting runs in batches after the record is committed; an interrupted run
 * leaves entries the verifier already skips, and the next run deletes them
 * (`deleteArchivedEntries`). Two runs at once: the second one's record is refused.
 */
export async function archiveEvidence({
  pool,
  checkpoint: jws,
  out,
  archivedBy,
  batchSize = 10_000,
}: ArchiveEvidenceOptions): Promise<ArchiveEvidenceResult> {
  if (
    await access(out).then(
      () => true,
      () => false,
    )
  )
    throw new InputError(`归档文件 ${out} 已存在，不覆盖`, [{ path: '/out', message: 'exists' }]);
  const keys = await readPublishedKeys(pool);
  const checkpoint = openCheckpoint(jws, keys);
  const anchor = await readArchiveAnchor(pool);
  const fromSeq = (anchor ? BigInt(anchor.throughSeq) : 0n) + 1n;
  const throughSeq = BigInt(checkpoint.seq);
  if (throughSeq < fromSeq) {
    throw new InputError(
      `检查点（至第 ${checkpoint.seq} 条）没有新的可归档条目：已归档至第 ${fromSeq - 1n} 条`,
      [{ path: '/checkpoint', message: 'not beyond the last archive' }],
    );
  }
  await deleteArchivedEntries(pool, batchSize);
  const verification = await verifyEvidenceChain(pool, { checkpoints: [checkpoint] });
  if (!verification.ok) return { ok: false, verification };

  const header: ArchiveHeader = {
    format: ARCHIVE_FORMAT,
    fromSeq: fromSeq.toString(),
    prevHash: anchor?.hash ?? GENESIS_HASH,
    throughSeq: checkpoint.seq,
    hash: checkpoint.hash,
    checkpoint: jws.trim(),
    keys,
    createdAt: new Date().toISOString(),
  };
  const partial = `${out}.partial`;
  const written = await writeArchive(pool, header, partial, batchSize).catch(
    async (error: unknown) => {
      await unlink(partial).catch(() => undefined);
      throw error;
    },
  );
  try {
    // what is on disk, read back, must prove itself before anything is deleted
    const file = readArchiveFile(partial);
    try {
      const check = await verifyArchive(file.lines, { prevHash: header.prevHash });
      if (!check.ok || file.sha256() !== written.sha256)
        throw new Error(`归档文件 ${partial} 回读校验未通过，未删除任何条目`);
    } finally {
      file.close();
    }
    await link(partial, out); // refuses an existing file, unlike rename
  } finally {
    await unlink(partial).catch(() => undefined);
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('LOCK TABLE evidence_archives IN EXCLUSIVE MODE');
    const now = await readArchiveAnchor(client);
    if (now?.throughSeq !== anchor?.throughSeq)
      throw new Error(
        `另一次归档已在此期间完成（至第 ${now?.throughSeq} 条）；本次的文件 ${out} 作废`,
      );
    await client.query(
      `INSERT INTO evidence_archives
         (through_seq, from_seq, hash, checkpoint, archive_sha256, archive_name, archived_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        header.throughSeq,
        header.fromSeq,
        header.hash,
        header.checkpoint,
        written.sha256,
        path.basename(out),
        archivedBy,
      ],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const deleted = await deleteArchivedEntries(pool, batchSize);
  return {
    ok: true,
    fromSeq: header.fromSeq,
    throughSeq: header.throughSeq,
    entries: written.entries,
    sha256: written.sha256,
    deleted,
    recordedAt: checkpoint.recordedAt,
  };
}

/** Write the header and the entries it announces to a new file, flushed to disk. */
async function writeArchive(
  db: Queryable,
  header: ArchiveHeader,
  file: string,
  batchSize: number,
): Promise<{ entries: number; sha256: string }> {
  const handle = await open(file, 'wx');
  const hash = createHash('sha256');
  let entries = 0;
  try {
    const write = async (text: string) => {
      const bytes = Buffer.from(text, 'utf8');
      hash.update(bytes);
      await handle.write(bytes);
    };
    await write(`${JSON.stringify(header)}\n`);
    let next = BigInt(header.fromSeq);
    const last = BigInt(header.throughSeq);
    while (next <= last) {
      const { rows } = await db.query<EvidenceRow>(
        `SELECT ${EVIDENCE_COLUMNS} FROM evidence_entries
          WHERE seq >= $1 AND seq <= $2 ORDER BY evidence_entries.seq LIMIT $3`,
        [next.toString(), header.throughSeq, batchSize],
      );
      if (rows.length === 0) break; // the read-back check names what is missing
      await write(rows.map((row) => `${JSON.stringify(evidenceFromRow(row))}\n`).join(''));
      entries += rows.length;
      next = BigInt(rows[rows.length - 1]!.seq) + 1n;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { entries, sha256: hash.digest('hex') };
}

/** Delete, in batches, the entries the archives cover; returns how many went. */
export async function deleteArchivedEntries(db: Queryable, batchSize = 10_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await db.query(
      `DELETE FROM evidence_entries WHERE seq IN (
         SELECT seq FROM evidence_entries
          WHERE seq <= (SELECT coalesce(max(through_seq), 0) FROM evidence_archives)
          ORDER BY seq LIMIT $1)`,
      [batchSize],
    );
    deleted += rowCount ?? 0;
    if (!rowCount) return deleted;
  }
}

/** One archive as `evidence_archives` records it. */
export interface EvidenceArchiveRecord {
  fromSeq: string;
  throughSeq: string;
  /** the hash of entry `throughSeq`: where the chain in the database continues from */
  hash: string;
  /** SHA-256 of the archive file: what its holder compares the file with */
  archiveSha256: string;
  archiveName: string;
  archivedAt: string;
  archivedBy: string;
  /** the signed checkpoint the archive was made from */
  checkpoint: string;
}

/** Every archive, newest first (one per operator run: a handful a year). */
export async function listEvidenceArchives(db: Queryable): Promise<EvidenceArchiveRecord[]> {
  if (!(await readArchiveAnchor(db))) return [];
  const { rows } = await db.query<{
    from_seq: string;
    through_seq: string;
    hash: string;
    archive_sha256: string;
    archive_name: string;
    archived_at: Date;
    archived_by: string;
    checkpoint: string;
  }>(
    `SELECT from_seq::text AS from_seq, through_seq::text AS through_seq, hash, archive_sha256,
            archive_name, archived_at, archived_by, checkpoint
       FROM evidence_archives ORDER BY through_seq DESC`,
  );
  return rows.map((row) => ({
    fromSeq: row.from_seq,
    throughSeq: row.through_seq,
    hash: row.hash,
    archiveSha256: row.archive_sha256,
    archiveName: row.archive_name,
    archivedAt: row.archived_at.toISOString(),
    archivedBy: row.archived_by,
    checkpoint: row.checkpoint,
  }));
}
