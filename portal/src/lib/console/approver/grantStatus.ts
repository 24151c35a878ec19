/**
 * A grant's status as people read it. The exchange stores an approved grant as `active` from
 * the start, and refuses its calls until its validity begins (授权尚未生效); such a grant is
 * shown as `scheduled` (待生效), so that neither the provider nor the consumer reads 有效 for a
 * grant whose calls are refused.
 */
export function shownGrantStatus(
  grant: { status: string; validFrom: string },
  now: number = Date.now(),
): string {
  return grant.status === 'active' && Date.parse(grant.validFrom) > now
    ? 'scheduled'
    : grant.status;
}
