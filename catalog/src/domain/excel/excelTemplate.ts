import type { Writable } from 'node:stream';
import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { writeWorkbook } from './writeWorkbook.ts';

export interface ExcelTemplateOptions {
  prisma: PrismaClient;
  actor: Actor;
  out: Writable;
}

/** The caller's department's statutory functions (none for callers without a department). */
export async function departmentFunctions(prisma: PrismaClient, actor: Actor) {
  const departmentCode =
    actor.kind === 'user' || actor.kind === 'system' ? actor.departmentCode : undefined;
  if (!departmentCode) return [];
  return prisma.statutoryFunction.findMany({
    where: { department: { code: departmentCode } },
    select: { code: true, name: true },
    orderBy: { code: 'asc' },
  });
}

export async function directoryThemes(prisma: PrismaClient) {
  return prisma.theme.findMany({
    select: { code: true, name: true, kind: true },
    orderBy: { position: 'asc' },
  });
}

/**
 * The empty directory workbook. Anyone may download it; a steward's copy also offers their
 * department's statutory functions as a drop-down.
 */
export async function excelTemplate({ prisma, actor, out }: ExcelTemplateOptions): Promise<void> {
  const [themes, functions] = await Promise.all([
    directoryThemes(prisma),
    departmentFunctions(prisma, actor),
  ]);
  await writeWorkbook({
    out,
    themes,
    functions,
    // an empty directory
    resources: async function* () {},
  });
}
