import type { PrismaClient, ResourceAction, ResourceStatus } from '@gx/migrations';
import { ConflictError, InputError, type Actor } from '@gx/platform';
import { assertNotHarvested } from '../harvest/assertNotHarvested.ts';
import { actorName } from './actorName.ts';
import { loadVisibleResource } from './loadResource.ts';
import { RESOURCE_INCLUDE, resourceView, type ResourceRow } from './resourceView.ts';
import { resourceStatusLabel } from './statusLabel.ts';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** What every lifecycle step takes: who acts on which entry, with an optional comment. */
export interface StepOptions {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
  comment?: string;
}

export interface TransitionOptions {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
  action: ResourceAction;
  from: readonly ResourceStatus[];
  to: ResourceStatus;
  comment?: string;
  commentRequired?: boolean;
  /** throws unless the actor may perform this step on this resource */
  check(resource: ResourceRow): Promise<void> | void;
  /** extra writes in the same transaction (publication dates, schema versions) */
  apply?(tx: Tx, resource: ResourceRow): Promise<Record<string, unknown> | void>;
}

/**
 * One lifecycle step: draft → in review → published → retired (and back where the workflow
 * allows). The status guard is part of the UPDATE, so two reviewers acting at once cannot both
 * succeed; every step is written to the history with who, when and the comment.
 */
export async function resourceTransition(options: TransitionOptions) {
  const { prisma, actor, code, action, from, to } = options;
  const resource = await loadVisibleResource(prisma, actor, code);
  assertNotHarvested(actor, resource);
  await options.check(resource);
  const comment = options.comment?.trim() || undefined;
  if (options.commentRequired && !comment) {
    throw new InputError('请填写意见', [{ path: '/comment', message: '必填' }]);
  }
  if (!from.includes(resource.status)) {
    throw new ConflictError(
      `当前状态为「${resourceStatusLabel(resource.status)}」，不能执行此操作 (${action})`,
    );
  }
  await prisma.$transaction(async (tx) => {
    const extra = (await options.apply?.(tx, resource)) ?? {};
    const updated = await tx.resource.updateMany({
      where: { id: resource.id, status: resource.status, revision: resource.revision },
      data: { status: to, revision: { increment: 1 }, ...extra },
    });
    if (updated.count === 0) throw new ConflictError('资源状态已被他人改变，请刷新');
    await tx.resourceChange.create({
      data: {
        resourceId: resource.id,
        action,
        ...actorName(actor),
        comment: comment ?? null,
        diff: [{ path: '/status', before: resource.status, after: to }],
        fromStatus: resource.status,
        toStatus: to,
      },
    });
  });
  return resourceView(
    await prisma.resource.findUniqueOrThrow({
      where: { id: resource.id },
      include: RESOURCE_INCLUDE,
    }),
  );
}
