import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import type { Pool } from 'pg';
import { ownedApiKey } from './ownedApiKey.ts';

/** Revoke: effective on the next call on every API process (keys are never cached). */
export async function revokeApiKey({
  prisma,
  pool,
  actor,
  id,
}: {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  id: string;
}) {
  const key = await ownedApiKey(prisma, pool, actor, id);
  if (key.status === 'revoked') return;
  await prisma.apiKey.update({
    where: { id: key.id },
    data: { status: 'revoked', revokedAt: new Date() },
  });
}
