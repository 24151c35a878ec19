import type { PrismaClient } from '@gx/migrations';
import { ConflictError, generateApiKey, type Actor } from '@gx/platform';
import type { Pool } from 'pg';
import { ownedApiKey } from './ownedApiKey.ts';
import { apiKeyView } from './apiKeyView.ts';

/** New secret under the same key id; the previous key stops matching immediately. */
export async function rotateApiKey({
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
  if (key.status !== 'active') throw new ConflictError('已吊销的 API key 不能轮换');
  const generated = generateApiKey(key.keyId);
  const updated = await prisma.apiKey.update({
    where: { id: key.id },
    data: { secretHash: generated.secretHash, rotatedAt: new Date() },
  });
  return { apiKey: apiKeyView(updated), key: generated.key };
}
