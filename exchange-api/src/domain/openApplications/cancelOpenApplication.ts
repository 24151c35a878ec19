import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import { ConflictError, NotFoundError, type Actor } from '@gx/platform';
import { applicantOf } from './applicantOf.ts';
import { APPLICATION_INCLUDE, openApplicationView } from './openApplicationView.ts';

/** The applicant withdraws an application still waiting for the provider. */
export async function cancelOpenApplication({
  prisma,
  pool,
  actor,
  id,
}: {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  id: string;
}) {
  const applicantId = await applicantOf(pool, actor);
  const application = await prisma.openApplication.findFirst({ where: { id, applicantId } });
  if (!application) throw new NotFoundError('没有这个开放申请');
  const { count } = await prisma.openApplication.updateMany({
    where: { id, status: 'submitted' },
    data: { status: 'cancelled' },
  });
  if (count === 0) throw new ConflictError('只能撤回待审核的开放申请');
  return openApplicationView(
    await prisma.openApplication.findUniqueOrThrow({ where: { id }, include: APPLICATION_INCLUDE }),
  );
}
