import { describeActor, type Actor } from '@gx/platform';
import type { EvidenceOperation } from '../evidence/evidenceEntry.ts';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import type { OpenedGrant } from '../sharing/openGrant.ts';

/**
 * 存证 of one delivery under a grant (query, get, verify, export, a subscription batch): who,
 * for which department, grant, purpose and resource, how many records and the digest of exactly
 * what was sent. Returns the receipt. Open-data deliveries have `recordOpenDelivery`.
 */
export function recordGrantDelivery(
  ctx: {
    evidence: EvidenceSink;
    actor: Actor;
    purpose: string | undefined;
    requestHash: string;
  },
  opened: OpenedGrant,
  delivery: {
    operation: EvidenceOperation;
    recordCount: number;
    deliveredDigest: string;
    details?: Record<string, unknown>;
  },
): Promise<unknown> {
  return ctx.evidence.append({
    actor: describeActor(ctx.actor),
    actorKind: ctx.actor.kind,
    department: opened.consumerCode,
    grantId: opened.grantId,
    purpose: ctx.purpose,
    resourceCode: opened.resourceCode,
    requestHash: ctx.requestHash,
    ...delivery,
  });
}
