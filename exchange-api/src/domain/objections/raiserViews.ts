import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import { ConflictError, NotAllowedError, NotFoundError, type Actor } from '@gx/platform';
import { loadOpenResource, servedPolicy } from '../open/openResource.ts';
import { compilePolicy, type CompiledPolicy } from '../policy/compilePolicy.ts';
import { resourceFieldTypes } from '../sharing/resourceFieldTypes.ts';
import { effectiveGrantStatus } from '../sharing/views.ts';
import type { RaiserIdentity } from './objectionParties.ts';

/** One way the raiser sees the resource's data: under a grant, or as open data. */
export interface DataView {
  grantId: string | null;
  policy: CompiledPolicy;
}

interface ResourceRef {
  id: string;
  code: string;
  openType: 'open' | 'conditional' | 'none';
  provider: { code: string };
}

/**
 * What the raiser sees of a resource, which bounds what it may object to: a department under
 * each of its active grants (their fields, masks and row filters), or, without a grant, as open
 * data when the resource is open; a person or API key only as open data (the steward's open
 * policy). Objecting to data one cannot see would let a caller probe it.
 */
export async function raiserViews({
  prisma,
  pool,
  actor,
  identity,
  resource,
  now = new Date(),
}: {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  identity: RaiserIdentity;
  resource: ResourceRef;
  now?: Date;
}): Promise<DataView[]> {
  const isOpen = resource.openType !== 'none';
  if ('departmentCode' in identity) {
    if (identity.departmentCode === resource.provider.code)
      throw new ConflictError('不能对本部门自己的数据提出异议，请直接更正');
    const grants = (
      await prisma.grant.findMany({
        where: {
          resourceId: resource.id,
          consumer: { code: identity.departmentCode },
          status: 'active',
          validFrom: { lte: now },
        },
        orderBy: { createdAt: 'asc' },
      })
    ).filter((g) => effectiveGrantStatus(g, now) === 'active');
    if (grants.length > 0) {
      const types = await resourceFieldTypes(prisma, resource.id);
      return grants.map((g) => ({
        grantId: g.id,
        policy: compilePolicy(g.policy, types, Buffer.from(g.pseudonymKey)),
      }));
    }
    if (!isOpen) throw new NotAllowedError('本部门没有该资源的有效授权，不能提出异议');
  } else {
    if (!isOpen) throw new NotFoundError(`没有已发布的信息资源 ${resource.code}`);
    if (
      actor.kind === 'api-key' &&
      !actor.resources.includes('*') &&
      !actor.resources.includes(resource.code)
    ) {
      throw new NotAllowedError(`此 API key 的授权范围不含资源 ${resource.code}`);
    }
  }
  const open = await loadOpenResource(pool, resource.code);
  return [{ grantId: null, policy: servedPolicy(open!) }];
}
