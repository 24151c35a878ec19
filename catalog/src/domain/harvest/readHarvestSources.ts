import type { PrismaClient } from '@gx/migrations';
import { authorize, NotFoundError, type Actor } from '@gx/platform';
import { HARVEST_SOURCE_INCLUDE, harvestSourceView } from './harvestViews.ts';

/** Every harvest source, by name (platform admin). */
export async function listHarvestSources({
  prisma,
  actor,
}: {
  prisma: PrismaClient;
  actor: Actor;
}) {
  authorize(actor, 'harvest.manage', {}, 'write');
  const rows = await prisma.harvestSource.findMany({
    include: HARVEST_SOURCE_INCLUDE,
    orderBy: { name: 'asc' },
  });
  return rows.map(harvestSourceView);
}

export async function getHarvestSource({
  prisma,
  actor,
  id,
}: {
  prisma: PrismaClient;
  actor: Actor;
  id: string;
}) {
  authorize(actor, 'harvest.manage', {}, 'write');
  const row = await prisma.harvestSource.findUnique({
    where: { id },
    include: HARVEST_SOURCE_INCLUDE,
  });
  if (!row) throw new NotFoundError(`没有编号为 ${id} 的采集来源`);
  return harvestSourceView(row);
}
