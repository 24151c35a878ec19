import type { PrismaClient } from '@gx/migrations';
import { authorize, NotFoundError, type Actor } from '@gx/platform';
import type { ItemAction } from './HarvestJobLog.ts';
import { harvestJobItemView, harvestJobView } from './harvestViews.ts';

export interface Paging {
  page: number;
  pageSize: number;
}

/** A source's jobs, newest first (platform admin). */
export async function listHarvestJobs({
  prisma,
  actor,
  sourceId,
  page,
  pageSize,
}: { prisma: PrismaClient; actor: Actor; sourceId: string } & Paging) {
  authorize(actor, 'harvest.manage', {}, 'write');
  const source = await prisma.harvestSource.findUnique({
    where: { id: sourceId },
    select: { id: true },
  });
  if (!source) throw new NotFoundError(`没有编号为 ${sourceId} 的采集来源`);
  const [total, rows] = await Promise.all([
    prisma.harvestJob.count({ where: { sourceId } }),
    prisma.harvestJob.findMany({
      where: { sourceId },
      orderBy: [{ startedAt: 'desc' }, { id: 'asc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return { items: rows.map(harvestJobView), total, page, pageSize };
}

/** One job with a page of its item log, in the order the items were handled. */
export async function getHarvestJob({
  prisma,
  actor,
  id,
  page,
  pageSize,
  action,
}: { prisma: PrismaClient; actor: Actor; id: string; action?: ItemAction } & Paging) {
  authorize(actor, 'harvest.manage', {}, 'write');
  const job = await prisma.harvestJob.findUnique({
    where: { id },
    include: { source: { select: { name: true } } },
  });
  if (!job) throw new NotFoundError(`没有编号为 ${id} 的采集任务`);
  const where = { jobId: id, ...(action ? { action } : {}) };
  const [total, items] = await Promise.all([
    prisma.harvestJobItem.count({ where }),
    prisma.harvestJobItem.findMany({
      where,
      orderBy: { id: 'asc' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return {
    ...harvestJobView(job),
    sourceName: job.source.name,
    items: { items: items.map(harvestJobItemView), total, page, pageSize },
  };
}
