import type { PrismaClient } from '@gx/migrations';
import { authorize, type Actor } from '@gx/platform';
import { resourceTransition } from './resourceTransition.ts';
import { reviewTarget } from './reviewTarget.ts';

/** An approver of the data authority sends an entry back to its steward, saying why. */
export function rejectResource({
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
    commentRequired: true,
    action: 'reject',
    from: ['in_review'],
    to: 'draft',
    check: async (r) => authorize(actor, 'resource.review', await reviewTarget(prisma, r), 'write'),
    apply: async () => ({ reviewComment: comment?.trim() ?? null }),
  });
}
