import { Prisma, type PrismaClient } from '@gx/migrations';
import { authorize, ConflictError, NotFoundError, type Actor } from '@gx/platform';

export interface DeleteHarvestSourceOptions {
  prisma: PrismaClient;
  actor: Actor;
  id: string;
}

const isDatabaseRefusal = (error: unknown) =>
  (error instanceof Prisma.PrismaClientKnownRequestError &&
    ['P2003', 'P2010'].includes(error.code)) ||
  (error instanceof Error &&
    /foreign key|violates check constraint|23503|23514/i.test(error.message));

/**
 * Remove a source with the copies it harvested (the originals stay in the source catalogue)
 * and the departments it created that nothing else uses any more. Refused while the source is
 * being harvested, and when a copy is referenced by something that must not lose it (a sharing
 * request, a connector…): then disable the source instead.
 */
export async function deleteHarvestSource({ prisma, actor, id }: DeleteHarvestSourceOptions) {
  authorize(actor, 'harvest.manage', {}, 'write');
  const source = await prisma.harvestSource.findUnique({ where: { id } });
  if (!source) throw new NotFoundError(`没有编号为 ${id} 的采集来源`);
  try {
    await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM harvest_sources WHERE id = ${id}::uuid FOR UPDATE`;
      const running = await tx.harvestJob.count({ where: { sourceId: id, status: 'running' } });
      if (running > 0) throw new ConflictError('该来源正在采集中，请等当前任务结束后再删除');
      await tx.resource.deleteMany({ where: { harvestSourceId: id } });
      await tx.$executeRaw`
        DELETE FROM departments d
         WHERE d.harvest_source_id = ${id}::uuid
           AND NOT EXISTS (SELECT 1 FROM resources r WHERE r.provider_id = d.id)
           AND NOT EXISTS (SELECT 1 FROM users u WHERE u.department_id = d.id)
           AND NOT EXISTS (SELECT 1 FROM service_systems s WHERE s.department_id = d.id)`;
      // a department another source's entries also use now belongs to that source
      await tx.$executeRaw`
        UPDATE departments d
           SET harvest_source_id = (
             SELECT r.harvest_source_id FROM resources r
              WHERE r.provider_id = d.id AND r.harvest_source_id IS NOT NULL
              LIMIT 1)
         WHERE d.harvest_source_id = ${id}::uuid`;
      await tx.harvestSource.delete({ where: { id } });
    });
  } catch (error) {
    if (error instanceof ConflictError) throw error;
    if (isDatabaseRefusal(error)) {
      throw new ConflictError(
        '该来源采集的条目或创建的部门仍被共享申请、连接器或用户引用，不能删除；可将来源停用',
      );
    }
    throw error;
  }
}
