import type { PrismaClient } from '@gx/migrations';
import {
  authorize,
  NotFoundError,
  requirePrincipalActor,
  resolveLocalUser,
  type Actor,
} from '@gx/platform';
import type { Pool } from 'pg';

/** The local user id of a caller allowed to manage API keys. */
export async function apiKeyOwner(pool: Pool, actor: Actor): Promise<string> {
  authorize(actor, 'apikey.manage', {}, 'write');
  return resolveLocalUser(pool, requirePrincipalActor(actor));
}

/** One of the caller's own keys; someone else's key answers 404 like a missing one. */
export async function ownedApiKey(prisma: PrismaClient, pool: Pool, actor: Actor, id: string) {
  const ownerId = await apiKeyOwner(pool, actor);
  const key = await prisma.apiKey.findFirst({ where: { id, ownerId } });
  if (!key) throw new NotFoundError('没有这个 API key');
  return key;
}
