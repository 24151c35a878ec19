import { authorize } from '@gx/platform';
import { resourceTransition, type StepOptions } from './resourceTransition.ts';

/**
 * The steward reopens a published or retired entry as a draft to change it; it leaves the
 * public directory until it is approved again (docs/ARCHITECTURE.md, directory workflow).
 */
export function reviseResource({ prisma, actor, code, comment }: StepOptions) {
  return resourceTransition({
    prisma,
    actor,
    code,
    comment,
    action: 'revise',
    from: ['published', 'retired'],
    to: 'draft',
    check: (r) => authorize(actor, 'resource.manage', { departmentCode: r.provider.code }, 'write'),
  });
}
