import { authorize } from '@gx/platform';
import { resourceTransition, type StepOptions } from './resourceTransition.ts';

/** The steward sends a draft to the data authority for review. */
export function submitResource({ prisma, actor, code, comment }: StepOptions) {
  return resourceTransition({
    prisma,
    actor,
    code,
    comment,
    action: 'submit',
    from: ['draft'],
    to: 'in_review',
    check: (r) => authorize(actor, 'resource.manage', { departmentCode: r.provider.code }, 'write'),
  });
}
