import { Prisma, type PrismaClient } from '@gx/migrations';
import { authorize, ConflictError, NotFoundError, type Actor } from '@gx/platform';
import { harvestSourceColumns, type HarvestSourceInput } from './harvestSourceInput.ts';
import { HARVEST_SOURCE_INCLUDE, harvestSourceView } from './harvestViews.ts';

export interface UpdateHarvestSourceOptions {
  prisma: PrismaClient;
  actor: Actor;
  id: string;
  changes: HarvestSourceInput;
}

/**
 * Change a source. Its schedule follows: disabled or manual-only sources are not due; a source
 * newly scheduled is due at once; a new interval counts from the last run.
 */
export async function updateHarvestSource({
  prisma,
  actor,
  id,
  changes,
}: UpdateHarvestSourceOptions) {
  authorize(actor, 'harvest.manage', {}, 'write');
  const before = await prisma.harvestSource.findUnique({
    where: { id },
    include: { lastJob: true },
  });
  if (!before) throw new NotFoundError(`没有编号为 ${id} 的采集来源`);
  const columns = await harvestSourceColumns(prisma, changes);
  const enabled = columns.enabled ?? before.enabled;
  const interval =
    columns.intervalMinutes !== undefined ? columns.intervalMinutes : before.intervalMinutes;
  let nextRunAt: Date | null;
  if (!enabled || interval === null) nextRunAt = null;
  else if (before.nextRunAt === null) nextRunAt = new Date();
  else if (interval !== before.intervalMinutes) {
    const from = before.lastJob?.startedAt ?? new Date();
    nextRunAt = new Date(from.getTime() + interval * 60_000);
  } else nextRunAt = before.nextRunAt;
  try {
    const updated = await prisma.harvestSource.update({
      where: { id },
      data: { ...columns, nextRunAt },
      include: HARVEST_SOURCE_INCLUDE,
    });
    return harvestSourceView(updated);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ConflictError(`已有名为「${columns.name}」的采集来源`);
    }
    throw error;
  }
}
