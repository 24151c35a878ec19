import type { Pool, PoolClient } from 'pg';
import { anchorProblem, readArchiveAnchor } from './archiveAnchor.ts';
import { readPublishedKeys, type CheckpointPayload } from './evidenceCheckpoint.ts';
import { evidenceHash, GENESIS_HASH } from './evidenceEntry.ts';
import { EVIDENCE_COLUMNS, evidenceFromRow, type EvidenceRow } from './evidenceRow.ts';

/**
 * How the first broken entry is broken:
 * - `altered`: its stored content no longer hashes to its `hash` (a value was changed);
 * - `link`: its `prev_hash` is not the hash of the entry before it (the link was changed, or the
 *   entry before it was rewritten together with its hash);
 * - `gap`: entries are missing from the middle (deleted rows) — `seq` names the first missing;
 * - `truncated`: entries are missing from the end (the chain head remembers more);
 * - `head`: the chain head's hash does not match the last entry;
 * - `checkpoint`: the chain is consistent in itself, but entry `seq` is not the one a signed
 *   checkpoint recorded (the chain was rewritten, hashes recomputed, up to that entry or
 *   before), or the chain is shorter than a checkpoint recorded (entries removed from its end
 *   together with the head).
 */
export type EvidenceProblem = 'altered' | 'link' | 'gap' | 'truncated' | 'head' | 'checkpoint';

export interface BrokenEvidence {
  seq: string;
  /** the entry's id; null when the entry is missing (`gap`, `truncated`) */
  id: string | null;
  problem: EvidenceProblem;
  /** one sentence for people */
  reason: string;
}

export type EvidenceVerification = {
  head: { seq: string; hash: string };
  /** signed checkpoints the chain was compared with (when any were given) */
  checkpoints?: number;
  /** an incremental walk: it began after this entry, the head of the `since` checkpoint */
  since?: string;
  /**
   * entries up to `throughSeq` were archived (`npm run evidence:archive`): the walk began after
   * them, from `hash`, the last archived entry's hash (its archive's checkpoint signs it)
   */
  archived?: { throughSeq: string; hash: string };
} & (
  | { ok: true; entries: number }
  | {
      ok: false;
      /** entries found intact before the first broken one */
      entries: number;
      firstBroken: BrokenEvidence;
    }
);

export interface VerifyEvidenceChainOptions {
  /** entries read per query (default 5 000) */
  batchSize?: number;
  /** signed chain heads kept by auditors (`openCheckpoint`): the chain must still contain them */
  checkpoints?: readonly CheckpointPayload[];
  /**
   * Walk only the entries after this signed head (incremental): the chain must still contain
   * it (it counts as one of the checkpoints), its entry must still hash to its content, and the
   * walk starts from its hash instead of the genesis value. Entries up to it are not walked
   * again, so a change to them is found by the next full walk, not by this one.
   */
  since?: CheckpointPayload;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** An entry whose stored content no longer hashes to its `hash`. */
function altered(row: EvidenceRow): BrokenEvidence | undefined {
  if (evidenceHash(evidenceFromRow(row)) === row.hash) return undefined;
  return {
    seq: row.seq,
    id: row.id,
    problem: 'altered',
    reason: 'hash does not match the content: a stored value was changed',
  };
}

/**
 * Walk the whole chain in seq order (or the part after `since`) and recompute it: every entry's
 * hash from its content, every prev_hash against the entry before, no seq missing, and the last
 * entry against the chain head. After an archive (`evidenceArchive.ts`) the chain starts from
 * its anchor, whose checkpoint must carry the platform's signature; the archived entries are
 * checked in their files (`verifyArchive`). Stops at the first broken entry and names it. Entries appended
 * while the walk runs (after the head it read first) are left for the next run, so it can run
 * on a live system.
 */
export async function verifyEvidenceChain(
  db: Queryable,
  { batchSize = 5_000, since, ...options }: VerifyEvidenceChainOptions = {},
): Promise<EvidenceVerification> {
  const anchor = await readArchiveAnchor(db);
  const archivedThrough = anchor ? BigInt(anchor.throughSeq) : 0n;
  // a checkpoint of an archived entry is checked against its archive file, not here
  const checkpoints = (
    since ? [since, ...(options.checkpoints ?? [])] : (options.checkpoints ?? [])
  ).filter((c) => c.seq === '0' || BigInt(c.seq) >= archivedThrough);
  const { rows: headRows } = await db.query<{ seq: string; hash: string }>(
    `SELECT seq::text AS seq, hash FROM evidence_chain_head WHERE id = 1`,
  );
  if (!headRows[0]) throw new Error('evidence_chain_head has no row: is the migration applied?');
  const head = headRows[0];
  const headSeq = BigInt(head.seq);

  const sinceSeq = since ? BigInt(since.seq) : 0n;
  // the walk begins after the `since` checkpoint or the archive anchor, whichever is later
  const start = sinceSeq > archivedThrough ? sinceSeq : archivedThrough;
  let expected = start + 1n;
  let prevHash = GENESIS_HASH;
  let lastId: string | null = null;
  let entries = 0;
  const checked = {
    ...(checkpoints.length > 0 ? { checkpoints: checkpoints.length } : {}),
    ...(since && sinceSeq >= archivedThrough ? { since: since.seq } : {}),
    ...(anchor ? { archived: { throughSeq: anchor.throughSeq, hash: anchor.hash } } : {}),
  };
  const broken = (firstBroken: BrokenEvidence): EvidenceVerification => ({
    ok: false,
    entries,
    firstBroken,
    head,
    ...checked,
  });
  // the hash each checkpointed seq must have (seq 0: the genesis value)
  const recorded = new Map(checkpoints.map((c) => [BigInt(c.seq), c]));
  const rewritten = (seq: bigint, hash: string, id: string | null): BrokenEvidence | undefined => {
    const checkpoint = recorded.get(seq);
    if (!checkpoint || checkpoint.hash === hash) return undefined;
    return {
      seq: seq.toString(),
      id,
      problem: 'checkpoint',
      reason: `entry ${seq} is not the one the checkpoint signed at ${checkpoint.issuedAt} recorded: the chain was rewritten, with its hashes recomputed, at this entry or before it`,
    };
  };
  // a checkpoint beyond the head: entries were removed from the end, head and all
  const shortened = (): BrokenEvidence | undefined => {
    const beyond = checkpoints
      .filter((c) => BigInt(c.seq) > headSeq)
      .sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1))[0];
    if (!beyond) return undefined;
    return {
      seq: beyond.seq,
      id: null,
      problem: 'checkpoint',
      reason: `the checkpoint signed at ${beyond.issuedAt} recorded ${beyond.seq} entries, the chain now has ${headSeq}: entries were removed from its end together with the chain head`,
    };
  };
  const genesis = rewritten(0n, GENESIS_HASH, null);
  if (genesis) return broken(genesis);
  if (anchor) {
    const unsigned = anchorProblem(anchor, await readPublishedKeys(db));
    if (unsigned)
      return broken({ seq: anchor.throughSeq, id: null, problem: 'checkpoint', reason: unsigned });
    if (archivedThrough > headSeq) {
      return broken({
        seq: (headSeq + 1n).toString(),
        id: null,
        problem: 'truncated',
        reason: `entries up to ${archivedThrough} were archived, but the chain head records only ${headSeq}`,
      });
    }
    const differs = rewritten(archivedThrough, anchor.hash, null);
    if (differs) return broken(differs);
    prevHash = anchor.hash;
  }
  if (start > headSeq) return broken(shortened()!);
  if (start > archivedThrough) {
    // the entries the walk starts after: the `since` checkpoint's and those of the checkpoints
    // before it (after the archive anchor), looked up
    const below = checkpoints
      .map((c) => BigInt(c.seq))
      .filter((seq) => seq > archivedThrough && seq <= start);
    const { rows } = await db.query<EvidenceRow>(
      `SELECT ${EVIDENCE_COLUMNS} FROM evidence_entries
        WHERE seq = ANY ($1::bigint[]) ORDER BY evidence_entries.seq`,
      [below.map(String)],
    );
    const stored = new Map(rows.map((row) => [BigInt(row.seq), row]));
    for (const seq of [...new Set(below)].sort((a, b) => (a < b ? -1 : 1))) {
      const row = stored.get(seq);
      if (!row) {
        return broken({
          seq: seq.toString(),
          id: null,
          problem: 'gap',
          reason: `entry ${seq}, which a signed checkpoint recorded, is missing (deleted)`,
        });
      }
      const changed = altered(row);
      if (changed) return broken(changed);
      const differs = rewritten(seq, row.hash, row.id);
      if (differs) return broken(differs);
      if (seq === start) lastId = row.id;
    }
    prevHash = since!.hash;
  }

  while (expected <= headSeq) {
    const { rows } = await db.query<EvidenceRow>(
      `SELECT ${EVIDENCE_COLUMNS} FROM evidence_entries
        WHERE seq >= $1 AND seq <= $2 ORDER BY evidence_entries.seq LIMIT $3`,
      [expected.toString(), head.seq, batchSize],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = BigInt(row.seq);
      if (seq !== expected) {
        const missing = seq - 1n === expected ? `${expected}` : `${expected}–${seq - 1n}`;
        return broken({
          seq: expected.toString(),
          id: null,
          problem: 'gap',
          reason: `entry ${missing} is missing (deleted): entry ${seq} (${row.id}) follows entry ${expected - 1n}`,
        });
      }
      if (row.prev_hash !== prevHash) {
        return broken({
          seq: row.seq,
          id: row.id,
          problem: 'link',
          reason:
            seq === 1n
              ? 'prev_hash is not the genesis value'
              : `prev_hash does not match the hash of entry ${seq - 1n} (this link was changed, or entry ${seq - 1n} was rewritten with a new hash)`,
        });
      }
      const changed = altered(row);
      if (changed) return broken(changed);
      const differs = rewritten(seq, row.hash, row.id);
      if (differs) return broken(differs);
      prevHash = row.hash;
      lastId = row.id;
      expected += 1n;
      entries += 1;
    }
  }

  if (expected <= headSeq) {
    const missing = expected === headSeq ? `${expected}` : `${expected}–${headSeq}`;
    return broken({
      seq: expected.toString(),
      id: null,
      problem: 'truncated',
      reason: `entry ${missing} is missing: the chain head records ${headSeq} entries, the log ends at ${expected - 1n}`,
    });
  }
  if (prevHash !== head.hash) {
    return broken({
      seq: head.seq,
      id: lastId,
      problem: 'head',
      reason: `the chain head's hash does not match entry ${head.seq}`,
    });
  }
  const cut = shortened();
  if (cut) return broken(cut);
  return { ok: true, entries, head, ...checked };
}
