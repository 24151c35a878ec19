import type { PrismaClient } from '@gx/migrations';
import { authorize, NotFoundError, type Actor } from '@gx/platform';
import { departmentView } from './departmentView.ts';

export interface UpdateDepartmentOptions {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
  changes: {
    shortName?: string | null;
    contactName?: string | null;
    contactPhone?: string | null;
    contactEmail?: string | null;
  };
}

/** A department's own details: its steward keeps them current; a platform admin may too. */
export async function updateDepartment({ prisma, actor, code, changes }: UpdateDepartmentOptions) {
  // the directory is public, so existence is no secret: a denied write answers 403
  const existing = await prisma.department.findUnique({ where: { code }, select: { id: true } });
  if (!existing) throw new NotFoundError(`没有编码为 ${code} 的部门`);
  authorize(actor, 'department.update', { departmentCode: code }, 'write');
  const updated = await prisma.department.update({
    where: { id: existing.id },
    data: changes,
    include: { region: true },
  });
  return departmentView(updated);
}
