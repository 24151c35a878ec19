import type { Writable } from 'node:stream';
import { Prisma, type PrismaClient } from '@gx/migrations';
import { InputError, type Actor } from '@gx/platform';
import { resourceFilterWhere, type ResourceFilters } from '../resources/listResources.ts';
import { dataAuthorityCodes } from '../resources/loadResource.ts';
import { RESOURCE_INCLUDE, resourceView, toResourceInput } from '../resources/resourceView.ts';
import { visibleResources } from '../resources/visibility.ts';
import { departmentFunctions, directoryThemes } from './excelTemplate.ts';
import { writeWorkbook, type ExportedResource } from './writeWorkbook.ts';

export interface ExportWorkbookOptions {
  prisma: PrismaClient;
  actor: Actor;
  filters: ResourceFilters;
  out: Writable;
  /** called once the selection is known to be exportable, before the first byte is written */
  onStart?: (resources: number) => void;
}

/** An export larger than this is refused: narrow the selection (by department, theme …). */
export const MAX_EXPORT_RESOURCES = 20_000;
const BATCH = 200;

/**
 * The resources the caller may see that match the filters, as a directory workbook with
 * 资源代码 filled. The two sheets are written from one REPEATABLE READ snapshot, read in
 * batches by code, so that the item sheet matches the resource sheet even while others edit.
 */
export async function exportWorkbook({
  prisma,
  actor,
  filters,
  out,
  onStart,
}: ExportWorkbookOptions): Promise<number> {
  const where: Prisma.ResourceWhereInput = {
    AND: [visibleResources(actor, await dataAuthorityCodes(prisma)), resourceFilterWhere(filters)],
  };
  const total = await prisma.resource.count({ where });
  if (total > MAX_EXPORT_RESOURCES) {
    throw new InputError(
      `所选范围有 ${total} 个信息资源，一次最多导出 ${MAX_EXPORT_RESOURCES} 个`,
      [{ path: '/query', message: '请按部门、主题或状态缩小范围' }],
    );
  }
  const [themes, functions] = await Promise.all([
    directoryThemes(prisma),
    departmentFunctions(prisma, actor),
  ]);
  onStart?.(total);
  await prisma.$transaction(
    async (tx) => {
      async function* batches(): AsyncIterable<ExportedResource[]> {
        let after: string | undefined;
        for (;;) {
          const rows = await tx.resource.findMany({
            where: after ? { AND: [where, { code: { gt: after } }] } : where,
            include: RESOURCE_INCLUDE,
            orderBy: { code: 'asc' },
            take: BATCH,
          });
          if (rows.length === 0) return;
          yield rows.map((row) => ({ ...toResourceInput(resourceView(row)), code: row.code }));
          after = rows.at(-1)!.code;
        }
      }
      await writeWorkbook({ out, themes, functions, resources: batches });
    },
    {
      isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
      maxWait: 10_000,
      timeout: 10 * 60_000,
    },
  );
  return total;
}
