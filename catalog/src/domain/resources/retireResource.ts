import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { resourceTransition } from './resourceTransition.ts';
import { authorizeStewardOrReviewer } from './reviewTarget.ts';

/** Take a published entry off the directory (已下线); its history and schemas stay. */
export function retireResource({
  prisma,
  actor,
  code,
  comment,
}: {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
  comment?: string;
}) {
  return resourceTransition({
    prisma,
    actor,
    code,
    comment,
    action: 'retire',
    from: ['published'],
    to: 'retired',
    check: (r) => authorizeStewardOrReviewer(prisma, actor, r),
    apply: async () => ({ retiredAt: new Date() }),
  });
}
