import { Prisma, type PrismaClient } from '@gx/migrations';
import { authorize, ConflictError, NotFoundError, type Actor } from '@gx/platform';

export async function listFunctions({
  prisma,
  departmentCode,
}: {
  prisma: PrismaClient;
  departmentCode?: string;
}) {
  const functions = await prisma.statutoryFunction.findMany({
    where: departmentCode ? { department: { code: departmentCode } } : {},
    include: { department: true, _count: { select: { resources: true } } },
    orderBy: [{ department: { code: 'asc' } }, { code: 'asc' }],
  });
  return functions.map((f) => ({
    code: f.code,
    name: f.name,
    description: f.description,
    departmentCode: f.department.code,
    resourceCount: f._count.resources,
  }));
}

/** 三定职责 are maintained by the department's steward (or a platform admin). */
export async function createFunction({
  prisma,
  actor,
  departmentCode,
  code,
  name,
  description,
}: {
  prisma: PrismaClient;
  actor: Actor;
  departmentCode: string;
  code: string;
  name: string;
  description?: string | null;
}) {
  const department = await prisma.department.findUnique({ where: { code: departmentCode } });
  if (!department) throw new NotFoundError(`没有编码为 ${departmentCode} 的部门`);
  authorize(actor, 'department.update', { departmentCode }, 'write');
  try {
    const created = await prisma.statutoryFunction.create({
      data: { departmentId: department.id, code, name, description: description ?? null },
    });
    return {
      code: created.code,
      name: created.name,
      description: created.description,
      departmentCode,
      resourceCount: 0,
    };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ConflictError(`部门 ${departmentCode} 已有编码为 ${code} 的职责`);
    }
    throw error;
  }
}
