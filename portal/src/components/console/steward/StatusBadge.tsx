import type { StewardText } from '../../../lib/i18n/console/steward.ts';

/**
 * A directory entry's state as a badge. A draft that carries a review comment came back from
 * review: 已退回, so the steward sees at a glance what needs their attention.
 */
export function resourceState(resource: { status: string; reviewComment?: string | null }): string {
  return resource.status === 'draft' && resource.reviewComment ? 'rejected' : resource.status;
}

export function StatusBadge({
  resource,
  t,
}: {
  resource: { status: string; reviewComment?: string | null };
  t: StewardText;
}) {
  const state = resourceState(resource);
  return <span className={`badge steward-status steward-status-${state}`}>{t.status[state]}</span>;
}
