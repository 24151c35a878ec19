import type { Prisma } from '@gx/migrations';

/** What every read of an application joins: the resource, its provider and the 用途类别. */
export const APPLICATION_INCLUDE = {
  resource: { include: { provider: true } },
  purposeCategory: true,
} satisfies Prisma.OpenApplicationInclude;

export type OpenApplicationRow = Prisma.OpenApplicationGetPayload<{
  include: typeof APPLICATION_INCLUDE;
}>;

/** An application as the applicant and the provider see it (schema OpenApplication). */
export function openApplicationView(a: OpenApplicationRow) {
  return {
    id: a.id,
    resourceCode: a.resource.code,
    resourceName: a.resource.name,
    providerCode: a.resource.provider.code,
    providerName: a.resource.provider.name,
    purpose: a.purpose,
    purposeCode: a.purposeCode,
    purposeName: a.purposeCategory?.name ?? null,
    realName: a.realName,
    organisation: a.organisation,
    contact: a.contact,
    intendedUse: a.intendedUse,
    actions: a.actions,
    // an approval past its validity reads as expired before anyone stores it so
    status:
      a.status === 'approved' && a.validUntil && a.validUntil.getTime() <= Date.now()
        ? 'expired'
        : a.status,
    grantedActions: a.grantedActions,
    dailyQuota: a.dailyQuota,
    validUntil: a.validUntil?.toISOString() ?? null,
    decidedAt: a.decidedAt?.toISOString() ?? null,
    rejectReason: a.rejectReason,
    apiKeyId: a.apiKeyId,
    keyClaimed: a.keyClaimedAt !== null,
    createdAt: a.createdAt.toISOString(),
  };
}
