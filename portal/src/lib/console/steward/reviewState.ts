import { getHistory } from './resources.ts';

/** Edits of an entry's fields, as opposed to the steps of its workflow. */
const EDITS = new Set(['update', 'import']);

/** The last workflow step of an entry's history (oldest first): `reject`, `revise`, `approve`… */
export function lastStepOf(history: readonly { action: string }[]): string | undefined {
  return history.findLast((h) => !EDITS.has(h.action))?.action;
}

interface Reviewed {
  status: string;
  reviewComment?: string | null;
}

/**
 * Whether the entry's review comment speaks to it now. The catalog keeps the last review's
 * comment: the approval of what is published, or the reason to change a draft it sent back. A
 * draft reopened by 修订 (or an entry resubmitted, or retired) holds only the previous review's
 * opinion. `lastStep` undefined (the history not at hand) keeps the comment current.
 */
export function reviewCommentIsCurrent(resource: Reviewed, lastStep: string | undefined): boolean {
  return (
    resource.status === 'published' ||
    (resource.status === 'draft' && (lastStep === undefined || lastStep === 'reject'))
  );
}

/**
 * An entry's state as the console names it: a draft sent back by review (退回) is 已退回, so the
 * steward sees at a glance what needs their attention; any other draft, reopened by 修订 after an
 * approval with its comment, say, is a 草稿.
 */
export function resourceState(resource: Reviewed, lastStep: string | undefined): string {
  return resource.status === 'draft' &&
    resource.reviewComment &&
    reviewCommentIsCurrent(resource, lastStep)
    ? 'rejected'
    : resource.status;
}

/**
 * The last workflow steps of the entries whose state depends on it (drafts with a review
 * comment), by code: what a list of entries needs to tell 已退回 from 草稿.
 */
export async function lastStepsOf(
  token: string,
  resources: readonly (Reviewed & { code: string })[],
): Promise<ReadonlyMap<string, string | undefined>> {
  const asked = resources.filter((r) => r.status === 'draft' && r.reviewComment);
  return new Map(
    await Promise.all(
      asked.map(async (r) => {
        const history = await getHistory(token, r.code);
        return [r.code, history.ok ? lastStepOf(history.data) : undefined] as const;
      }),
    ),
  );
}
