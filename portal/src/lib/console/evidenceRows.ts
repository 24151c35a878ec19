/**
 * How a row of 交换记录 reads: who acted, in words, and what the outcome adds. Kept apart from
 * `departmentEvidence.ts` (which needs the generated API types) so that unit tests can load it.
 */

/** The kinds of actor the evidence names (platform `describeActor`). */
const KINDS = new Set(['user', 'system', 'developer', 'api-key', 'anonymous']);

/**
 * The evidence's actor text (`user:hz-gaj.steward@hz-gaj`, `system:hz-rsj-system@hz-rsj`,
 * `api-key:…`, `anonymous`) as its kind and the account. The `@department` suffix is dropped only
 * when it is the entry's own department, shown beside it anyway: a developer's account name may
 * itself be an e-mail address.
 */
export function actorParts(
  actor: string,
  department: string | null | undefined,
): { kind: string | undefined; name: string } {
  if (actor === 'anonymous') return { kind: 'anonymous', name: '' };
  const colon = actor.indexOf(':');
  const kind = colon > 0 ? actor.slice(0, colon) : '';
  if (!KINDS.has(kind)) return { kind: undefined, name: actor };
  const rest = actor.slice(colon + 1);
  const suffix = department ? `@${department}` : undefined;
  const name = suffix && rest.endsWith(suffix) ? rest.slice(0, -suffix.length) : rest;
  return { kind, name };
}

export type OutcomeNote = { kind: 'refused'; reason: string } | { kind: 'not-found' } | undefined;

/** What a row shows under its outcome: why a call was refused, or that a get found nothing. */
export function outcomeNote(entry: {
  operation: string;
  outcome: string;
  details?: unknown;
}): OutcomeNote {
  const details =
    entry.details && typeof entry.details === 'object'
      ? (entry.details as Record<string, unknown>)
      : {};
  if (entry.outcome === 'refused' && typeof details.detail === 'string' && details.detail)
    return { kind: 'refused', reason: details.detail.slice(0, 300) };
  if (entry.operation === 'get' && details.found === false) return { kind: 'not-found' };
  return undefined;
}
