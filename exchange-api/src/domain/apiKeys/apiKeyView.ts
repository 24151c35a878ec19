import type { ApiKey } from '@gx/migrations';

export function apiKeyView(k: ApiKey) {
  return {
    id: k.id,
    keyId: k.keyId,
    name: k.name,
    actions: k.actions,
    resources: k.resources,
    dailyQuota: k.dailyQuota,
    rateLimitPerSecond: k.rateLimitPerSecond,
    status: k.status,
    createdAt: k.createdAt.toISOString(),
    rotatedAt: k.rotatedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  };
}
