import type { Pool } from 'pg';
import type { Prisma, PrismaClient } from '@gx/migrations';
import {
  isAllowed,
  NotFoundError,
  resolveLocalUser,
  UnauthenticatedError,
  type Actor,
} from '@gx/platform';
import { OBJECTION_INCLUDE, type ObjectionRow } from './objectionViews.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The party an objection is raised for: a department, or a person (local user id). */
export type RaiserIdentity = { departmentCode: string } | { userId: string };

export interface ObjectionContext {
  prisma: PrismaClient;
  /** for the local user id of people (`resolveLocalUser`) */
  pool: Pool;
}

/**
 * The party the caller raises for: staff and systems raise for their department; a developer
 * (or citizen) for themselves, and an API key for the person who owns it, so that the key and
 * its owner's sign-in see the same objections. Undefined for callers who cannot be a raiser.
 */
export async function raiserIdentityOf(
  pool: Pool,
  actor: Actor,
): Promise<RaiserIdentity | undefined> {
  switch (actor.kind) {
    case 'anonymous':
      throw new UnauthenticatedError('需要登录或提供访问令牌');
    case 'api-key':
      return { userId: actor.ownerId };
    case 'developer':
      return { userId: await resolveLocalUser(pool, actor) };
    default:
      return actor.departmentCode ? { departmentCode: actor.departmentCode } : undefined;
  }
}

/** The caller's department, for staff and systems; people and API keys have none. */
export const departmentOf = (actor: Actor) =>
  actor.kind === 'user' || actor.kind === 'system' ? actor.departmentCode : undefined;

/**
 * The data authority (数据主管部门) oversees every department's objections. Any department
 * flagged as one does: a deployment serves one city, with one authority.
 */
export async function overseesObjections(prisma: PrismaClient, actor: Actor): Promise<boolean> {
  const department = departmentOf(actor);
  const authority = department
    ? await prisma.department.findFirst({ where: { code: department, isDataAuthority: true } })
    : null;
  return isAllowed(actor, 'objection.oversee', { dataAuthorityCode: authority?.code });
}

function raisedBy(identity: RaiserIdentity): Prisma.ObjectionWhereInput {
  return 'userId' in identity
    ? { raiserUserId: identity.userId }
    : { raiserDepartment: { code: identity.departmentCode } };
}

/**
 * The objections the caller sees: as raiser (its department's, or its own as a person), as
 * provider (objections to its department's data), or, for the data authority, all. `side`
 * narrows to one role; callers with no such role see nothing.
 */
export async function visibleObjections(
  { prisma, pool }: ObjectionContext,
  actor: Actor,
  side?: 'raiser' | 'provider',
): Promise<Prisma.ObjectionWhereInput> {
  const identity = await raiserIdentityOf(pool, actor);
  const provider = departmentOf(actor);
  const nothing: Prisma.ObjectionWhereInput = { id: { in: [] } };
  const asRaiser = identity ? raisedBy(identity) : nothing;
  const asProvider = provider ? { provider: { code: provider } } : nothing;
  if (side === 'raiser') return asRaiser;
  if (side === 'provider') return asProvider;
  if (await overseesObjections(prisma, actor)) return {};
  return { OR: [asRaiser, asProvider] };
}

export interface LoadedObjection {
  objection: ObjectionRow;
  /** the caller's department provides the data */
  isProvider: boolean;
  /** the caller (or its department) raised it */
  isRaiser: boolean;
}

/**
 * An objection the caller may see, by id or number. Anyone else — another department, another
 * developer — is told it does not exist.
 */
export async function loadObjection(
  ctx: ObjectionContext,
  actor: Actor,
  id: string,
): Promise<LoadedObjection> {
  const objection = await ctx.prisma.objection.findFirst({
    where: UUID.test(id) ? { id } : { number: id },
    include: OBJECTION_INCLUDE,
  });
  const identity = await raiserIdentityOf(ctx.pool, actor);
  const isProvider = !!objection && departmentOf(actor) === objection.provider.code;
  const isRaiser =
    !!objection &&
    !!identity &&
    ('userId' in identity
      ? objection.raiserUserId === identity.userId
      : objection.raiserDepartment?.code === identity.departmentCode);
  if (!objection || (!isProvider && !isRaiser && !(await overseesObjections(ctx.prisma, actor)))) {
    throw new NotFoundError('没有这个数据异议');
  }
  return { objection, isProvider, isRaiser };
}
