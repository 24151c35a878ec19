import { ConflictError } from '@gx/platform';

export const OBJECTION_STATES = [
  'open',
  'accepted',
  'rejected',
  'corrected',
  'reopened',
  'closed',
  'withdrawn',
] as const;
export type ObjectionState = (typeof OBJECTION_STATES)[number];

/** The steps after `raised`, as the API names them. */
export const OBJECTION_STEPS = [
  'accept',
  'reject',
  'correct',
  'withdraw',
  'close',
  'reopen',
] as const;
export type ObjectionStep = (typeof OBJECTION_STEPS)[number];

export type ObjectionEventKind =
  'raised' | 'accepted' | 'rejected' | 'corrected' | 'reopened' | 'closed' | 'withdrawn';

export const STATE_LABELS: Record<ObjectionState, string> = {
  open: '待处理',
  accepted: '已受理',
  rejected: '已驳回',
  corrected: '已更正',
  reopened: '重新打开',
  closed: '已关闭',
  withdrawn: '已撤回',
};

export interface StepRule {
  from: readonly ObjectionState[];
  to: ObjectionState;
  event: ObjectionEventKind;
  /** who takes the step: the provider's steward or the raising party */
  by: 'provider' | 'raiser';
  /** what the comment is called when it is required (a rejection needs its reason) */
  requires?: string;
  label: string;
}

/** States in which the provider owes an answer: these count towards `overdue`. */
const AWAITING_ANSWER: readonly ObjectionState[] = ['open', 'reopened'];

/**
 * The objection lifecycle. The provider answers an open (or reopened) objection by accepting
 * or rejecting it, and says when an accepted one is corrected; the raiser closes a rejected or
 * corrected one when satisfied, reopens it when not, and may withdraw it while it is undecided
 * or being corrected. `closed` and `withdrawn` are final.
 */
export const STEPS: Record<ObjectionStep, StepRule> = {
  accept: {
    from: AWAITING_ANSWER,
    to: 'accepted',
    event: 'accepted',
    by: 'provider',
    label: '受理',
  },
  reject: {
    from: AWAITING_ANSWER,
    to: 'rejected',
    event: 'rejected',
    by: 'provider',
    requires: '驳回理由',
    label: '驳回',
  },
  correct: {
    from: ['accepted'],
    to: 'corrected',
    event: 'corrected',
    by: 'provider',
    label: '标记已更正',
  },
  withdraw: {
    from: ['open', 'reopened', 'accepted'],
    to: 'withdrawn',
    event: 'withdrawn',
    by: 'raiser',
    label: '撤回',
  },
  close: {
    from: ['rejected', 'corrected'],
    to: 'closed',
    event: 'closed',
    by: 'raiser',
    label: '关闭',
  },
  reopen: {
    from: ['rejected', 'corrected'],
    to: 'reopened',
    event: 'reopened',
    by: 'raiser',
    requires: '重新打开的理由',
    label: '重新打开',
  },
};

/** The rule for `step` from `state`; a step the state does not allow is a 409. */
export function stepFrom(state: ObjectionState, step: ObjectionStep): StepRule {
  const rule = STEPS[step];
  if (!rule.from.includes(state)) {
    throw new ConflictError(`异议当前为「${STATE_LABELS[state]}」，不能${rule.label}`, {
      state,
      allowedFrom: rule.from,
    });
  }
  return rule;
}

export function isAwaitingAnswer(state: ObjectionState): boolean {
  return AWAITING_ANSWER.includes(state);
}

/** Overdue: the provider still owes an answer and the due time has passed. */
export function isOverdue(
  objection: { state: ObjectionState; dueAt: Date },
  now = new Date(),
): boolean {
  return isAwaitingAnswer(objection.state) && objection.dueAt.getTime() < now.getTime();
}
