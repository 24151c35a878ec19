/** What the trail reads of a change in the catalog's history (`GET /v1/resources/{code}/history`). */
export interface HistoryEntry {
  id: number;
  action: string;
  actor: string;
  /** the person's name beside the account, where the catalog knows it */
  actorName?: string | null;
  comment?: string | null;
  at: string;
}

/** The workflow's steps, as opposed to edits of the entry's fields. */
const STEPS = new Set(['submit', 'approve', 'reject', 'publish', 'retire', 'revise']);

export interface ReviewTrail {
  /** the submission now under review: who sent it, when, and the steward's note (给审核人的说明) */
  submission:
    { actor: string; actorName: string | null; at: string; note: string | null } | undefined;
  /** every earlier step of the workflow, latest first: decisions with their comments */
  earlier: HistoryEntry[];
}

/**
 * What the reviewer needs besides the entry itself, read from its history (oldest first): the
 * latest submission with the steward's note, and what happened before it — earlier
 * submissions, rejections with their reasons, approvals, retirements.
 */
export function reviewTrail(history: readonly HistoryEntry[]): ReviewTrail {
  const steps = history.filter((h) => STEPS.has(h.action));
  const last = steps.findLastIndex((h) => h.action === 'submit');
  const latest = last >= 0 ? steps[last] : undefined;
  return {
    submission: latest
      ? {
          actor: latest.actor,
          actorName: latest.actorName ?? null,
          at: latest.at,
          note: latest.comment?.trim() || null,
        }
      : undefined,
    earlier: steps.slice(0, last >= 0 ? last : steps.length).reverse(),
  };
}
