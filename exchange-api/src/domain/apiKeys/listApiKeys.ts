import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import type { Pool } from 'pg';
import { apiKeyOwner } from './ownedApiKey.ts';
import { apiKeyView } from './apiKeyView.ts';

export async function listApiKeys({
  prisma,
  pool,
  actor,
}: {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
}) {
  const ownerId = await apiKeyOwner(pool, actor);
  const keys = await prisma.apiKey.findMany({ where: { ownerId }, orderBy: { createdAt: 'desc' } });
  return keys.map(apiKeyView);
}
