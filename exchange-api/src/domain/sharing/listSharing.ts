import type { Prisma, PrismaClient } from '@gx/migrations';
import { hasRole, NotAllowedError, UnauthenticatedError, type Actor } from '@gx/platform';
import { grantInclude, grantView, REQUEST_INCLUDE, requestView } from './views.ts';

function departmentOf(actor: Actor): string | undefined {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要登录或访问令牌');
  if (actor.kind === 'user' && hasRole(actor, 'platform-admin')) return undefined;
  if ((actor.kind === 'user' || actor.kind === 'system') && actor.departmentCode)
    return actor.departmentCode;
  throw new NotAllowedError('共享申请只对部门开放');
}

/**
 * Requests the caller's department made (`consumer`) or received (`provider`: the approvers'
 * inbox, oldest deadline first). Platform admins see all.
 */
export async function listSharingRequests({
  prisma,
  actor,
  side,
  status,
}: {
  prisma: PrismaClient;
  actor: Actor;
  side: 'consumer' | 'provider';
  status?: Prisma.SharingRequestWhereInput['status'];
}) {
  const department = departmentOf(actor);
  const requests = await prisma.sharingRequest.findMany({
    where: {
      ...(department
        ? side === 'consumer'
          ? { consumer: { code: department } }
          : { provider: { code: department } }
        : {}),
      ...(status ? { status } : {}),
    },
    include: REQUEST_INCLUDE,
    orderBy:
      side === 'provider'
        ? [{ deadlineAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }]
        : [{ createdAt: 'desc' }],
    take: 500,
  });
  return requests.map(requestView);
}

export async function listGrants({
  prisma,
  actor,
  side,
}: {
  prisma: PrismaClient;
  actor: Actor;
  side: 'consumer' | 'provider';
}) {
  const department = departmentOf(actor);
  const grants = await prisma.grant.findMany({
    where: department
      ? side === 'consumer'
        ? { consumer: { code: department } }
        : { provider: { code: department } }
      : {},
    include: grantInclude(),
    orderBy: { createdAt: 'desc' },
    take: 500,
  });
  return grants.map((g) => grantView(g));
}
