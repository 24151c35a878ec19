import { resourceTransition, type StepOptions } from './resourceTransition.ts';
import { authorizeStewardOrReviewer } from './reviewTarget.ts';

/** Take a published entry off the directory (已下线); its history and schemas stay. */
export function retireResource({ prisma, actor, code, comment }: StepOptions) {
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
