import type { Pool } from 'pg';
import type { OpenApplicationStatus, PrismaClient } from '@gx/migrations';
import { authorize, NotAllowedError, type Actor } from '@gx/platform';
import { applicantOf } from './applicantOf.ts';
import { APPLICATION_INCLUDE, openApplicationView } from './openApplicationView.ts';

const LIMIT = 200;

export interface ListOpenApplicationsOptions {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  side: 'applicant' | 'provider';
  status?: OpenApplicationStatus;
}

/**
 * The applicant's own applications (newest first), or the provider's inbox: the applications
 * for the caller's department's resources, oldest first so that the longest waiting comes up.
 */
export async function listOpenApplications({
  prisma,
  pool,
  actor,
  side,
  status,
}: ListOpenApplicationsOptions) {
  if (side === 'provider') {
    const department = actor.kind === 'user' ? actor.departmentCode : undefined;
    authorize(actor, 'openapp.decide', { departmentCode: department }, 'write');
    if (!department) throw new NotAllowedError('只有提供部门的人员能查看开放申请待办');
    const rows = await prisma.openApplication.findMany({
      where: { resource: { provider: { code: department } }, ...(status ? { status } : {}) },
      include: APPLICATION_INCLUDE,
      orderBy: { createdAt: 'asc' },
      take: LIMIT,
    });
    return rows.map(openApplicationView);
  }
  const applicantId = await applicantOf(pool, actor);
  const rows = await prisma.openApplication.findMany({
    where: { applicantId, ...(status ? { status } : {}) },
    include: APPLICATION_INCLUDE,
    orderBy: { createdAt: 'desc' },
    take: LIMIT,
  });
  return rows.map(openApplicationView);
}
