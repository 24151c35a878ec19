import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import {
  isAllowed,
  NotFoundError,
  requirePrincipalActor,
  resolveLocalUser,
  UnauthenticatedError,
  type Actor,
} from '@gx/platform';
import { APPLICATION_INCLUDE, type OpenApplicationRow } from './openApplicationView.ts';

export interface LoadedApplication {
  application: OpenApplicationRow;
  /** the caller applied */
  isApplicant: boolean;
  /** the caller may decide it: steward or approver of the provider department */
  isProvider: boolean;
}

/** The caller's local user id when they are a person; undefined for systems and keys. */
async function personOf(pool: Pool, actor: Actor): Promise<string | undefined> {
  if (actor.kind !== 'developer' && actor.kind !== 'user') return undefined;
  return resolveLocalUser(pool, requirePrincipalActor(actor));
}

/**
 * An application the caller may see: its applicant's, or the provider department's. Anyone
 * else is told it does not exist, so that applications do not reveal who applies for what.
 */
export async function loadOpenApplication(
  prisma: PrismaClient,
  pool: Pool,
  actor: Actor,
  id: string,
): Promise<LoadedApplication> {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要登录');
  const application = await prisma.openApplication.findUnique({
    where: { id },
    include: APPLICATION_INCLUDE,
  });
  const me = await personOf(pool, actor);
  const isApplicant = !!application && me !== undefined && application.applicantId === me;
  const isProvider =
    !!application &&
    isAllowed(actor, 'openapp.decide', { departmentCode: application.resource.provider.code });
  if (!application || (!isApplicant && !isProvider)) throw new NotFoundError('没有这个开放申请');
  return { application, isApplicant, isProvider };
}
