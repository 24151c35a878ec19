import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { loadVisibleResource } from './loadResource.ts';

/** Every change of a resource, oldest first: who, when, what step, the comment and the diff. */
export async function resourceHistory({
  prisma,
  actor,
  code,
}: {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
}) {
  const resource = await loadVisibleResource(prisma, actor, code);
  const changes = await prisma.resourceChange.findMany({
    where: { resourceId: resource.id },
    orderBy: { id: 'asc' },
  });
  return changes.map((c) => ({
    id: Number(c.id),
    action: c.action,
    actor: c.actor,
    actorKind: c.actorKind,
    comment: c.comment,
    fromStatus: c.fromStatus,
    toStatus: c.toStatus,
    at: c.at.toISOString(),
    diff: c.diff as { path: string; before: unknown; after: unknown }[],
  }));
}
