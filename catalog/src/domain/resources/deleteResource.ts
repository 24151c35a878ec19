import type { PrismaClient } from '@gx/migrations';
import { authorize, ConflictError, type Actor } from '@gx/platform';
import { assertNotHarvested } from '../harvest/assertNotHarvested.ts';
import { loadVisibleResource } from './loadResource.ts';

/** A draft that was never published may be deleted by its steward; anything else is retired. */
export async function deleteResource({
  prisma,
  actor,
  code,
}: {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
}) {
  const resource = await loadVisibleResource(prisma, actor, code);
  assertNotHarvested(actor, resource);
  authorize(actor, 'resource.manage', { departmentCode: resource.provider.code }, 'write');
  if (resource.status !== 'draft' || resource.publishedAt) {
    throw new ConflictError('只有从未发布过的草稿可以删除；已发布过的资源请下线');
  }
  const deleted = await prisma.resource.deleteMany({
    where: { id: resource.id, status: 'draft', revision: resource.revision },
  });
  if (deleted.count === 0) throw new ConflictError('资源已被他人修改，请刷新');
}
