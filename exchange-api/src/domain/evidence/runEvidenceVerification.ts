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
}

/** `verifyEvidenceChain` on behalf of an auditor or platform admin. */
export async function runEvidenceVerification({
  pool,
  actor,
  evidence,
  checkpoint,
}: RunEvidenceVerificationOptions): Promise<EvidenceVerification & { checkedAt: string }> {
  authorizeEvidenceRead(actor);
  const checkpoints =
    checkpoint === undefined
      ? []
      : [openCheckpoint(checkpoint, (await evidence.publicJwks()).keys)];
  const result = await verifyEvidenceChain(pool, { checkpoints });
  return { ...result, checkedAt: new Date().toISOString() };
}
