import { describeActor, type Actor } from '@gx/platform';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import type { OpenAccess, OpenedResource } from './openResource.ts';

/**
 * 存证 of one open-data delivery: who (an API key's id, or anonymous), which resource, how
 * (preview, query, get, download), how many records and the digest of exactly what was sent.
 * Returns the receipt.
 */
export function recordOpenDelivery(
  evidence: EvidenceSink,
  delivery: {
    actor: Actor;
    opened: OpenedResource;
    access: OpenAccess | 'get';
    recordCount: number;
    requestHash: string;
    deliveredDigest: string;
    details?: Record<string, unknown>;
  },
): Promise<unknown> {
  const { actor, opened } = delivery;
  return evidence.append({
    actor: describeActor(actor),
    actorKind: actor.kind,
    resourceCode: opened.resourceCode,
    operation: 'open-data',
    recordCount: delivery.recordCount,
    requestHash: delivery.requestHash,
    deliveredDigest: delivery.deliveredDigest,
    details: { access: delivery.access, openType: opened.openType, ...delivery.details },
  });
}
