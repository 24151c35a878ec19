import type { Actor } from '@gx/platform';
import type {
  Department,
  Grant,
  GrantUsageDaily,
  Resource,
  SharingRequest,
  StatutoryFunction,
} from '@gx/migrations';
import type { Policy } from '../policy/compilePolicy.ts';

type RequestRow = SharingRequest & {
  resource: Resource;
  consumer: Department;
  provider: Department;
  legalBasisFunction: StatutoryFunction | null;
  grant: Grant | null;
};

/**
 * Requests and grants are seen by the two departments they concern (consumer and provider) and
 * by platform admins; anyone else is told they do not exist.
 */
export function isPartyTo(
  actor: Actor,
  parties: { consumer: Department; provider: Department },
): boolean {
  if (actor.kind === 'user' && actor.roles.includes('platform-admin')) return true;
  const department =
    actor.kind === 'user' || actor.kind === 'system' ? actor.departmentCode : undefined;
  return (
    department !== undefined &&
    (department === parties.consumer.code || department === parties.provider.code)
  );
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function requestView(r: RequestRow) {
  return {
    id: r.id,
    number: r.number,
    resource: { code: r.resource.code, name: r.resource.name, sharingType: r.resource.sharingType },
    consumer: { code: r.consumer.code, name: r.consumer.name },
    provider: { code: r.provider.code, name: r.provider.name },
    requestedBy: r.requestedBy,
    fields: r.fields,
    purposeCodes: r.purposeCodes,
    purposeText: r.purposeText,
    legalBasis: r.legalBasisFunction
      ? { code: r.legalBasisFunction.code, name: r.legalBasisFunction.name }
      : null,
    legalBasisText: r.legalBasisText,
    deliveryModes: r.deliveryModes,
    periodStart: day(r.periodStart),
    periodEnd: day(r.periodEnd),
    expectedVolume: r.expectedVolume,
    status: r.status,
    deadlineAt: iso(r.deadlineAt),
    decidedBy: r.decidedBy,
    decidedAt: iso(r.decidedAt),
    decisionReason: r.decisionReason,
    grantId: r.grant?.id ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

/** A grant's effective state: an active grant past its validity has expired, stored or not. */
export function effectiveGrantStatus(
  g: Pick<Grant, 'status' | 'validUntil'>,
  now = new Date(),
): Grant['status'] {
  if (g.status === 'active' && g.validUntil && g.validUntil.getTime() <= now.getTime())
    return 'expired';
  return g.status;
}

/** A grant status that stops delivery, in Chinese (`授权已暂停`, `（已撤销）`…). */
export const GRANT_STATUS_TEXT: Readonly<Record<string, string>> = {
  active: '有效',
  suspended: '已暂停',
  revoked: '已撤销',
  expired: '已过期',
};

export function grantView(
  g: Grant & {
    resource: Resource;
    consumer: Department;
    provider: Department;
    request: SharingRequest;
    /** today's row, if any (`grantInclude`) */
    usageDaily: GrantUsageDaily[];
  },
) {
  const policy = g.policy as unknown as Policy;
  const today = g.usageDaily[0];
  return {
    id: g.id,
    requestNumber: g.request.number,
    resource: { code: g.resource.code, name: g.resource.name },
    consumer: { code: g.consumer.code, name: g.consumer.name },
    provider: { code: g.provider.code, name: g.provider.name },
    policy,
    deliveryModes: g.deliveryModes,
    status: effectiveGrantStatus(g),
    statusReason: g.statusReason,
    validFrom: g.validFrom.toISOString(),
    validUntil: iso(g.validUntil),
    grantedBy: g.grantedBy,
    // counted only for grants with quotas (grantQuotas.ts): calls always, records only against
    // a records-per-day quota
    usageToday: policy.quotas
      ? {
          day: shanghaiToday(),
          requests: Number(today?.requests ?? 0),
          records: policy.quotas.recordsPerDay !== undefined ? Number(today?.records ?? 0) : null,
        }
      : null,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}

/** Today in Asia/Shanghai (UTC+8, no daylight saving), as `YYYY-MM-DD`: the quotas' day. */
function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export const REQUEST_INCLUDE = {
  resource: true,
  consumer: true,
  provider: true,
  legalBasisFunction: true,
  grant: true,
} as const;

/** What `grantView` needs of a grant: its parties, its request and today's quota usage. */
export function grantInclude() {
  return {
    resource: true,
    consumer: true,
    provider: true,
    request: true,
    usageDaily: { where: { day: new Date(`${shanghaiToday()}T00:00:00Z`) } },
  } as const;
}
