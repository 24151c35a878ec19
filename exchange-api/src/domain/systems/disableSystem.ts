import type { PrismaClient } from '@gx/migrations';
import { authorize, NotFoundError, type Actor } from '@gx/platform';
import { removeSystemClient } from './systemClient.ts';
import { systemView } from './systemView.ts';

/** Disable a system: its client is removed, so it can obtain no new token. */
export async function disableSystem({
  prisma,
  actor,
  clientId,
}: {
  prisma: PrismaClient;
  actor: Actor;
  clientId: string;
}) {
  const system = await prisma.serviceSystem.findUnique({
    where: { clientId },
    include: { department: true },
  });
  if (!system) throw new NotFoundError(`没有客户端 ID 为 ${clientId} 的业务系统`);
  authorize(actor, 'organisation.administer', { departmentCode: system.department.code }, 'write');
  const updated = await prisma.$transaction(async (tx) => {
    await removeSystemClient(tx, clientId);
    return tx.serviceSystem.update({
      where: { id: system.id },
      data: { status: 'disabled' },
      include: { department: true },
    });
  });
  return systemView(updated);
}
