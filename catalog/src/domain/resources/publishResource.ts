import { authorize } from '@gx/platform';
import { resourceTransition, type StepOptions } from './resourceTransition.ts';
import { reviewTarget } from './reviewTarget.ts';

/** Put a retired entry back on the directory as it was (the data authority decides). */
export function publishResource({ prisma, actor, code, comment }: StepOptions) {
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
