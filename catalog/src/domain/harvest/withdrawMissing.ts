import type { PrismaClient } from '@gx/migrations';
import type { HarvestJobLog } from './HarvestJobLog.ts';

export interface WithdrawMissingOptions {
  prisma: PrismaClient;
  sourceId: string;
  /** history actor, `harvest:<source name>` */
  actor: string;
  /** identities the complete walk found */
  seen: ReadonlySet<string>;
  log: HarvestJobLog;
}

/**
 * After a complete walk, the local copies the source no longer lists are withdrawn: retired
 * (已下线, their history kept) and logged. Each is guarded by its status, so a copy changed
 * meanwhile is left for the next run.
 */
export async function withdrawMissing({
  prisma,
  sourceId,
  actor,
  seen,
  log,
}: WithdrawMissingOptions): Promise<void> {
  const active = await prisma.resource.findMany({
    where: { harvestSourceId: sourceId, status: { not: 'retired' } },
    select: { id: true, code: true, status: true, harvestIdentifier: true, harvestRemoteId: true },
  });
  for (const r of active) {
    if (r.harvestIdentifier !== null && seen.has(r.harvestIdentifier)) continue;
    const done = await prisma.$transaction(async (tx) => {
      const now = new Date();
      const updated = await tx.resource.updateMany({
        where: { id: r.id, status: r.status },
        data: { status: 'retired', retiredAt: now, revision: { increment: 1 } },
      });
      if (updated.count === 0) return false;
      await tx.resourceChange.create({
        data: {
          resourceId: r.id,
          action: 'retire',
          actor,
          actorKind: 'harvest',
          comment: '来源目录中已不再有此条目，随之下线',
          diff: [{ path: '/status', before: r.status, after: 'retired' }],
          fromStatus: r.status,
          toStatus: 'retired',
          at: now,
        },
      });
      return true;
    });
    if (done) {
      await log.add({
        action: 'withdrawn',
        identifier: r.harvestIdentifier,
        remoteId: r.harvestRemoteId,
        resourceCode: r.code,
        message: '来源目录中已不存在，已下线',
      });
    }
  }
}
