import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@gx/migrations';
import {
  authorize,
  canonicalJson,
  ConflictError,
  describeActor,
  InputError,
  NotFoundError,
  type Actor,
} from '@gx/platform';
import { sha256Hex } from '../evidence/evidenceEntry.ts';
import { compilePolicy, type Policy } from '../policy/compilePolicy.ts';
import { misusedPurpose } from '../purposes/purposes.ts';
import type { EvidenceSink } from './evidenceSink.ts';
import { refuseHarvestedWrite } from '../harvestedEntry.ts';
import { requestedWindow, todayInChina } from './grantValidity.ts';
import { resourceFieldTypes } from './resourceFieldTypes.ts';
import { REQUEST_INCLUDE, requestView } from './views.ts';
import { addWorkingDays } from './workingDays.ts';

export interface SharingRequestInput {
  resourceCode: string;
  fields?: string[];
  purposeCodes: string[];
  purposeText: string;
  legalBasisFunctionCode?: string;
  legalBasisText?: string;
  deliveryModes: ('query' | 'verify' | 'bulk' | 'subscription')[];
  periodStart?: string;
  periodEnd?: string;
  expectedVolume?: string;
}

export interface CreateSharingRequestOptions {
  prisma: PrismaClient;
  evidence: EvidenceSink;
  actor: Actor;
  input: SharingRequestInput;
  /** working days the provider has to decide a conditional request */
  decisionDays: number;
}

const hash = (value: unknown) => sha256Hex(canonicalJson(value));

async function nextNumber(prisma: PrismaClient): Promise<string> {
  const rows = await prisma.$queryRaw<
    { seq: bigint }[]
  >`SELECT nextval('sharing_request_number_seq') AS seq`;
  const seq = rows[0]!.seq;
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `SQ${today}${String(seq).padStart(6, '0')}`;
}

/**
 * A department asks for another department's resource (共享申请). 无条件共享 is granted at once
 * (still recorded); 有条件共享 waits for the provider's approvers until a deadline; 不予共享 is
 * refused with the legal basis the provider cited. Every outcome is evidence.
 */
export async function createSharingRequest({
  prisma,
  evidence,
  actor,
  input,
  decisionDays,
}: CreateSharingRequestOptions) {
  const consumerCode =
    actor.kind === 'user' || actor.kind === 'system' ? actor.departmentCode : undefined;
  authorize(actor, 'request.create', { departmentCode: consumerCode }, 'write');
  const consumer = await prisma.department.findUniqueOrThrow({ where: { code: consumerCode! } });
  const resource = await prisma.resource.findFirst({
    where: { code: input.resourceCode, status: 'published' },
    include: {
      provider: true,
      items: { orderBy: { position: 'asc' } },
      harvestSource: { select: { name: true } },
    },
  });
  if (!resource) throw new NotFoundError(`没有已发布的信息资源 ${input.resourceCode}`);
  refuseHarvestedWrite(
    {
      harvestSource: resource.harvestSource?.name ?? null,
      harvestSourceUrl: resource.harvestSourceUrl,
    },
    '共享申请',
  );
  if (resource.providerId === consumer.id) throw new ConflictError('不能申请本部门自己的资源');

  const names = resource.items.map((i) => i.name);
  const fields = input.fields?.length ? input.fields : names;
  const unknown = fields.filter((f) => !names.includes(f));
  const problems = unknown.map((f) => ({
    path: `/fields/${fields.indexOf(f)}`,
    message: `资源没有字段 ${f}`,
  }));
  const known = await prisma.purpose.findMany({ where: { code: { in: input.purposeCodes } } });
  input.purposeCodes.forEach((code, i) => {
    const purpose = known.find((p) => p.code === code);
    const message = purpose ? misusedPurpose(purpose, 'sharing') : `没有用途编码 ${code}`;
    if (message) problems.push({ path: `/purposeCodes/${i}`, message });
  });
  let legalBasisFunctionId: string | null = null;
  if (input.legalBasisFunctionCode) {
    const fn = await prisma.statutoryFunction.findUnique({
      where: {
        departmentId_code: { departmentId: consumer.id, code: input.legalBasisFunctionCode },
      },
    });
    if (!fn) problems.push({ path: '/legalBasisFunctionCode', message: '本部门没有这项三定职责' });
    legalBasisFunctionId = fn?.id ?? null;
  } else if (!input.legalBasisText?.trim()) {
    problems.push({
      path: '/legalBasisFunctionCode',
      message: '请引用本部门的三定职责，或说明依据',
    });
  }
  if (input.periodStart && input.periodEnd && input.periodEnd < input.periodStart) {
    problems.push({ path: '/periodEnd', message: '结束日期早于开始日期' });
  } else if (input.periodEnd && input.periodEnd < todayInChina()) {
    problems.push({ path: '/periodEnd', message: '结束日期已过：请填写今天或以后的日期' });
  }
  if (problems.length > 0) throw new InputError('共享申请有误', problems);

  const who = describeActor(actor);
  const number = await nextNumber(prisma);
  // one instant for filing and an automatic decision, so the decision never reads as earlier
  const now = new Date();
  const base = {
    createdAt: now,
    number,
    resourceId: resource.id,
    consumerId: consumer.id,
    providerId: resource.providerId,
    requestedBy: 'username' in actor ? actor.username : who,
    requestedByKind: actor.kind,
    fields,
    purposeCodes: input.purposeCodes,
    purposeText: input.purposeText,
    legalBasisFunctionId,
    legalBasisText: input.legalBasisText ?? null,
    deliveryModes: input.deliveryModes,
    periodStart: input.periodStart ? new Date(`${input.periodStart}T00:00:00Z`) : null,
    periodEnd: input.periodEnd ? new Date(`${input.periodEnd}T00:00:00Z`) : null,
    expectedVolume: input.expectedVolume ?? null,
  };
  const requestHash = hash({ operation: 'sharing-request', input });
  const record = (
    operation: 'request' | 'refusal' | 'grant-change',
    details: Record<string, unknown>,
    grantId?: string,
  ) =>
    evidence.append({
      actor: who,
      actorKind: actor.kind,
      department: consumer.code,
      grantId: grantId ?? null,
      purpose: input.purposeCodes.join(','),
      resourceCode: resource.code,
      operation,
      recordCount: 0,
      requestHash,
      outcome: operation === 'refusal' ? 'refused' : 'ok',
      details: { requestNumber: number, ...details },
    });

  if (resource.sharingType === 'none') {
    const refused = await prisma.sharingRequest.create({
      data: {
        ...base,
        status: 'refused',
        decidedBy: 'system',
        decidedAt: now,
        decisionReason: resource.sharingLegalBasis,
      },
      include: REQUEST_INCLUDE,
    });
    await record('refusal', { reason: 'not-shared', legalBasis: resource.sharingLegalBasis });
    throw new ConflictError(`该资源不予共享，依据：${resource.sharingLegalBasis}`, {
      sharingLegalBasis: resource.sharingLegalBasis,
      request: requestView(refused),
    });
  }

  if (resource.sharingType === 'unconditional') {
    const policy: Policy = {
      fields,
      purposes: input.purposeCodes,
      ...requestedWindow(input.periodStart, input.periodEnd),
    };
    compilePolicy(policy, await resourceFieldTypes(prisma, resource.id), Buffer.alloc(32));
    const created = await prisma.$transaction(async (tx) => {
      const request = await tx.sharingRequest.create({
        data: {
          ...base,
          status: 'approved',
          decidedBy: 'system',
          decidedAt: now,
          decisionReason: '无条件共享，自动授权',
        },
      });
      await tx.grant.create({
        data: {
          requestId: request.id,
          resourceId: resource.id,
          consumerId: consumer.id,
          providerId: resource.providerId,
          policy: policy as object,
          deliveryModes: input.deliveryModes,
          pseudonymKey: randomBytes(32),
          validFrom: policy.validFrom ? new Date(policy.validFrom) : now,
          validUntil: policy.validUntil ? new Date(policy.validUntil) : null,
          grantedBy: 'system',
        },
      });
      return tx.sharingRequest.findUniqueOrThrow({
        where: { id: request.id },
        include: REQUEST_INCLUDE,
      });
    });
    await record('request', { sharingType: 'unconditional' });
    await record('grant-change', { change: 'granted', automatic: true }, created.grant!.id);
    return requestView(created);
  }

  const created = await prisma.sharingRequest.create({
    data: { ...base, status: 'pending', deadlineAt: addWorkingDays(now, decisionDays) },
    include: REQUEST_INCLUDE,
  });
  await record('request', { sharingType: 'conditional' });
  return requestView(created);
}
