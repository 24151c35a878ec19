import type { Pool } from 'pg';
import type { Prisma, PrismaClient } from '@gx/migrations';
import {
  authorize,
  describeActor,
  InputError,
  NotAllowedError,
  NotFoundError,
  type Actor,
  type FieldProblem,
} from '@gx/platform';
import { addWorkingDays } from '../sharing/workingDays.ts';
import { recordObjectionStep, type ObjectionEvidenceSink } from './objectionEvidence.ts';
import { departmentOf, raiserIdentityOf } from './objectionParties.ts';
import { OBJECTION_INCLUDE, objectionView } from './objectionViews.ts';
import { raiserViews, type DataView } from './raiserViews.ts';

/** Working days a provider has to answer an objection, unless configured otherwise. */
export const OBJECTION_ANSWER_DAYS = 5;

export interface ObjectionInput {
  resourceCode: string;
  /** the record objected to, by its key in the hosted record store */
  recordKey?: string;
  /** information items objected to; none: the record or the resource as a whole */
  fields?: string[];
  /** what is wrong */
  description: string;
  /** per field, the value the raiser claims is correct */
  claimedValues?: Record<string, unknown>;
  /** links to supporting material */
  evidenceLinks?: string[];
}

export interface RaiseObjectionOptions {
  prisma: PrismaClient;
  pool: Pool;
  evidence: ObjectionEvidenceSink;
  actor: Actor;
  input: ObjectionInput;
  /** hash of the HTTP request, for the evidence entry */
  requestHash: string;
  answerDays?: number;
}

/** The views under which the raiser may name this record: key visible unmasked, row in scope. */
async function recordProblem(
  prisma: PrismaClient,
  resource: { id: string; items: { name: string; isKey: boolean }[] },
  views: DataView[],
  key: string,
): Promise<string | undefined> {
  const keyFields = resource.items.filter((i) => i.isKey).map((i) => i.name);
  const namable = views.filter(
    ({ policy: { policy } }) =>
      keyFields.length > 0 &&
      keyFields.every((k) => policy.fields.includes(k) && !policy.masks?.[k]),
  );
  if (namable.length === 0)
    return '您可见的数据中主键已脱敏或不提供，不能按主键指明记录，请在说明中描述该记录';
  const record = await prisma.record.findUnique({
    where: { resourceId_recordKey: { resourceId: resource.id, recordKey: key } },
  });
  const data = record?.data as Record<string, unknown> | undefined;
  // a record outside every row filter is as absent to the raiser as a missing one
  if (!data || !namable.some((v) => v.policy.matches(data))) return `没有主键为 ${key} 的记录`;
  return undefined;
}

/**
 * A consumer flags a provider's data as wrong (提出数据异议): a department on data it holds a
 * grant for, only on the fields the grant covers and rows it lets it see; a person or API key
 * on open data. The provider owes an answer within `answerDays` working days.
 */
export async function raiseObjection({
  prisma,
  pool,
  evidence,
  actor,
  input,
  requestHash,
  answerDays = OBJECTION_ANSWER_DAYS,
}: RaiseObjectionOptions) {
  const identity = await raiserIdentityOf(pool, actor);
  authorize(
    actor,
    'objection.raise',
    {
      departmentCode:
        identity && 'departmentCode' in identity ? identity.departmentCode : undefined,
    },
    'write',
  );
  if (!identity) throw new NotAllowedError('无法确定异议的提出方');
  const resource = await prisma.resource.findFirst({
    where: { code: input.resourceCode, status: 'published' },
    include: { provider: true, items: { orderBy: { position: 'asc' } } },
  });
  if (!resource) throw new NotFoundError(`没有已发布的信息资源 ${input.resourceCode}`);
  const views = await raiserViews({ prisma, pool, actor, identity, resource });

  const fields = input.fields ?? [];
  const names = resource.items.map((i) => i.name);
  const visible = new Set(views.flatMap((v) => v.policy.policy.fields));
  const underGrant = views[0]?.grantId !== null;
  const problems: FieldProblem[] = [];
  fields.forEach((field, i) => {
    if (!names.includes(field))
      problems.push({ path: `/fields/${i}`, message: `资源没有信息项 ${field}` });
    else if (!visible.has(field))
      problems.push({
        path: `/fields/${i}`,
        message: underGrant
          ? `授权不包含信息项 ${field}，只能对授权范围内的信息项提出异议`
          : `开放数据不包含信息项 ${field}`,
      });
  });
  for (const field of Object.keys(input.claimedValues ?? {})) {
    if (!fields.includes(field))
      problems.push({
        path: `/claimedValues/${field}`,
        message: '请先在 fields 中列出该信息项',
      });
  }
  if (input.recordKey !== undefined) {
    const problem = await recordProblem(prisma, resource, views, input.recordKey);
    if (problem) problems.push({ path: '/recordKey', message: problem });
  }
  if (!input.description.trim())
    problems.push({ path: '/description', message: '请说明数据哪里有误' });
  if (problems.length > 0) throw new InputError('数据异议有误', problems);

  // the grant that shows every named field, else the first: the basis the raiser saw the data on
  const basis =
    views.find((v) => fields.every((f) => v.policy.policy.fields.includes(f))) ?? views[0];
  const department = 'departmentCode' in identity ? identity.departmentCode : null;
  const now = new Date();
  const who = describeActor(actor);
  const data: Prisma.ObjectionCreateInput = {
    resource: { connect: { id: resource.id } },
    provider: { connect: { id: resource.providerId } },
    recordKey: input.recordKey ?? null,
    fields,
    description: input.description.trim(),
    ...(input.claimedValues ? { claimedValues: input.claimedValues as object } : {}),
    evidenceLinks: input.evidenceLinks ?? [],
    ...('departmentCode' in identity
      ? { raiserDepartment: { connect: { code: identity.departmentCode } } }
      : { raiserUser: { connect: { id: identity.userId } } }),
    raisedBy: who,
    raisedByKind: actor.kind,
    ...(basis?.grantId ? { grant: { connect: { id: basis.grantId } } } : {}),
    dueAt: addWorkingDays(now, answerDays),
    events: {
      create: {
        seq: 1,
        kind: 'raised',
        toState: 'open',
        actor: who,
        actorKind: actor.kind,
        departmentCode: department,
        comment: input.description.trim(),
        at: now,
      },
    },
  };
  const created = await prisma.objection.create({ data, include: OBJECTION_INCLUDE });
  const receipt = await recordObjectionStep(evidence, {
    actor,
    department,
    objection: created,
    resourceCode: resource.code,
    event: 'raised',
    from: null,
    to: 'open',
    requestHash,
  });
  return {
    objection: objectionView(created, {
      history: true,
      now,
      viewerDepartment: departmentOf(actor),
    }),
    receipt,
  };
}
