import type { Prisma, PrismaClient } from '@gx/migrations';
import {
  authorize,
  ConflictError,
  describeActor,
  InputError,
  NotAllowedError,
  type Actor,
} from '@gx/platform';
import { addWorkingDays } from '../sharing/workingDays.ts';
import { recordObjectionStep, type ObjectionEvidenceSink } from './objectionEvidence.ts';
import { departmentOf, loadObjection, type ObjectionContext } from './objectionParties.ts';
import {
  isAwaitingAnswer,
  stepFrom,
  STEPS,
  type ObjectionStep,
  type StepRule,
} from './objectionStateMachine.ts';
import { OBJECTION_INCLUDE, objectionView, type ObjectionRow } from './objectionViews.ts';
import { OBJECTION_ANSWER_DAYS } from './raiseObjection.ts';

export interface StepObjectionOptions extends ObjectionContext {
  evidence: ObjectionEvidenceSink;
  actor: Actor;
  /** objection id or number */
  id: string;
  step: ObjectionStep;
  /** the reply, reason or note that comes with the step */
  comment?: string;
  /** hash of the HTTP request, for the evidence entry */
  requestHash: string;
  answerDays?: number;
}

/**
 * A provider marking an objection on a record corrected must have changed that record since the
 * objection was raised (re-ingested it, or deleted it): "corrected" is a claim the raiser can
 * check, not a way to close the matter without touching the data.
 */
async function checkCorrected(prisma: PrismaClient, objection: ObjectionRow) {
  if (objection.recordKey === null) return;
  const record = await prisma.record.findUnique({
    where: {
      resourceId_recordKey: { resourceId: objection.resourceId, recordKey: objection.recordKey },
    },
    select: { updatedAt: true },
  });
  if (record && record.updatedAt.getTime() <= objection.createdAt.getTime())
    throw new ConflictError('该记录自异议提出后没有更新，请先更正数据再标记已更正');
}

/**
 * Take a step in the caller's transaction: the state moves, guarded by the revision read (a
 * step someone else took first is a conflict), and the step joins the thread. Returns the
 * objection after it.
 */
export async function applyObjectionStep(
  tx: Prisma.TransactionClient,
  {
    objection,
    rule,
    actor,
    department,
    comment,
    now,
    dueAt,
    correction,
  }: {
    objection: ObjectionRow;
    rule: StepRule;
    actor: Actor;
    department: string | null;
    comment: string | null;
    now: Date;
    /** a new due time (a step that makes the provider owe an answer again) */
    dueAt?: Date;
    /** what a 更正记录 changed (objection_events.correction) */
    correction?: Prisma.InputJsonValue;
  },
): Promise<ObjectionRow> {
  const revision = objection.revision + 1;
  const changed = await tx.objection.updateMany({
    where: { id: objection.id, revision: objection.revision, state: objection.state },
    data: { state: rule.to, revision, ...(dueAt ? { dueAt } : {}) },
  });
  if (changed.count === 0) throw new ConflictError('异议已被他人处理，请刷新后重试');
  await tx.objectionEvent.create({
    data: {
      objectionId: objection.id,
      seq: revision,
      kind: rule.event,
      fromState: objection.state,
      toState: rule.to,
      actor: describeActor(actor),
      actorKind: actor.kind,
      departmentCode: department,
      comment,
      at: now,
      ...(correction ? { correction } : {}),
    },
  });
  return tx.objection.findUniqueOrThrow({
    where: { id: objection.id },
    include: OBJECTION_INCLUDE,
  });
}

/**
 * One step of an objection after it was raised: the provider's steward accepts, rejects (with a
 * reason) or marks it corrected; the raiser withdraws, closes or reopens it (with a reason).
 * A step the current state does not allow is a conflict; so is a step someone else took first
 * (the update is guarded by the revision read). Each step joins the thread and the evidence log.
 */
export async function stepObjection({
  prisma,
  pool,
  evidence,
  actor,
  id,
  step,
  comment,
  requestHash,
  answerDays = OBJECTION_ANSWER_DAYS,
}: StepObjectionOptions) {
  const { objection, isRaiser } = await loadObjection({ prisma, pool }, actor, id);
  const rule = STEPS[step];
  let department: string | null;
  if (rule.by === 'provider') {
    department = objection.provider.code;
    authorize(actor, 'objection.answer', { departmentCode: department }, 'write');
  } else {
    department = objection.raiserDepartment?.code ?? null;
    authorize(actor, 'objection.raise', { departmentCode: department ?? undefined }, 'write');
    if (!isRaiser) throw new NotAllowedError(`只有提出异议的一方可以${rule.label}`);
  }
  stepFrom(objection.state, step);
  const text = comment?.trim() || null;
  if (rule.requires && !text)
    throw new InputError(`请说明${rule.requires}`, [{ path: '/comment', message: '必填' }]);
  if (step === 'correct') await checkCorrected(prisma, objection);

  const now = new Date();
  const updated = await prisma.$transaction((tx) =>
    applyObjectionStep(tx, {
      objection,
      rule,
      actor,
      department,
      comment: text,
      now,
      ...(isAwaitingAnswer(rule.to) ? { dueAt: addWorkingDays(now, answerDays) } : {}),
    }),
  );
  const receipt = await recordObjectionStep(evidence, {
    actor,
    department,
    objection: updated,
    resourceCode: updated.resource.code,
    event: rule.event,
    from: objection.state,
    to: rule.to,
    requestHash,
  });
  return {
    objection: objectionView(updated, {
      history: true,
      now,
      viewerDepartment: departmentOf(actor),
    }),
    receipt,
  };
}
