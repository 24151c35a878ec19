import { shownGrantStatus } from '../../../lib/console/approver/grantStatus.ts';

/**
 * A grant's status badge, as both sides read it (the provider's 共享授权, the consumer's grants):
 * 待生效 before its validity begins (`shownGrantStatus`), else the exchange's status.
 */
export function GrantStatusBadge({
  grant,
  statuses,
}: {
  grant: { status: string; validFrom: string };
  statuses: Readonly<Record<string, string>>;
}) {
  const shown = shownGrantStatus(grant);
  return (
    <span className={`approver-status approver-status-${shown}`}>
      {statuses[shown] ?? grant.status}
    </span>
  );
}
