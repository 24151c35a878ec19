import type { Pool, PoolClient } from 'pg';
import { openCheckpoint, type CheckpointPayload } from './evidenceCheckpoint.ts';
import type { ReceiptPublicJwk } from './ReceiptSigner.ts';

export type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Where the chain in the database continues from after archives: the last archive's end. */
export interface ArchiveAnchor {
  throughSeq: string;
  hash: string;
  /** the signed checkpoint the archive was made from */
  checkpoint: string;
}

/**
 * The last archive's anchor; undefined while nothing was archived, or in a database restored
 * from a dump older than archiving (no `evidence_archives` yet: `npm run restore` verifies it
 * before the services migrate it).
 */
export async function readArchiveAnchor(db: Queryable): Promise<ArchiveAnchor | undefined> {
  const { rows: tables } = await db.query<{ present: boolean }>(
    `SELECT to_regclass('evidence_archives') IS NOT NULL AS present`,
  );
  if (!tables[0]?.present) return undefined;
  const { rows } = await db.query<{ through_seq: string; hash: string; checkpoint: string }>(
    `SELECT through_seq::text AS through_seq, hash, checkpoint
       FROM evidence_archives ORDER BY through_seq DESC LIMIT 1`,
  );
  const row = rows[0];
  return row && { throughSeq: row.through_seq, hash: row.hash, checkpoint: row.checkpoint };
}

/**
 * Does the anchor carry the platform's signature over its own seq and hash? A reason when not:
 * an anchor row written by hand (to hide a rewrite of what it covers) would need the key.
 */
export function anchorProblem(
  anchor: ArchiveAnchor,
  keys: readonly ReceiptPublicJwk[],
): string | undefined {
  let signed: CheckpointPayload;
  try {
    signed = openCheckpoint(anchor.checkpoint, keys);
  } catch (error) {
    return `the archive anchor at entry ${anchor.throughSeq} has no valid checkpoint: ${(error as Error).message}`;
  }
  if (signed.seq !== anchor.throughSeq || signed.hash !== anchor.hash)
    return `the archive anchor (entry ${anchor.throughSeq}) is not the head its checkpoint signed (entry ${signed.seq})`;
  return undefined;
}
