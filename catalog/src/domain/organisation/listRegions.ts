import type { PrismaClient } from '@gx/migrations';

const LEVEL_ORDER = { province: 0, city: 1, district: 2, street: 3 } as const;

/** Every region, parents before children (the order a tree is built in). */
export async function listRegions({ prisma }: { prisma: PrismaClient }) {
  const regions = await prisma.region.findMany({ include: { parent: true } });
  return regions
    .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.code.localeCompare(b.code))
    .map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level,
      parentCode: r.parent?.code ?? null,
    }));
}
