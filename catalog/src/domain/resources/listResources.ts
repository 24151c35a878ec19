import type { Prisma, PrismaClient, ResourceStatus } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { dataAuthorityCodes } from './loadResource.ts';
import { RESOURCE_INCLUDE, resourceView } from './resourceView.ts';
import { visibleResources } from './visibility.ts';

export interface ResourceFilters {
  department?: string;
  region?: string;
  theme?: string;
  status?: ResourceStatus;
  sharingType?: 'unconditional' | 'conditional' | 'none';
  openType?: 'open' | 'conditional' | 'none';
  codes?: string[];
}

export function resourceFilterWhere(filters: ResourceFilters): Prisma.ResourceWhereInput {
  return {
    // department and region both constrain the provider: AND them, never let one overwrite the other
    AND: [
      filters.department ? { provider: { code: filters.department } } : {},
      filters.region ? { provider: { region: { code: filters.region } } } : {},
    ],
    ...(filters.theme ? { themeCode: filters.theme } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.sharingType ? { sharingType: filters.sharingType } : {}),
    ...(filters.openType ? { openType: filters.openType } : {}),
    ...(filters.codes ? { code: { in: filters.codes } } : {}),
  };
}

/** The entries the caller may see, filtered, newest change first, one page at a time. */
export async function listResources({
  prisma,
  actor,
  filters,
  page = 1,
  pageSize = 20,
}: {
  prisma: PrismaClient;
  actor: Actor;
  filters: ResourceFilters;
  page?: number;
  pageSize?: number;
}) {
  const where: Prisma.ResourceWhereInput = {
    AND: [visibleResources(actor, await dataAuthorityCodes(prisma)), resourceFilterWhere(filters)],
  };
  const [total, rows] = await Promise.all([
    prisma.resource.count({ where }),
    prisma.resource.findMany({
      where,
      include: RESOURCE_INCLUDE,
      orderBy: [{ updatedAt: 'desc' }, { code: 'asc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return { total, page, pageSize, items: rows.map(resourceView) };
}
