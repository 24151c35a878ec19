import type { PrismaClient } from '@gx/migrations';
import { NotFoundError } from '@gx/platform';
import { departmentView } from './departmentView.ts';

export async function getDepartment({ prisma, code }: { prisma: PrismaClient; code: string }) {
  const department = await prisma.department.findUnique({
    where: { code },
    include: { region: true },
  });
  if (!department) throw new NotFoundError(`没有编码为 ${code} 的部门`);
  return departmentView(department);
}
