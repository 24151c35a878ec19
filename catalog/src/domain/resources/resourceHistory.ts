import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { loadVisibleResource } from './loadResource.ts';
import { staffNames } from './staffNames.ts';

/** Every change of a resource, oldest first: who, when, what step, the comment and the diff. */
/** how the public history names who made a change */
const PUBLIC_ACTOR: Readonly<Record<string, string>> = {
  user: '政务工作人员',
  system: '部门系统',
  other: '平台',
};

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
  // staff accounts are named to staff only: the public history of an open dataset says that
  // government staff (or a department system) made the change, not who
  const staff = actor.kind === 'user' || actor.kind === 'system';
  const names = await staffNames(
    prisma,
    actor,
    changes.filter((c) => c.actorKind === 'user').map((c) => c.actor),
  );
  return changes.map((c) => ({
    id: Number(c.id),
    action: c.action,
    actor: staff ? c.actor : (PUBLIC_ACTOR[c.actorKind] ?? PUBLIC_ACTOR.other!),
    actorName: c.actorKind === 'user' ? (names.get(c.actor) ?? null) : null,
    actorKind: c.actorKind,
    comment: c.comment,
    fromStatus: c.fromStatus,
    toStatus: c.toStatus,
    at: c.at.toISOString(),
    diff: c.diff as { path: string; before: unknown; after: unknown }[],
  }));
}
