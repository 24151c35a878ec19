import type { DatasetReview, PrismaClient, User } from '@gx/migrations';
import {
  authorize,
  NotFoundError,
  requirePrincipalActor,
  resolveLocalUser,
  type Actor,
} from '@gx/platform';
import type { Pool } from 'pg';

type ReviewRow = DatasetReview & { user: Pick<User, 'username' | 'displayName'> };

const INCLUDE = { user: { select: { username: true, displayName: true } } } as const;

/** 张** — the public sees that a person reviewed, not who. */
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? `${first}**` : '**';
}

const isCaller = (actor: Actor, row: ReviewRow) =>
  (actor.kind === 'developer' || actor.kind === 'user') && actor.username === row.user.username;

function reviewView(row: ReviewRow, actor: Actor) {
  return {
    id: row.id,
    rating: row.rating,
    comment: row.comment,
    author: maskName(row.user.displayName ?? row.user.username),
    mine: isCaller(actor, row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Reviews are of what the public sees: published, 无条件 or 有条件开放 entries; others are 404. */
async function reviewableResource(prisma: PrismaClient, code: string): Promise<string> {
  const resource = await prisma.resource.findFirst({
    where: { code, status: 'published', openType: { in: ['open', 'conditional'] } },
    select: { id: true },
  });
  if (!resource) throw new NotFoundError(`没有已发布的开放数据集 ${code}`);
  return resource.id;
}

/** The average (one decimal), the count, one page newest first, and the caller's own review. */
export async function listDatasetReviews({
  prisma,
  actor,
  code,
  page = 1,
  pageSize = 20,
}: {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
  page?: number;
  pageSize?: number;
}) {
  const resourceId = await reviewableResource(prisma, code);
  const where = { resourceId };
  const [summary, rows, mine] = await Promise.all([
    prisma.datasetReview.aggregate({ where, _avg: { rating: true }, _count: { _all: true } }),
    prisma.datasetReview.findMany({
      where,
      include: INCLUDE,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    actor.kind === 'developer' || actor.kind === 'user'
      ? prisma.datasetReview.findFirst({
          where: { resourceId, user: { username: actor.username } },
          include: INCLUDE,
        })
      : Promise.resolve(null),
  ]);
  const average = summary._avg.rating;
  return {
    average: average === null ? null : Math.round(average * 10) / 10,
    count: summary._count._all,
    page,
    pageSize,
    items: rows.map((r) => reviewView(r, actor)),
    mine: mine ? reviewView(mine, actor) : null,
  };
}

/** Rates the dataset, or changes the caller's review (a blank comment means none). */
export async function putMyDatasetReview({
  prisma,
  pool,
  actor,
  code,
  input,
}: {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  code: string;
  input: { rating: number; comment?: string };
}) {
  authorize(actor, 'review.write', {}, 'write');
  const resourceId = await reviewableResource(prisma, code);
  const userId = await resolveLocalUser(pool, requirePrincipalActor(actor));
  const comment = input.comment?.trim() || null;
  const row = await prisma.datasetReview.upsert({
    where: { resourceId_userId: { resourceId, userId } },
    create: { resourceId, userId, rating: input.rating, comment },
    update: { rating: input.rating, comment },
    include: INCLUDE,
  });
  return reviewView(row, actor);
}

/** Deletes the caller's own review; 404 when there is none. */
export async function deleteMyDatasetReview({
  prisma,
  pool,
  actor,
  code,
}: {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  code: string;
}) {
  authorize(actor, 'review.write', {}, 'write');
  const resourceId = await reviewableResource(prisma, code);
  const userId = await resolveLocalUser(pool, requirePrincipalActor(actor));
  const { count } = await prisma.datasetReview.deleteMany({ where: { resourceId, userId } });
  if (count === 0) throw new NotFoundError('您还没有评价过这个数据集');
}
