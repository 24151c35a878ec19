import type { PrismaClient } from '@gx/migrations';
import { NotFoundError, type Actor } from '@gx/platform';
import { RESOURCE_INCLUDE, type ResourceRow } from './resourceView.ts';
import { visibleResources } from './visibility.ts';

export async function dataAuthorityCodes(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.department.findMany({
    where: { isDataAuthority: true },
    select: { code: true },
  });
  return rows.map((r) => r.code);
}

/**
 * A resource the caller may see, or 404 — the same answer whether it does not exist or the
 * caller may not know about it.
 */
export async function loadVisibleResource(
  prisma: PrismaClient,
  actor: Actor,
  code: string,
): Promise<ResourceRow> {
  const row = await prisma.resource.findFirst({
    where: { AND: [{ code }, visibleResources(actor, await dataAuthorityCodes(prisma))] },
    include: RESOURCE_INCLUDE,
  });
  if (!row) throw new NotFoundError(`没有代码为 ${code} 的信息资源`);
  return row;
}
