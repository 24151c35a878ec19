import { Prisma, type PrismaClient } from '@gx/migrations';
import { authorize, ConflictError, InputError, type Actor } from '@gx/platform';
import { actorName } from '../resources/actorName.ts';
import {
  harvestSourceColumns,
  rootRegionId,
  type HarvestSourceInput,
} from './harvestSourceInput.ts';
import { HARVEST_SOURCE_INCLUDE, harvestSourceView } from './harvestViews.ts';

export interface CreateHarvestSourceOptions {
  prisma: PrismaClient;
  actor: Actor;
  input: HarvestSourceInput;
}

/**
 * The platform admin registers a catalogue to harvest. A scheduled source is due at once, so
 * the scheduler's next tick runs it for the first time.
 */
export async function createHarvestSource({ prisma, actor, input }: CreateHarvestSourceOptions) {
  authorize(actor, 'harvest.manage', {}, 'write');
  const columns = await harvestSourceColumns(prisma, input);
  if (!columns.name || !columns.type || !columns.url || !columns.fallbackThemeCode) {
    throw new InputError('请填写来源名称、类型、地址和默认主题', [
      ...(['name', 'type', 'url', 'fallbackThemeCode'] as const)
        .filter((k) => !columns[k])
        .map((k) => ({ path: `/${k}`, message: '必填' })),
    ]);
  }
  const enabled = columns.enabled ?? true;
  const intervalMinutes = columns.intervalMinutes ?? null;
  try {
    const created = await prisma.harvestSource.create({
      data: {
        name: columns.name,
        type: columns.type,
        url: columns.url,
        fallbackThemeCode: columns.fallbackThemeCode,
        regionId: columns.regionId ?? (await rootRegionId(prisma)),
        intervalMinutes,
        enabled,
        nextRunAt: enabled && intervalMinutes !== null ? new Date() : null,
        createdBy: actorName(actor).actor,
      },
      include: HARVEST_SOURCE_INCLUDE,
    });
    return harvestSourceView(created);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ConflictError(`已有名为「${columns.name}」的采集来源`);
    }
    throw error;
  }
}
