import type { Pool, PoolClient } from 'pg';
import { evidenceHash, GENESIS_HASH } from './evidenceEntry.ts';
import { EVIDENCE_COLUMNS, evidenceFromRow, type EvidenceRow } from './evidenceRow.ts';

/**
 * How the first broken entry is broken:
 * - `altered`: its stored content no longer hashes to its `hash` (a value was changed);
 * - `link`: its `prev_hash` is not the hash of the entry before it (the link was changed, or the
 *   entry before it was rewritten together with its hash);
 * - `gap`: entries are missing from the middle (deleted rows) — `seq` names the first missing;
 * - `truncated`: entries are missing from the end (the chain head remembers more);
 * - `head`: the chain head's hash does not match the last entry.
 */
export type EvidenceProblem = 'altered' | 'link' | 'gap' | 'truncated' | 'head';

export interface BrokenEvidence {
  seq: string;
  /** the entry's id; null when the entry is missing (`gap`, `truncated`) */
  id: string | null;
  problem: EvidenceProblem;
  /** one sentence for people */
  reason: string;
}

export type EvidenceVerification = { head: { seq: string; hash: string } } & (
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
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

/**
 * Walk the whole chain in seq order and recompute it: every entry's hash from its content, every
 * prev_hash against the entry before, no seq missing, and the last entry against the chain
 * head. Stops at the first broken entry and names it. Entries appended while the walk runs
 * (after the head it read first) are left for the next run, so it can run on a live system.
 */
export async function verifyEvidenceChain(
  db: Queryable,
  { batchSize = 5_000 }: VerifyEvidenceChainOptions = {},
): Promise<EvidenceVerification> {
  const { rows: headRows } = await db.query<{ seq: string; hash: string }>(
    `SELECT seq::text AS seq, hash FROM evidence_chain_head WHERE id = 1`,
  );
  if (!headRows[0]) throw new Error('evidence_chain_head has no row: is the migration applied?');
  const head = headRows[0];
  const headSeq = BigInt(head.seq);

  let expected = 1n;
  let prevHash = GENESIS_HASH;
  let lastId: string | null = null;
  let entries = 0;
  const broken = (firstBroken: BrokenEvidence): EvidenceVerification => ({
    ok: false,
    entries,
    firstBroken,
    head,
  });

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
      const entry = evidenceFromRow(row);
      if (evidenceHash(entry) !== row.hash) {
        return broken({
          seq: row.seq,
          id: row.id,
          problem: 'altered',
          reason: 'hash does not match the content: a stored value was changed',
        });
      }
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
  return { ok: true, entries, head };
}
