import type { Department, Objection, ObjectionEvent, Resource } from '@gx/migrations';
import { isOverdue, STATE_LABELS } from './objectionStateMachine.ts';

export const OBJECTION_INCLUDE = {
  resource: true,
  provider: true,
  raiserDepartment: true,
  events: { orderBy: { seq: 'asc' } },
} as const;

export type ObjectionRow = Objection & {
  resource: Resource;
  provider: Department;
  raiserDepartment: Department | null;
  events: ObjectionEvent[];
};

/** One field a correction changed: its value before and after (null: absent). */
export interface CorrectionChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** What a `corrected` event made by 更正记录 keeps (objection_events.correction). */
export interface StoredCorrection {
  schemaVersion: number;
  /** as stored: for the provider */
  changes: CorrectionChange[];
  /** as the raiser's grant (or the open policy) shows the record: for everyone else */
  raiserView: CorrectionChange[];
}

/**
 * The latest correction made from the objection, as the viewer may see it: the provider's
 * department the values as stored, anyone else (the raiser, the data authority) as the raiser's
 * grant shows them, masks applied.
 */
function correctionView(o: ObjectionRow, viewerDepartment: string | undefined) {
  const event = o.events.findLast((e) => e.kind === 'corrected' && e.correction !== null);
  if (!event) return null;
  const stored = event.correction as unknown as StoredCorrection;
  return {
    by: event.actor,
    at: event.at.toISOString(),
    comment: event.comment,
    schemaVersion: stored.schemaVersion,
    changes: viewerDepartment === o.provider.code ? stored.changes : stored.raiserView,
  };
}

function eventView(e: ObjectionEvent) {
  return {
    seq: e.seq,
    event: e.kind,
    fromState: e.fromState,
    toState: e.toState,
    actor: e.actor,
    actorKind: e.actorKind,
    department: e.departmentCode,
    comment: e.comment,
    at: e.at.toISOString(),
  };
}

/**
 * What both parties see of an objection. `overdue` is computed, never stored: the provider
 * owes an answer and the due time has passed. `answer` is the provider's latest decision;
 * `history` (the whole thread, oldest first) comes with single objections, not with lists;
 * `correction` is the latest 更正记录 (old → new), as the viewer may see it.
 */
export function objectionView(
  o: ObjectionRow,
  {
    history = false,
    now = new Date(),
    viewerDepartment,
  }: {
    history?: boolean;
    now?: Date;
    /** the caller's department: its provider sees corrected values as stored */
    viewerDepartment?: string;
  } = {},
) {
  const answer = o.events.findLast((e) => e.kind === 'accepted' || e.kind === 'rejected');
  return {
    id: o.id,
    number: o.number,
    resource: { code: o.resource.code, name: o.resource.name },
    provider: { code: o.provider.code, name: o.provider.name },
    recordKey: o.recordKey,
    fields: o.fields,
    description: o.description,
    claimedValues: (o.claimedValues as Record<string, unknown> | null) ?? null,
    evidenceLinks: o.evidenceLinks,
    raiser: {
      department: o.raiserDepartment
        ? { code: o.raiserDepartment.code, name: o.raiserDepartment.name }
        : null,
      by: o.raisedBy,
      kind: o.raisedByKind,
    },
    grantId: o.grantId,
    state: o.state,
    stateLabel: STATE_LABELS[o.state],
    dueAt: o.dueAt.toISOString(),
    overdue: isOverdue(o, now),
    answer: answer
      ? {
          decision: answer.kind,
          reply: answer.comment,
          by: answer.actor,
          at: answer.at.toISOString(),
        }
      : null,
    correction: correctionView(o, viewerDepartment),
    revision: o.revision,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    ...(history ? { history: o.events.map(eventView) } : {}),
  };
}

/** An objection as the API answers it, before its people are named (nameObjectionPeople). */
export type ObjectionView = ReturnType<typeof objectionView>;
