import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { nameOf, peopleNames } from '../sharing/people.ts';
import { departmentOf } from './objectionParties.ts';
import type { ObjectionView } from './objectionViews.ts';

/**
 * Objection views with the names of the people in their thread beside the accounts, as request
 * and grant views have them (namePeople): who answered, who corrected the record (更正记录) and
 * who took each step of the history read 李静, not `user:hz-gaj.steward@hz-gaj`. A system, a key
 * or an account the users table does not know gets null and is shown by its account. Names are
 * for departments' staff and systems: a developer or citizen who raised an objection about open
 * data is not told the names of the civil servants who handled it (all null).
 */
export async function nameObjectionPeople(
  prisma: PrismaClient,
  views: readonly ObjectionView[],
  viewer: Actor,
) {
  const names = departmentOf(viewer)
    ? await peopleNames(
        prisma,
        views.flatMap((v) => [
          v.answer?.by,
          v.correction?.by,
          ...(v.history ?? []).map((e) => e.actor),
        ]),
      )
    : new Map<string, string>();
  return views.map((v) => ({
    ...v,
    answer: v.answer && { ...v.answer, byName: nameOf(names, v.answer.by) },
    correction: v.correction && { ...v.correction, byName: nameOf(names, v.correction.by) },
    ...(v.history
      ? { history: v.history.map((e) => ({ ...e, actorName: nameOf(names, e.actor) })) }
      : {}),
  }));
}

/** One objection view with its people's names (nameObjectionPeople). */
export async function nameObjectionPerson(
  prisma: PrismaClient,
  view: ObjectionView,
  viewer: Actor,
) {
  return (await nameObjectionPeople(prisma, [view], viewer))[0]!;
}
