import type { PrismaClient } from '@gx/migrations';
import { InputError } from '@gx/platform';
import { validateSourceUrl } from './validateSourceUrl.ts';

/** A source as an admin writes it (schemas/openapi/catalog-harvest.yaml, HarvestSourceInput). */
export interface HarvestSourceInput {
  name?: string;
  type?: 'ckan' | 'dcat';
  url?: string;
  /** 12-digit region code; default the root region (the province) */
  regionCode?: string;
  fallbackThemeCode?: string;
  intervalMinutes?: number | null;
  enabled?: boolean;
}

/**
 * The columns an input sets, after the checks the spec cannot make: the URL (http/https, no
 * credentials), and that the region and the fallback theme exist.
 */
export async function harvestSourceColumns(prisma: PrismaClient, input: HarvestSourceInput) {
  const columns: {
    name?: string;
    type?: string;
    url?: string;
    regionId?: string;
    fallbackThemeCode?: string;
    intervalMinutes?: number | null;
    enabled?: boolean;
  } = {};
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (name.length === 0)
      throw new InputError('来源名称不能为空', [{ path: '/name', message: '必填' }]);
    columns.name = name;
  }
  if (input.type !== undefined) columns.type = input.type;
  if (input.url !== undefined) columns.url = validateSourceUrl(input.url);
  if (input.regionCode !== undefined) {
    const region = await prisma.region.findUnique({ where: { code: input.regionCode } });
    if (!region) {
      throw new InputError('行政区划不存在', [
        { path: '/regionCode', message: `没有行政区划 ${input.regionCode}` },
      ]);
    }
    columns.regionId = region.id;
  }
  if (input.fallbackThemeCode !== undefined) {
    const theme = await prisma.theme.findUnique({ where: { code: input.fallbackThemeCode } });
    if (!theme) {
      throw new InputError('主题分类不存在', [
        { path: '/fallbackThemeCode', message: `没有主题分类 ${input.fallbackThemeCode}` },
      ]);
    }
    columns.fallbackThemeCode = theme.code;
  }
  if (input.intervalMinutes !== undefined) columns.intervalMinutes = input.intervalMinutes;
  if (input.enabled !== undefined) columns.enabled = input.enabled;
  return columns;
}

/** The root of the region tree (the province this instance serves). */
export async function rootRegionId(prisma: PrismaClient): Promise<string> {
  const root = await prisma.region.findFirst({
    where: { parentId: null },
    orderBy: { code: 'asc' },
  });
  if (!root)
    throw new InputError('尚未配置行政区划，请指明 regionCode', [
      { path: '/regionCode', message: '必填' },
    ]);
  return root.id;
}
