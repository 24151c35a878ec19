import { resourceState } from '../../../lib/console/steward/reviewState.ts';
import type { StewardText } from '../../../lib/i18n/console/steward.ts';

/** A directory entry's state as a badge (resourceState: 已退回 only for a draft sent back). */
export function StatusBadge({
  resource,
  lastStep,
  t,
}: {
  resource: { status: string; reviewComment?: string | null };
  /** the last workflow step of its history (lastStepOf) */
  lastStep: string | undefined;
  t: StewardText;
}) {
  const state = resourceState(resource, lastStep);
  return <span className={`badge steward-status steward-status-${state}`}>{t.status[state]}</span>;
}
