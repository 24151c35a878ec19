import type { PrismaClient } from '@gx/migrations';
import { departmentView } from './departmentView.ts';

/** The department directory is public information. */
export async function listDepartments({
  prisma,
  regionCode,
}: {
  prisma: PrismaClient;
  regionCode?: string;
}) {
  const departments = await prisma.department.findMany({
    where: regionCode ? { region: { code: regionCode } } : {},
    include: { region: true },
    orderBy: { code: 'asc' },
  });
  return departments.map(departmentView);
}
