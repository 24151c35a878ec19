import type { Pool } from 'pg';
import type { Prisma, PrismaClient } from '@gx/migrations';
import {
  ConflictError,
  describeActor,
  InputError,
  NotAllowedError,
  NotFoundError,
  type Actor,
} from '@gx/platform';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { loadOpenApplication } from './loadOpenApplication.ts';
import { APPLICATION_INCLUDE, openApplicationView } from './openApplicationView.ts';

export interface DecisionContext {
  prisma: PrismaClient;
  pool: Pool;
  evidence: EvidenceSink;
  actor: Actor;
  id: string;
  requestHash: string;
}

export interface ApprovalTerms {
  /** a subset of the actions asked for; default all of them */
  actions?: string[];
  dailyQuota?: number;
  /** ISO 8601 */
  validUntil?: string;
}

/** The waiting application, for its provider only: the applicant is told 403, others 404. */
async function waitingForProvider(ctx: DecisionContext) {
  const loaded = await loadOpenApplication(ctx.prisma, ctx.pool, ctx.actor, ctx.id);
  if (!loaded.isProvider) {
    if (loaded.isApplicant) throw new NotAllowedError('开放申请由提供部门审核，申请人不能自行审批');
    throw new NotFoundError('没有这个开放申请');
  }
  if (loaded.application.status !== 'submitted')
    throw new ConflictError('该开放申请已处理，不能再次审核');
  return loaded.application;
}

/** Move a submitted application on; a concurrent decision makes this one 409. */
async function decide(ctx: DecisionContext, data: Prisma.OpenApplicationUpdateManyMutationInput) {
  const { count } = await ctx.prisma.openApplication.updateMany({
    where: { id: ctx.id, status: 'submitted' },
    data: { ...data, decidedBy: describeActor(ctx.actor), decidedAt: new Date() },
  });
  if (count === 0) throw new ConflictError('该开放申请已被他人处理');
  return ctx.prisma.openApplication.findUniqueOrThrow({
    where: { id: ctx.id },
    include: APPLICATION_INCLUDE,
  });
}

/**
 * The provider's steward or approver approves: the applicant may then claim a key listing
 * exactly this resource with the granted actions, quota and validity. Evidence: a grant change.
 */
export async function approveOpenApplication(ctx: DecisionContext, terms: ApprovalTerms) {
  const application = await waitingForProvider(ctx);
  const actions = terms.actions ?? application.actions;
  const problems = actions
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => !application.actions.includes(a))
    .map(({ a, i }) => ({
      path: `/actions/${i}`,
      message: `申请未请求 ${a} 权限，不能超出申请范围批准`,
    }));
  const validUntil = terms.validUntil === undefined ? null : new Date(terms.validUntil);
  if (validUntil && !(validUntil.getTime() > Date.now()))
    problems.push({ path: '/validUntil', message: '有效期须晚于当前时间' });
  if (problems.length > 0) throw new InputError('批准条件有误', problems);
  const decided = await decide(ctx, {
    status: 'approved',
    grantedActions: actions,
    dailyQuota: terms.dailyQuota ?? null,
    validUntil,
  });
  await ctx.evidence.append({
    actor: describeActor(ctx.actor),
    actorKind: ctx.actor.kind,
    department: decided.resource.provider.code,
    resourceCode: decided.resource.code,
    operation: 'grant-change',
    recordCount: 0,
    requestHash: ctx.requestHash,
    details: {
      change: 'open-application-approved',
      openApplication: decided.id,
      actions,
      dailyQuota: decided.dailyQuota,
      validUntil: decided.validUntil?.toISOString() ?? null,
    },
  });
  return openApplicationView(decided);
}

/** The provider rejects with a reason the applicant reads. Evidence: a refusal. */
export async function rejectOpenApplication(ctx: DecisionContext, reason: string) {
  await waitingForProvider(ctx);
  if (!reason.trim())
    throw new InputError('请填写驳回理由', [{ path: '/reason', message: '不能为空' }]);
  const decided = await decide(ctx, { status: 'rejected', rejectReason: reason.trim() });
  await ctx.evidence.append({
    actor: describeActor(ctx.actor),
    actorKind: ctx.actor.kind,
    department: decided.resource.provider.code,
    resourceCode: decided.resource.code,
    operation: 'refusal',
    outcome: 'refused',
    recordCount: 0,
    requestHash: ctx.requestHash,
    details: { openApplication: decided.id, reason: reason.trim() },
  });
  return openApplicationView(decided);
}
