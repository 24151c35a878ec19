import type { PrismaClient } from '@gx/migrations';
import { authorize, type Actor } from '@gx/platform';
import { resourceTransition } from './resourceTransition.ts';
import { reviewTarget } from './reviewTarget.ts';

/** Put a retired entry back on the directory as it was (the data authority decides). */
export function publishResource({
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
    action: 'publish',
    from: ['retired'],
    to: 'published',
    check: async (r) => authorize(actor, 'resource.review', await reviewTarget(prisma, r), 'write'),
    apply: async () => ({ retiredAt: null, publishedAt: new Date() }),
  });
}
