import type { PrismaClient } from '@gx/migrations';
import { ConflictError, generateApiKey, type Actor } from '@gx/platform';
import type { Pool } from 'pg';
import { ownedApiKey } from './ownedApiKey.ts';
import { apiKeyView } from './apiKeyView.ts';
import { refuseUnapprovedConditional } from '../openApplications/conditionalScope.ts';

/**
 * New secret under the same key id; the previous key stops matching immediately. A key listing a
 * 有条件开放 resource is renewed only while the approved application behind it still holds.
 */
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
  await refuseUnapprovedConditional(pool, key.resources, key.id);
  const generated = generateApiKey(key.keyId);
  const updated = await prisma.apiKey.update({
    where: { id: key.id },
    data: { secretHash: generated.secretHash, rotatedAt: new Date() },
  });
  return { apiKey: apiKeyView(updated), key: generated.key };
}
