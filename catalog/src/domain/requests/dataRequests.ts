import type { DataRequestStatus, PrismaClient } from '@gx/migrations';
import {
  authorize,
  InputError,
  NotFoundError,
  requirePrincipalActor,
  resolveLocalUser,
  type Actor,
} from '@gx/platform';
import type { Pool } from 'pg';
import { DATA_REQUEST_INCLUDE, dataRequestView } from './dataRequestViews.ts';

export interface DataRequestInput {
  title: string;
  description: string;
  wantedDepartment?: string;
  contact: string;
}

export interface DataRequestAnswer {
  status: 'answered' | 'opened' | 'declined';
  answer: string;
  datasetCode?: string;
}

/** 提出数据需求: a signed-in person asks; public from now on (the contact excepted). */
export async function createDataRequest({
  prisma,
  pool,
  actor,
  input,
}: {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  input: DataRequestInput;
}) {
  authorize(actor, 'datarequest.create', {}, 'write');
  const title = input.title.trim();
  const description = input.description.trim();
  const contact = input.contact.trim();
  const blank = (
    [
      ['/title', title],
      ['/description', description],
      ['/contact', contact],
    ] as const
  ).filter(([, value]) => !value);
  if (blank.length > 0)
    throw new InputError(
      '数据需求有误',
      blank.map(([path]) => ({ path, message: '不能为空' })),
    );
  const requesterId = await resolveLocalUser(pool, requirePrincipalActor(actor));
  let wantedDepartmentId: string | null = null;
  if (input.wantedDepartment !== undefined) {
    const department = await prisma.department.findUnique({
      where: { code: input.wantedDepartment },
    });
    if (!department)
      throw new InputError('数据需求有误', [
        { path: '/wantedDepartment', message: `没有编码为 ${input.wantedDepartment} 的部门` },
      ]);
    wantedDepartmentId = department.id;
  }
  const row = await prisma.dataRequest.create({
    data: {
      title,
      description,
      contact,
      wantedDepartmentId,
      requesterId,
    },
    include: DATA_REQUEST_INCLUDE,
  });
  return dataRequestView(row, actor);
}

/** One page of every request, newest first: the public list. */
export async function listDataRequests({
  prisma,
  actor,
  status,
  page = 1,
  pageSize = 20,
}: {
  prisma: PrismaClient;
  actor: Actor;
  status?: DataRequestStatus;
  page?: number;
  pageSize?: number;
}) {
  const where = status ? { status } : {};
  const [total, rows] = await Promise.all([
    prisma.dataRequest.count({ where }),
    prisma.dataRequest.findMany({
      where,
      include: DATA_REQUEST_INCLUDE,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return { total, page, pageSize, items: rows.map((r) => dataRequestView(r, actor)) };
}

export async function getDataRequest({
  prisma,
  actor,
  id,
}: {
  prisma: PrismaClient;
  actor: Actor;
  id: string;
}) {
  const row = await prisma.dataRequest.findUnique({ where: { id }, include: DATA_REQUEST_INCLUDE });
  if (!row) throw new NotFoundError('数据需求不存在');
  return dataRequestView(row, actor);
}

/**
 * 答复数据需求: a steward of the wanted department (of their own when the request names none)
 * answers publicly; a later answer replaces the earlier one. 已开放 names a published entry.
 */
export async function answerDataRequest({
  prisma,
  actor,
  id,
  input,
}: {
  prisma: PrismaClient;
  actor: Actor;
  id: string;
  input: DataRequestAnswer;
}) {
  const row = await prisma.dataRequest.findUnique({ where: { id }, include: DATA_REQUEST_INCLUDE });
  if (!row) throw new NotFoundError('数据需求不存在');
  const principal = requirePrincipalActor(actor);
  const departmentCode = row.wantedDepartment?.code ?? principal.departmentCode;
  authorize(actor, 'datarequest.answer', { departmentCode }, 'write');
  const text = input.answer.trim();
  if (!text) throw new InputError('答复有误', [{ path: '/answer', message: '请填写答复内容' }]);
  let datasetCode: string | null = null;
  if (input.status === 'opened') {
    if (!input.datasetCode)
      throw new InputError('答复有误', [
        { path: '/datasetCode', message: '已开放的答复须给出数据集代码' },
      ]);
    const resource = await prisma.resource.findUnique({ where: { code: input.datasetCode } });
    if (!resource || resource.status !== 'published')
      throw new InputError('答复有误', [
        { path: '/datasetCode', message: `没有已发布的数据集 ${input.datasetCode}` },
      ]);
    datasetCode = resource.code;
  }
  const department = await prisma.department.findUnique({ where: { code: departmentCode! } });
  const updated = await prisma.dataRequest.update({
    where: { id },
    data: {
      status: input.status,
      answer: text,
      datasetCode,
      answeredBy: `${principal.kind}:${principal.username}`,
      answeredDepartmentId: department?.id ?? null,
      answeredAt: new Date(),
    },
    include: DATA_REQUEST_INCLUDE,
  });
  return dataRequestView(updated, actor);
}
