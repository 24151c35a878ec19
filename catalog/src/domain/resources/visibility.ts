import type { Prisma } from '@gx/migrations';
import { hasRole, type Actor } from '@gx/platform';

/**
 * Which directory entries a caller may see (a denied read answers 404):
 * - anonymous callers, developers and API keys: published entries that are open (无条件 or 有条件开放);
 * - department staff and systems: every published entry, and every entry of their own department;
 * - approvers of a data authority: also everything under review or retired (they decide both);
 * - platform admins: everything.
 * Drafts are seen only by their own department.
 */
export function visibleResources(
  actor: Actor,
  dataAuthorityCodes: readonly string[],
): Prisma.ResourceWhereInput {
  if (actor.kind === 'user' && hasRole(actor, 'platform-admin')) return {};
  const ownDepartment =
    (actor.kind === 'user' || actor.kind === 'system') && actor.departmentCode
      ? actor.departmentCode
      : undefined;
  if (!ownDepartment) return { status: 'published', openType: { in: ['open', 'conditional'] } };
  const reviewer =
    actor.kind === 'user' &&
    hasRole(actor, 'approver') &&
    dataAuthorityCodes.includes(ownDepartment);
  return {
    OR: [
      { status: reviewer ? { in: ['published', 'in_review', 'retired'] } : 'published' },
      { provider: { code: ownDepartment } },
    ],
  };
}
