import type { PrismaClient } from '@gx/migrations';

/** The actor fields of request and grant views, and the name field each one gets. */
const ACTOR_FIELDS = {
  requestedBy: 'requestedByName',
  decidedBy: 'decidedByName',
  grantedBy: 'grantedByName',
} as const;
type ActorField = keyof typeof ACTOR_FIELDS;
type Named<T> = T & {
  [F in ActorField as F extends keyof T ? (typeof ACTOR_FIELDS)[F] : never]: string | null;
};

/**
 * The username of the person a stored actor is — `user:zhao.li@hz-rsj` (describeActor) or, for
 * a request, the bare username — or undefined for systems, API keys and the platform itself.
 */
export function personOf(actor: unknown): string | undefined {
  if (typeof actor !== 'string' || !actor || actor === 'system') return undefined;
  const user = /^user:([^@]+)/.exec(actor);
  if (user) return user[1];
  return /^[a-z-]+:/.test(actor) ? undefined : actor;
}

/**
 * The display names (users table) of the people among stored actors, by username: an account
 * the table does not know (a Keycloak user not yet seen by this platform) is absent, and systems,
 * keys and the platform never look anything up.
 */
export async function peopleNames(
  prisma: PrismaClient,
  actors: Iterable<unknown>,
): Promise<ReadonlyMap<string, string>> {
  const usernames = new Set<string>();
  for (const actor of actors) {
    const person = personOf(actor);
    if (person) usernames.add(person);
  }
  const names = new Map<string, string>();
  if (usernames.size > 0) {
    const users = await prisma.user.findMany({
      where: { username: { in: [...usernames] } },
      select: { username: true, displayName: true },
    });
    for (const u of users) names.set(u.username, u.displayName);
  }
  return names;
}

/** The name of the person a stored actor is, from `peopleNames`; null for anyone else. */
export function nameOf(names: ReadonlyMap<string, string>, actor: unknown): string | null {
  const person = personOf(actor);
  return (person && names.get(person)) ?? null;
}

/**
 * Request and grant views with the names of the people in them (申请人, 审批人, 授权人) beside
 * their accounts, from the local users table: an approver reads 赵丽, not hz-rsj.steward. An
 * account the table does not know (a Keycloak user not yet seen by this platform, a system)
 * gets null and is shown by its account.
 */
export async function namePeople<T extends object>(
  prisma: PrismaClient,
  views: readonly T[],
): Promise<Named<T>[]> {
  const fields = Object.keys(ACTOR_FIELDS) as ActorField[];
  const names = await peopleNames(
    prisma,
    views.flatMap((view) => fields.map((field) => (view as Record<string, unknown>)[field])),
  );
  return views.map((view) => {
    const named = { ...view } as Record<string, unknown>;
    for (const field of fields)
      if (field in view) named[ACTOR_FIELDS[field]] = nameOf(names, named[field]);
    return named as Named<T>;
  });
}

/** One view with its people's names (namePeople). */
export async function namePerson<T extends object>(prisma: PrismaClient, view: T) {
  return (await namePeople(prisma, [view]))[0]!;
}
