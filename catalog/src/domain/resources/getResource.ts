import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { loadVisibleResource } from './loadResource.ts';
import { resourceView } from './resourceView.ts';

export async function getResource({
  prisma,
  actor,
  code,
}: {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
}) {
  return resourceView(await loadVisibleResource(prisma, actor, code));
}
