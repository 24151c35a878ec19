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
 * `history` (the whole thread, oldest first) comes with single objections, not with lists.
 */
export function objectionView(
  o: ObjectionRow,
  { history = false, now = new Date() }: { history?: boolean; now?: Date } = {},
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
    revision: o.revision,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    ...(history ? { history: o.events.map(eventView) } : {}),
  };
}
