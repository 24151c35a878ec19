import type { Prisma } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { departmentOf, visibleObjections, type ObjectionContext } from './objectionParties.ts';
import type { ObjectionState } from './objectionStateMachine.ts';
import { OBJECTION_INCLUDE, objectionView } from './objectionViews.ts';

export interface ListObjectionsOptions extends ObjectionContext {
  actor: Actor;
  /** raiser: raised by me (my department); provider: about my department's data; none: both */
  side?: 'raiser' | 'provider';
  state?: ObjectionState;
  resourceCode?: string;
  /** only objections whose answer is overdue (true) or not (false) */
  overdue?: boolean;
  page?: number;
  pageSize?: number;
  now?: Date;
}

/**
 * One page of the objections the caller sees. The provider's inbox (`side=provider`) lists the
 * earliest due first, so what is overdue or nearly so comes first; otherwise newest first.
 */
export async function listObjections({
  prisma,
  pool,
  actor,
  side,
  state,
  resourceCode,
  overdue,
  page = 1,
  pageSize = 20,
  now = new Date(),
}: ListObjectionsOptions) {
  const isOverdue: Prisma.ObjectionWhereInput = {
    state: { in: ['open', 'reopened'] },
    dueAt: { lt: now },
  };
  const where: Prisma.ObjectionWhereInput = {
    AND: [
      await visibleObjections({ prisma, pool }, actor, side),
      state ? { state } : {},
      resourceCode ? { resource: { code: resourceCode } } : {},
      overdue === undefined ? {} : overdue ? isOverdue : { NOT: isOverdue },
    ],
  };
  const [total, rows] = await Promise.all([
    prisma.objection.count({ where }),
    prisma.objection.findMany({
      where,
      include: OBJECTION_INCLUDE,
      orderBy:
        side === 'provider'
          ? [{ dueAt: 'asc' }, { createdAt: 'asc' }]
          : [{ createdAt: 'desc' }, { number: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return {
    total,
    page,
    pageSize,
    items: rows.map((o) => objectionView(o, { now, viewerDepartment: departmentOf(actor) })),
  };
}
