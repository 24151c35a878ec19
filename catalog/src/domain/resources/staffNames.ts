import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';

/**
 * The names (users table) of the staff accounts among those given, by account, for a caller
 * who is staff: the history records accounts (`hz-wjw.steward`), a person reads 李静. The public
 * is told no names (the history says 政务工作人员), and an account the table does not know (a
 * Keycloak user not yet seen here, a system) has none: it is shown by its account.
 */
export async function staffNames(
  prisma: PrismaClient,
  viewer: Actor,
  accounts: Iterable<string>,
): Promise<ReadonlyMap<string, string>> {
  const wanted = [...new Set(accounts)];
  if ((viewer.kind !== 'user' && viewer.kind !== 'system') || wanted.length === 0) return new Map();
  const users = await prisma.user.findMany({
    where: { username: { in: wanted }, kind: 'staff' },
    select: { username: true, displayName: true },
  });
  return new Map(users.map((u) => [u.username, u.displayName]));
}
