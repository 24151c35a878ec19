import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { dataAuthorityCodes } from '../resources/loadResource.ts';
import { reportScope } from './reportScope.ts';

/**
 * 依职能按需共享: statutory functions that no current entry cites (data the department should
 * catalogue), and published entries that cite no function (data without a stated mandate).
 */
export async function gapReport({ prisma, actor }: { prisma: PrismaClient; actor: Actor }) {
  const only = reportScope(actor, await dataAuthorityCodes(prisma));
  const department = only ? { code: only } : {};
  const [functions, resources] = await Promise.all([
    prisma.statutoryFunction.findMany({
      where: { department, resources: { none: { status: { not: 'retired' } } } },
      include: { department: true },
      orderBy: [{ department: { code: 'asc' } }, { code: 'asc' }],
    }),
    prisma.resource.findMany({
      where: { provider: department, status: 'published', functionId: null },
      include: { provider: true },
      orderBy: { code: 'asc' },
    }),
  ]);
  return {
    functionsWithoutResource: functions.map((f) => ({
      code: f.code,
      name: f.name,
      departmentCode: f.department.code,
      departmentName: f.department.name,
    })),
    resourcesWithoutFunction: resources.map((r) => ({
      code: r.code,
      name: r.name,
      departmentCode: r.provider.code,
      departmentName: r.provider.name,
    })),
  };
}
