import type { PrismaClient } from '@gx/migrations';
import { authorize, InputError, type Actor } from '@gx/platform';
import { actorName } from './actorName.ts';
import { fieldDiff } from './fieldDiff.ts';
import { parseResourceInput } from './resourceInput.ts';
import { RESOURCE_INCLUDE, resourceView, toResourceInput } from './resourceView.ts';
import {
  nextResourceCode,
  reindex,
  replaceItems,
  resolveReferences,
  resourceColumns,
} from './writeResource.ts';

export interface CreateResourceOptions {
  prisma: PrismaClient;
  actor: Actor;
  input: unknown;
  /** history action: `create` from the API, `import` from Excel */
  action?: 'create' | 'import';
}

/** A steward catalogues a new resource of their department; it starts as a draft. */
export async function createResource({
  prisma,
  actor,
  input: raw,
  action = 'create',
}: CreateResourceOptions) {
  // a caller of no department can catalogue nothing: answer 401/403 before judging the input
  if (!('departmentCode' in actor) || !actor.departmentCode)
    authorize(actor, 'resource.manage', {}, 'write');
  const input = parseResourceInput(raw);
  const providerCode =
    input.providerCode ?? ('departmentCode' in actor ? actor.departmentCode : undefined);
  if (!providerCode)
    throw new InputError('请指明提供方部门', [{ path: '/providerCode', message: '必填' }]);
  authorize(actor, 'resource.manage', { departmentCode: providerCode }, 'write');

  const id = await prisma.$transaction(async (tx) => {
    // the row lock serialises code assignment per provider
    const locked = await tx.$queryRaw<{ id: string; unified_social_credit_code: string | null }[]>`
      SELECT id, unified_social_credit_code FROM departments WHERE code = ${providerCode} FOR UPDATE`;
    const provider = locked[0];
    if (!provider)
      throw new InputError('提供方部门不存在', [
        { path: '/providerCode', message: `没有部门 ${providerCode}` },
      ]);
    const { theme, functionId } = await resolveReferences(tx, input, provider.id);
    const code = await nextResourceCode(
      tx,
      { id: provider.id, unifiedSocialCreditCode: provider.unified_social_credit_code },
      theme.classCode,
      input.subClassCode ?? '001001',
    );
    const created = await tx.resource.create({
      data: {
        ...resourceColumns(input, functionId),
        code,
        providerId: provider.id,
        createdBy: actorName(actor).actor,
      },
    });
    await replaceItems(tx, created.id, input);
    await reindex(tx, created.id);
    const view = resourceView(
      await tx.resource.findUniqueOrThrow({ where: { id: created.id }, include: RESOURCE_INCLUDE }),
    );
    await tx.resourceChange.create({
      data: {
        resourceId: created.id,
        action,
        ...actorName(actor),
        diff: fieldDiff(undefined, toResourceInput(view)) as object[],
        toStatus: 'draft',
      },
    });
    return created.id;
  });
  return resourceView(
    await prisma.resource.findUniqueOrThrow({ where: { id }, include: RESOURCE_INCLUDE }),
  );
}
