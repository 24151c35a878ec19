import type { PrismaClient } from '@gx/migrations';
import { authorize, isAllowed, type Actor } from '@gx/platform';
import { systemView } from './systemView.ts';

/**
 * A platform admin sees every system (or one department's); anyone else only their own
 * department's, and only if the rules let them see it at all.
 */
export async function listSystems({
  prisma,
  actor,
  departmentCode,
}: {
  prisma: PrismaClient;
  actor: Actor;
  departmentCode?: string;
}) {
  const everything = isAllowed(actor, 'organisation.administer');
  const department = everything
    ? departmentCode
    : (departmentCode ?? ('departmentCode' in actor ? actor.departmentCode : undefined));
  if (!everything)
    authorize(actor, 'department.systems.read', { departmentCode: department }, 'read');
  const systems = await prisma.serviceSystem.findMany({
    where: department ? { department: { code: department } } : {},
    include: { department: true },
    orderBy: { clientId: 'asc' },
  });
  return systems.map(systemView);
}
