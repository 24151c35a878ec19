/**
 * How a row of 交换记录 reads: who acted, in words, and what the outcome adds. Kept apart from
 * `departmentEvidence.ts` (which needs the generated API types) so that unit tests can load it.
 */

/**
 * The kinds of actor the evidence names: platform `describeActor`, and `connector:<names>` for
 * what source connectors brought or deleted (connectors `enforceBatch`, the connectors' names
 * comma-separated — a connector's name is its key in the `connectors` table).
 */
const KINDS = new Set(['user', 'system', 'developer', 'api-key', 'anonymous', 'connector']);

/**
 * The connectors' enforcement, which writes each grant's subscription deliveries through the
 * grant's policy (connectors `enforceBatch`). It acts for the exchange and names no connector:
 * which sinks read a grant's stream is the consumer's affair, and changes over time.
 */
export const ENFORCEMENT_ACTOR = 'connector-enforcement';

/** a department code as the platform writes it after `@` (an e-mail domain always has a dot) */
const DEPARTMENT_SUFFIX = /@([a-z0-9][a-z0-9-]{0,63})$/;

/**
 * The platform's actor text (`user:hz-gaj.steward@hz-gaj`, `system:hz-rsj-system@hz-rsj`,
 * `api-key:…`, `anonymous`; platform `describeActor`; `connector:scjg-in,scjg-cdc`,
 * `connector-enforcement`) as its kind, the account (a connector's name; connectors listed with
 * 、) and the department code it names. A developer's account may itself be an e-mail address:
 * only a suffix that is a department code (no dot) is taken as the department.
 */
export function actorParts(actor: string): {
  kind: string | undefined;
  name: string;
  department?: string;
} {
  if (actor === 'anonymous') return { kind: 'anonymous', name: '' };
  if (actor === ENFORCEMENT_ACTOR) return { kind: 'enforcement', name: '' };
  const colon = actor.indexOf(':');
  const kind = colon > 0 ? actor.slice(0, colon) : '';
  if (!KINDS.has(kind)) return { kind: undefined, name: actor };
  const rest = actor.slice(colon + 1);
  if (kind === 'connector') return { kind, name: rest.split(',').join('、') };
  const suffix = kind === 'api-key' ? null : DEPARTMENT_SUFFIX.exec(rest);
  return suffix
    ? { kind, name: rest.slice(0, suffix.index), department: suffix[1] }
    : { kind, name: rest };
}

/** An actor for a sentence: the account alone (`hz-gaj.approver`), or the text as it came. */
export function accountOf(actor: string | null | undefined): string | null {
  if (!actor) return null;
  const parts = actorParts(actor);
  return parts.kind && parts.name ? parts.name : actor;
}

/**
 * The exchange's own actor for what it decided by itself (a request for a 无条件共享 resource is
 * granted at once: `decidedBy` and `grantedBy` read `system`, createSharingRequest).
 */
export const AUTOMATIC_ACTOR = 'system';

/**
 * A person by name with their account beside it (赵丽（hz-rsj.steward）), else the account; the
 * exchange's automatic decision reads as `automatic` (系统自动批准), never as a person `system`.
 */
export function personLabel(
  actor: string | null | undefined,
  name: string | null | undefined,
  automatic: string,
): string | null {
  if (actor === AUTOMATIC_ACTOR && !name) return automatic;
  const account = accountOf(actor);
  return name && account ? `${name}（${account}）` : (account ?? name ?? null);
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

/** What a row's entry names: the resource, or (a refused call under a grant) only the grant. */
interface NamedEntry {
  resourceCode: string | null;
  grantId: string | null;
}

/**
 * What 交换记录 looks up to name a page's resources: the entries carry codes only, and a call
 * refused under a grant is recorded before its resource is known, so it names only the grant.
 */
export function resourceLookups(entries: readonly NamedEntry[]): {
  codes: string[];
  grantIds: string[];
} {
  const codes = new Set<string>();
  const grantIds = new Set<string>();
  for (const e of entries) {
    if (e.resourceCode) codes.add(e.resourceCode);
    else if (e.grantId) grantIds.add(e.grantId);
  }
  return { codes: [...codes], grantIds: [...grantIds] };
}

/**
 * The resource a row names, with its name where a lookup found one (resources' names by code,
 * grants' resources by grant id); undefined when the entry names neither a resource nor a grant
 * the viewer can read.
 */
export function rowResource(
  entry: NamedEntry,
  names: ReadonlyMap<string, string>,
  grants: ReadonlyMap<string, { code: string; name: string }>,
): { code: string; name?: string } | undefined {
  if (entry.resourceCode) {
    const name = names.get(entry.resourceCode);
    return name ? { code: entry.resourceCode, name } : { code: entry.resourceCode };
  }
  return entry.grantId ? grants.get(entry.grantId) : undefined;
}

/** A purpose by its name (`GET /v1/purposes`); a code the list does not know stands as it came. */
export function purposeName(code: string, purposes: ReadonlyMap<string, string>): string {
  return purposes.get(code) ?? code;
}

/**
 * Which change a `grant-change` entry records, as its label key, with the reason the provider
 * gave (suspending and revoking need one): `suspend`, `resume`, `revoke` (grantLifecycle),
 * `granted` by an approver or `granted-automatic` for a 无条件共享 resource (decideSharingRequest,
 * createSharingRequest), `open-application-approved` (decideOpenApplication). A grant that
 * runs out is no act of anyone's and has no entry. Undefined for other entries, or an entry
 * that does not say.
 */
export function grantChange(entry: {
  operation: string;
  details?: unknown;
}): { change: string; reason?: string } | undefined {
  if (entry.operation !== 'grant-change' || !entry.details || typeof entry.details !== 'object')
    return undefined;
  const { change, automatic, reason } = entry.details as Record<string, unknown>;
  if (typeof change !== 'string' || !change) return undefined;
  const key = change === 'granted' && automatic === true ? 'granted-automatic' : change;
  return typeof reason === 'string' && reason.trim()
    ? { change: key, reason: reason.trim().slice(0, 300) }
    : { change: key };
}

/**
 * The label key of a row's operation: the exchange records a developer's 开放申请 as a `request`
 * (with `details.openApplication`), which reads as 共享申请 unless told apart; and a provider's
 * rejection of a 共享申请 or 开放申请 as a `refusal` (with `details.requestNumber` or
 * `details.openApplication`), which would read as a refused call (拒绝).
 */
export function operationKey(entry: { operation: string; details?: unknown }): string {
  const details = entry.details && typeof entry.details === 'object' ? entry.details : {};
  if (entry.operation === 'request' && 'openApplication' in details) return 'open-application';
  if (entry.operation === 'refusal' && 'requestNumber' in details) return 'request-rejected';
  if (entry.operation === 'refusal' && 'openApplication' in details)
    return 'open-application-rejected';
  return entry.operation;
}
