import { describe, expect, it } from 'vitest';
import { ConflictError } from '@gx/platform';
import {
  isOverdue,
  OBJECTION_STATES,
  OBJECTION_STEPS,
  stepFrom,
  STEPS,
  type ObjectionState,
  type ObjectionStep,
} from './objectionStateMachine.ts';

/** The row of a state in which the provider owes an answer. */
const AWAITING_ANSWER = {
  accept: 'accepted',
  reject: 'rejected',
  correct: 409,
  withdraw: 'withdrawn',
  close: 409,
  reopen: 409,
} as const;

/** The row of a state in which the raiser closes or reopens (after a rejection or a correction). */
const RAISERS_TURN = {
  accept: 409,
  reject: 409,
  correct: 409,
  withdraw: 409,
  close: 'closed',
  reopen: 'reopened',
} as const;

/**
 * Every state × step, written out: the state the step leads to, or `409` where the step is not
 * allowed. Derived tables would agree with a wrong implementation.
 */
const TABLE: Record<ObjectionState, Record<ObjectionStep, ObjectionState | 409>> = {
  open: AWAITING_ANSWER,
  accepted: {
    accept: 409,
    reject: 409,
    correct: 'corrected',
    withdraw: 'withdrawn',
    close: 409,
    reopen: 409,
  },
  rejected: RAISERS_TURN,
  corrected: RAISERS_TURN,
  // a reopened objection waits for an answer exactly as a new one does
  reopened: AWAITING_ANSWER,
  closed: { accept: 409, reject: 409, correct: 409, withdraw: 409, close: 409, reopen: 409 },
  withdrawn: { accept: 409, reject: 409, correct: 409, withdraw: 409, close: 409, reopen: 409 },
};

function outcome(state: ObjectionState, step: ObjectionStep): ObjectionState | 409 {
  try {
    return stepFrom(state, step).to;
  } catch (error) {
    expect(error).toBeInstanceOf(ConflictError);
    return (error as ConflictError).status as 409;
  }
}

describe('objection state machine', () => {
  it.each(OBJECTION_STATES)('from %s, every step leads where the table says', (state) => {
    const actual = Object.fromEntries(OBJECTION_STEPS.map((step) => [step, outcome(state, step)]));
    expect(actual).toEqual(TABLE[state]);
  });

  it('answers a refused step with a Chinese message naming the state and the step', () => {
    expect(() => stepFrom('open', 'correct')).toThrow('异议当前为「待处理」，不能标记已更正');
    expect(() => stepFrom('closed', 'reopen')).toThrow('异议当前为「已关闭」，不能重新打开');
  });

  it('has the provider answer and correct, the raiser withdraw, close and reopen', () => {
    expect(Object.fromEntries(OBJECTION_STEPS.map((step) => [step, STEPS[step].by]))).toEqual({
      accept: 'provider',
      reject: 'provider',
      correct: 'provider',
      withdraw: 'raiser',
      close: 'raiser',
      reopen: 'raiser',
    });
  });

  it('requires a reason to reject and to reopen, and nothing else', () => {
    expect(OBJECTION_STEPS.filter((step) => STEPS[step].requires)).toEqual(['reject', 'reopen']);
  });
});

describe('overdue', () => {
  const due = new Date('2026-11-27T10:00:00+08:00');
  const before = new Date('2026-11-27T09:59:59+08:00');
  const after = new Date('2026-11-27T10:00:01+08:00');

  it('is overdue only while the provider owes an answer and the due time has passed', () => {
    const overdueStates = OBJECTION_STATES.filter((state) =>
      isOverdue({ state, dueAt: due }, after),
    );
    expect(overdueStates).toEqual(['open', 'reopened']);
    expect(OBJECTION_STATES.some((state) => isOverdue({ state, dueAt: due }, before))).toBe(false);
    expect(isOverdue({ state: 'open', dueAt: due }, due)).toBe(false);
  });
});
