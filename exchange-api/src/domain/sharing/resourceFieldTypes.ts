import type { PrismaClient } from '@gx/migrations';
import type { FieldType } from '../policy/rowFilter.ts';

/** The information items of a resource as policy field types. */
export async function resourceFieldTypes(
  prisma: Pick<PrismaClient, 'informationItem'>,
  resourceId: string,
): Promise<Record<string, FieldType>> {
  const items = await prisma.informationItem.findMany({
    where: { resourceId },
    orderBy: { position: 'asc' },
  });
  return Object.fromEntries(items.map((i) => [i.name, i.dataType as FieldType]));
}
