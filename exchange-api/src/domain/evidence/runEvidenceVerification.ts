import type { Actor } from '@gx/platform';
import type { Pool } from 'pg';
import { authorizeEvidenceRead } from './authorizeEvidenceRead.ts';
import { openCheckpoint } from './evidenceCheckpoint.ts';
import type { EvidenceLog } from './EvidenceLog.ts';
import { verifyEvidenceChain, type EvidenceVerification } from './verifyEvidenceChain.ts';

export interface RunEvidenceVerificationOptions {
  pool: Pool;
  actor: Actor;
  /** for the published keys a checkpoint must be signed with */
  evidence: EvidenceLog;
  /** a signed checkpoint (compact JWS) the chain must still contain */
  checkpoint?: string;
  /** a signed checkpoint (compact JWS) to walk on from: only the entries after it are walked */
  since?: string;
}

/** `verifyEvidenceChain` on behalf of an auditor or platform admin. */
export async function runEvidenceVerification({
  pool,
  actor,
  evidence,
  checkpoint,
  since,
}: RunEvidenceVerificationOptions): Promise<EvidenceVerification & { checkedAt: string }> {
  authorizeEvidenceRead(actor);
  const keys =
    checkpoint === undefined && since === undefined ? [] : (await evidence.publicJwks()).keys;
  const result = await verifyEvidenceChain(pool, {
    checkpoints: checkpoint === undefined ? [] : [openCheckpoint(checkpoint, keys, '/checkpoint')],
    since: since === undefined ? undefined : openCheckpoint(since, keys, '/since'),
  });
  return { ...result, checkedAt: new Date().toISOString() };
}
