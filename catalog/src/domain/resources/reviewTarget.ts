import type { PrismaClient } from '@gx/migrations';
import { authorize, isAllowed, type Actor, type AuthorizationTarget } from '@gx/platform';
import { dataAuthorityFor } from './dataAuthority.ts';
import type { ResourceRow } from './resourceView.ts';

export async function reviewTarget(
  prisma: PrismaClient,
  resource: ResourceRow,
): Promise<AuthorizationTarget> {
  return {
    departmentCode: resource.provider.code,
    dataAuthorityCode: await dataAuthorityFor(prisma, resource.provider.code),
  };
}

/** The provider's steward, or the reviewing data authority's approver. */
export async function authorizeStewardOrReviewer(
  prisma: PrismaClient,
  actor: Actor,
  resource: ResourceRow,
) {
  const target = await reviewTarget(prisma, resource);
  if (isAllowed(actor, 'resource.manage', target)) return;
  authorize(actor, 'resource.review', target, 'write');
}
