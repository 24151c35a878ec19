import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@gx/migrations';
import {
  authorize,
  canonicalJson,
  ConflictError,
  describeActor,
  InputError,
  NotFoundError,
  UnauthenticatedError,
  type Actor,
} from '@gx/platform';
import { sha256Hex } from '../evidence/evidenceEntry.ts';
import { compilePolicy, type Policy } from '../policy/compilePolicy.ts';
import type { EvidenceSink } from './evidenceSink.ts';
import { grantValidity, requestedWindow } from './grantValidity.ts';
import { resourceFieldTypes } from './resourceFieldTypes.ts';
import { isPartyTo, REQUEST_INCLUDE, requestView } from './views.ts';

export interface ApprovalTerms {
  /** narrower than (or equal to) the requested fields */
  fields?: string[];
  masks?: Policy['masks'];
  rowFilter?: Policy['rowFilter'];
  quotas?: Policy['quotas'];
  validFrom?: string;
  validUntil?: string;
  /** narrower than the requested delivery modes */
  deliveryModes?: string[];
  comment?: string;
}

interface DecideOptions {
  prisma: PrismaClient;
  evidence: EvidenceSink;
  actor: Actor;
  id: string;
}

const hash = (value: unknown) => sha256Hex(canonicalJson(value));

/** A request the caller may see: the consumer's or the provider's department, or a platform admin. */
export async function loadRequest(prisma: PrismaClient, actor: Actor, id: string) {
  // an identity is needed before anything is looked up (docs/authorization.md: 401, not 404)
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要登录或提供访问令牌');
  const request = /^[0-9a-f-]{36}$/i.test(id)
    ? await prisma.sharingRequest.findUnique({ where: { id }, include: REQUEST_INCLUDE })
    : await prisma.sharingRequest.findUnique({ where: { number: id }, include: REQUEST_INCLUDE });
  if (!request || !isPartyTo(actor, request)) {
    throw new NotFoundError('没有这个共享申请');
  }
  return request;
}

async function pending(prisma: PrismaClient, actor: Actor, id: string) {
  const request = await loadRequest(prisma, actor, id);
  authorize(actor, 'request.decide', { departmentCode: request.provider.code }, 'write');
  if (request.status !== 'pending') throw new ConflictError(`申请已处理（${request.status}）`);
  return request;
}

/**
 * The provider's approver grants a conditional request, possibly narrowing it: fewer fields,
 * masks, a row filter, quotas, a shorter validity, fewer delivery modes. Unless the approver
 * sets one, the grant is valid for the period the consumer asked for. The terms are compiled
 * against the resource before anything is stored, so a grant never holds a policy that fails.
 */
export async function approveSharingRequest({
  prisma,
  evidence,
  actor,
  id,
  terms,
}: DecideOptions & { terms: ApprovalTerms }) {
  const request = await pending(prisma, actor, id);
  const fields = terms.fields ?? request.fields;
  const problems = fields
    .map((f, i) =>
      request.fields.includes(f)
        ? undefined
        : { path: `/fields/${i}`, message: `申请中没有字段 ${f}，只能缩小范围` },
    )
    .filter((p) => p !== undefined);
  const modes = terms.deliveryModes ?? request.deliveryModes;
  modes.forEach((m, i) => {
    if (!request.deliveryModes.includes(m))
      problems.push({ path: `/deliveryModes/${i}`, message: `申请中没有方式 ${m}` });
  });
  const now = new Date();
  const { validFrom, validUntil, ...validity } = grantValidity(
    requestedWindow(request.periodStart, request.periodEnd),
    terms,
    now,
  );
  problems.push(...validity.problems);
  if (problems.length > 0) throw new InputError('授权范围不能超出申请', problems);
  const policy: Policy = {
    fields,
    purposes: request.purposeCodes,
    ...(terms.masks ? { masks: terms.masks } : {}),
    ...(terms.rowFilter ? { rowFilter: terms.rowFilter } : {}),
    ...(terms.quotas ? { quotas: terms.quotas } : {}),
    ...(validFrom ? { validFrom } : {}),
    ...(validUntil ? { validUntil } : {}),
  };
  compilePolicy(policy, await resourceFieldTypes(prisma, request.resourceId), Buffer.alloc(32));

  const decided = await prisma.$transaction(async (tx) => {
    const updated = await tx.sharingRequest.updateMany({
      where: { id: request.id, status: 'pending' },
      data: {
        status: 'approved',
        decidedBy: describeActor(actor),
        decidedAt: now,
        decisionReason: terms.comment ?? null,
      },
    });
    if (updated.count === 0) throw new ConflictError('申请已被他人处理');
    await tx.grant.create({
      data: {
        requestId: request.id,
        resourceId: request.resourceId,
        consumerId: request.consumerId,
        providerId: request.providerId,
        policy: policy as object,
        deliveryModes: modes,
        pseudonymKey: randomBytes(32),
        validFrom: policy.validFrom ? new Date(policy.validFrom) : now,
        validUntil: policy.validUntil ? new Date(policy.validUntil) : null,
        grantedBy: describeActor(actor),
      },
    });
    return tx.sharingRequest.findUniqueOrThrow({
      where: { id: request.id },
      include: REQUEST_INCLUDE,
    });
  });
  await evidence.append({
    actor: describeActor(actor),
    actorKind: actor.kind,
    department: request.provider.code,
    grantId: decided.grant!.id,
    resourceCode: request.resource.code,
    operation: 'grant-change',
    recordCount: 0,
    requestHash: hash({ operation: 'approve', id: request.id, terms }),
    details: { change: 'granted', requestNumber: request.number, policy },
  });
  return requestView(decided);
}

export async function rejectSharingRequest({
  prisma,
  evidence,
  actor,
  id,
  reason,
}: DecideOptions & { reason: string }) {
  const request = await pending(prisma, actor, id);
  if (!reason?.trim())
    throw new InputError('请说明驳回理由', [{ path: '/reason', message: '必填' }]);
  const updated = await prisma.sharingRequest.updateMany({
    where: { id: request.id, status: 'pending' },
    data: {
      status: 'rejected',
      decidedBy: describeActor(actor),
      decidedAt: new Date(),
      decisionReason: reason.trim(),
    },
  });
  if (updated.count === 0) throw new ConflictError('申请已被他人处理');
  await evidence.append({
    actor: describeActor(actor),
    actorKind: actor.kind,
    department: request.provider.code,
    resourceCode: request.resource.code,
    operation: 'refusal',
    recordCount: 0,
    requestHash: hash({ operation: 'reject', id: request.id, reason }),
    outcome: 'refused',
    details: { requestNumber: request.number, reason },
  });
  return requestView(
    await prisma.sharingRequest.findUniqueOrThrow({
      where: { id: request.id },
      include: REQUEST_INCLUDE,
    }),
  );
}

/** The consumer takes back a request nobody has decided yet. */
export async function withdrawSharingRequest({
  prisma,
  actor,
  id,
}: Omit<DecideOptions, 'evidence'>) {
  const request = await loadRequest(prisma, actor, id);
  authorize(actor, 'request.create', { departmentCode: request.consumer.code }, 'write');
  const updated = await prisma.sharingRequest.updateMany({
    where: { id: request.id, status: 'pending' },
    data: { status: 'withdrawn' },
  });
  if (updated.count === 0) throw new ConflictError(`申请已处理（${request.status}），不能撤回`);
  return requestView(
    await prisma.sharingRequest.findUniqueOrThrow({
      where: { id: request.id },
      include: REQUEST_INCLUDE,
    }),
  );
}
