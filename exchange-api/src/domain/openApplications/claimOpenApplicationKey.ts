import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import { ConflictError, generateApiKey, NotFoundError, type Actor } from '@gx/platform';
import { MAX_ACTIVE_KEYS } from '../apiKeys/createApiKey.ts';
import { apiKeyView } from '../apiKeys/apiKeyView.ts';
import { applicantOf } from './applicantOf.ts';

/** A claimed key's daily quota when the provider set none: the normal key default. */
const DEFAULT_DAILY_QUOTA = 10_000;

/**
 * The applicant claims the key an approved application yields: it lists exactly the resource,
 * with the granted actions and quota. The whole key is returned this once (only its hash is
 * kept), so a second claim is 409 while that key works (rotating it gives a new secret); after
 * the key is revoked the approval yields a new one.
 */
export async function claimOpenApplicationKey({
  prisma,
  pool,
  actor,
  id,
  name,
}: {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  id: string;
  name?: string;
}) {
  const ownerId = await applicantOf(pool, actor);
  const application = await prisma.openApplication.findFirst({
    where: { id, applicantId: ownerId },
    include: { resource: true, apiKey: { select: { status: true } } },
  });
  if (!application) throw new NotFoundError('没有这个开放申请');
  if (application.status !== 'approved') throw new ConflictError('开放申请获批后才能领取 API key');
  // a claimed key that still works is the one key of this approval; once it is revoked (or
  // deleted) the approval may yield a new one
  const previousKey = application.apiKeyId;
  if (application.keyClaimedAt && application.apiKey?.status === 'active')
    throw new ConflictError('该申请的 API key 已领取过，如遗失请在 API key 列表中轮换');
  if (application.validUntil && application.validUntil.getTime() <= Date.now())
    throw new ConflictError('该开放申请的有效期已过，请重新申请');
  const active = await prisma.apiKey.count({ where: { ownerId, status: 'active' } });
  if (active >= MAX_ACTIVE_KEYS)
    throw new ConflictError(`每个账号最多 ${MAX_ACTIVE_KEYS} 个有效 API key，请先吊销不用的`);
  const generated = generateApiKey();
  const created = await prisma.$transaction(async (tx) => {
    const key = await tx.apiKey.create({
      data: {
        keyId: generated.keyId,
        secretHash: generated.secretHash,
        ownerId,
        name: name?.trim() || `开放申请：${application.resource.name}`.slice(0, 100),
        actions: application.grantedActions,
        resources: [application.resource.code],
        dailyQuota: application.dailyQuota ?? DEFAULT_DAILY_QUOTA,
      },
    });
    // only one claim wins, however many race
    const { count } = await tx.openApplication.updateMany({
      where: {
        id,
        status: 'approved',
        ...(application.keyClaimedAt ? { apiKeyId: previousKey } : { keyClaimedAt: null }),
      },
      data: { apiKeyId: key.id, keyClaimedAt: new Date() },
    });
    if (count === 0) throw new ConflictError('该申请的 API key 已领取过');
    return key;
  });
  return { apiKey: apiKeyView(created), key: generated.key };
}
