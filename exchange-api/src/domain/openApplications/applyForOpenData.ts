import type { Pool } from 'pg';
import { Prisma, type PrismaClient } from '@gx/migrations';
import { ConflictError, describeActor, InputError, NotFoundError, type Actor } from '@gx/platform';
import { misusedPurpose } from '../purposes/purposes.ts';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { applicantOf } from './applicantOf.ts';
import { APPLICATION_INCLUDE, openApplicationView } from './openApplicationView.ts';

export interface OpenApplicationInput {
  resourceCode: string;
  purpose: string;
  purposeCode?: string;
  realName: string;
  organisation: string;
  contact: string;
  intendedUse: string;
  actions?: string[];
}

export interface ApplyOptions {
  prisma: PrismaClient;
  pool: Pool;
  evidence: EvidenceSink;
  actor: Actor;
  input: OpenApplicationInput;
  requestHash: string;
}

const LIVE_CONFLICT = '您对该资源已有待审核或已批准的开放申请，请在“我的开放申请”中查看';

/** A field that is blank once trimmed: the spec's minLength lets "   " through. */
function blankFields(input: OpenApplicationInput) {
  const names = ['purpose', 'realName', 'organisation', 'contact', 'intendedUse'] as const;
  return names.filter((n) => !input[n].trim()).map((n) => ({ path: `/${n}`, message: '不能为空' }));
}

/**
 * A developer applies for one 有条件开放 resource (开放申请). Only published 有条件开放 entries
 * take applications: 无条件开放 needs none (409), 不予开放 and unknown ones are not open data
 * (404). One live application per developer and resource; the submission is evidence.
 */
export async function applyForOpenData({
  prisma,
  pool,
  evidence,
  actor,
  input,
  requestHash,
}: ApplyOptions) {
  const applicantId = await applicantOf(pool, actor);
  const resource = await prisma.resource.findFirst({
    where: { code: input.resourceCode, status: 'published' },
  });
  if (!resource || resource.openType === 'none')
    throw new NotFoundError(`没有代码为 ${input.resourceCode} 的开放数据资源`);
  if (resource.openType !== 'conditional')
    throw new ConflictError('该资源为无条件开放，无需申请，创建 API key 即可使用');
  const problems = blankFields(input);
  if (input.purposeCode !== undefined) {
    const purpose = await prisma.purpose.findUnique({ where: { code: input.purposeCode } });
    // only 开放数据用途 for new applications; older ones citing a sharing purpose still read
    const message = purpose ? misusedPurpose(purpose, 'open-data') : '没有这个用途编码';
    if (message) problems.push({ path: '/purposeCode', message });
  }
  if (problems.length > 0) throw new InputError('开放申请有误', problems);
  // an approval whose validity has ended is over: the developer may apply again
  await prisma.openApplication.updateMany({
    where: {
      applicantId,
      resourceId: resource.id,
      status: 'approved',
      validUntil: { lte: new Date() },
    },
    data: { status: 'expired' },
  });
  const live = await prisma.openApplication.findFirst({
    where: { applicantId, resourceId: resource.id, status: { in: ['submitted', 'approved'] } },
  });
  if (live) throw new ConflictError(LIVE_CONFLICT, { applicationId: live.id });
  let created;
  try {
    created = await prisma.openApplication.create({
      data: {
        resourceId: resource.id,
        applicantId,
        purpose: input.purpose.trim(),
        purposeCode: input.purposeCode ?? null,
        realName: input.realName.trim(),
        organisation: input.organisation.trim(),
        contact: input.contact.trim(),
        intendedUse: input.intendedUse.trim(),
        actions: input.actions ?? ['read'],
      },
      include: APPLICATION_INCLUDE,
    });
  } catch (error) {
    // two submissions racing past the check above meet the partial unique index
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      throw new ConflictError(LIVE_CONFLICT);
    throw error;
  }
  // the applicant's identity and contact are personal data: the application id leads to them
  await evidence.append({
    actor: describeActor(actor),
    actorKind: actor.kind,
    resourceCode: resource.code,
    purpose: input.purposeCode ?? null,
    operation: 'request',
    recordCount: 0,
    requestHash,
    details: { openApplication: created.id, event: 'submitted', actions: created.actions },
  });
  return openApplicationView(created);
}
