import type { Actor } from '@gx/platform';
import type { Pool } from 'pg';
import { authorizeEvidenceRead } from './authorizeEvidenceRead.ts';
import { verifyEvidenceChain, type EvidenceVerification } from './verifyEvidenceChain.ts';

export interface RunEvidenceVerificationOptions {
  pool: Pool;
  actor: Actor;
}

/** `verifyEvidenceChain` on behalf of an auditor or platform admin. */
export async function runEvidenceVerification({
  pool,
  actor,
}: RunEvidenceVerificationOptions): Promise<EvidenceVerification & { checkedAt: string }> {
  authorizeEvidenceRead(actor);
  const result = await verifyEvidenceChain(pool);
  return { ...result, checkedAt: new Date().toISOString() };
}
