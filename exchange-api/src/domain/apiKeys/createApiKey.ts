import type { PrismaClient } from '@gx/migrations';
import { ConflictError, generateApiKey, type Actor } from '@gx/platform';
import type { Pool } from 'pg';
import { apiKeyOwner } from './ownedApiKey.ts';
import { apiKeyView } from './apiKeyView.ts';
import { refuseUnapprovedConditional } from '../openApplications/conditionalScope.ts';

/** More active keys than this per developer is a sign of keys being lost, not used. */
export const MAX_ACTIVE_KEYS = 20;

export interface CreateApiKeyOptions {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  name: string;
  actions?: string[];
  resources?: string[];
  dailyQuota?: number;
  rateLimitPerSecond?: number;
}

/**
 * Create a key; the whole key is returned once and only its secret's hash is kept. A key made
 * here cannot list a 有条件开放 resource: those keys come from an approved open application.
 */
export async function createApiKey({ prisma, pool, actor, ...input }: CreateApiKeyOptions) {
  const ownerId = await apiKeyOwner(pool, actor);
  await refuseUnapprovedConditional(pool, input.resources ?? [], null);
  const active = await prisma.apiKey.count({ where: { ownerId, status: 'active' } });
  if (active >= MAX_ACTIVE_KEYS)
    throw new ConflictError(`每个账号最多 ${MAX_ACTIVE_KEYS} 个有效 API key，请先吊销不用的`);
  const generated = generateApiKey();
  const created = await prisma.apiKey.create({
    data: {
      keyId: generated.keyId,
      secretHash: generated.secretHash,
      ownerId,
      name: input.name,
      actions: input.actions ?? ['read'],
      resources: input.resources ?? ['*'],
      dailyQuota: input.dailyQuota ?? 10_000,
      rateLimitPerSecond: input.rateLimitPerSecond ?? 10,
    },
  });
  return { apiKey: apiKeyView(created), key: generated.key };
}
