import { authorize } from '@gx/platform';
import { resourceTransition, type StepOptions } from './resourceTransition.ts';
import { reviewTarget } from './reviewTarget.ts';

/** An approver of the data authority sends an entry back to its steward, saying why. */
export function rejectResource({ prisma, actor, code, comment }: StepOptions) {
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
