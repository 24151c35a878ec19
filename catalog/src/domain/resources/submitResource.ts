import type { PrismaClient } from '@gx/migrations';
import { authorize, type Actor } from '@gx/platform';
import { resourceTransition } from './resourceTransition.ts';

/** The steward sends a draft to the data authority for review. */
export function submitResource({
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
    action: 'submit',
    from: ['draft'],
    to: 'in_review',
    check: (r) => authorize(actor, 'resource.manage', { departmentCode: r.provider.code }, 'write'),
  });
}
