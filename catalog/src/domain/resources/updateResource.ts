import type { PrismaClient } from '@gx/migrations';
import { authorize, ConflictError, InputError, type Actor } from '@gx/platform';
import { assertNotHarvested } from '../harvest/assertNotHarvested.ts';
import { actorName } from './actorName.ts';
import { fieldDiff } from './fieldDiff.ts';
import { loadVisibleResource } from './loadResource.ts';
import { parseResourceInput } from './resourceInput.ts';
import { RESOURCE_INCLUDE, resourceView, toResourceInput } from './resourceView.ts';
import { resourceStatusLabel } from './statusLabel.ts';
import { reindex, replaceItems, resolveReferences, resourceColumns } from './writeResource.ts';

export interface UpdateResourceOptions {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
  input: unknown;
  /** the revision the editor started from; a newer one means someone else saved first */
  expectedRevision?: number;
  action?: 'update' | 'import';
}

/** Replace a draft's metadata and items. Published entries are changed through `revise`. */
export async function updateResource({
  prisma,
  actor,
  code,
  input: raw,
  expectedRevision,
  action = 'update',
}: UpdateResourceOptions) {
  const before = await loadVisibleResource(prisma, actor, code);
  assertNotHarvested(actor, before);
  authorize(actor, 'resource.manage', { departmentCode: before.provider.code }, 'write');
  const input = parseResourceInput(raw);
  if (input.providerCode && input.providerCode !== before.provider.code) {
    throw new InputError('不能更改信息资源的提供方', [
      { path: '/providerCode', message: `应为 ${before.provider.code}` },
    ]);
  }
  if (before.status !== 'draft') {
    throw new ConflictError(
      `只有草稿可以修改（当前状态：${resourceStatusLabel(before.status)}）；已发布的资源请先「修订」`,
    );
  }
  if (expectedRevision !== undefined && expectedRevision !== before.revision) {
    throw new ConflictError(
      `资源已被他人修改（当前版本 ${before.revision}，你编辑的是 ${expectedRevision}），请刷新后再改`,
    );
  }
  const beforeInput = toResourceInput(resourceView(before));
  await prisma.$transaction(async (tx) => {
    const { functionId } = await resolveReferences(tx, input, before.providerId);
    // the revision guard in WHERE makes the check above race-free
    const updated = await tx.resource.updateMany({
      where: { id: before.id, revision: before.revision, status: 'draft' },
      data: {
        ...resourceColumns(input, functionId),
        // 发布日期 is the catalog's (set on first publication): a save that leaves it out keeps
        // it, and only an explicit null clears it, so an editor without the field loses nothing
        ...(input.publishDate === undefined ? { publishDate: before.publishDate } : {}),
        revision: { increment: 1 },
      },
    });
    if (updated.count === 0) throw new ConflictError('资源已被他人修改，请刷新后再改');
    await replaceItems(tx, before.id, input);
    await reindex(tx, before.id);
    const after = toResourceInput(
      resourceView(
        await tx.resource.findUniqueOrThrow({
          where: { id: before.id },
          include: RESOURCE_INCLUDE,
        }),
      ),
    );
    await tx.resourceChange.create({
      data: {
        resourceId: before.id,
        action,
        ...actorName(actor),
        diff: fieldDiff(beforeInput, after) as object[],
        fromStatus: 'draft',
        toStatus: 'draft',
      },
    });
  });
  return resourceView(
    await prisma.resource.findUniqueOrThrow({
      where: { id: before.id },
      include: RESOURCE_INCLUDE,
    }),
  );
}
