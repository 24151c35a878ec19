import type { PrismaClient } from '@gx/migrations';

/**
 * Which vocabulary a purpose belongs to (`purposes.applies_to`): the sharing purposes departments
 * cite in 共享申请 and grants, or the 开放数据用途 a developer gives as a 开放申请's 用途类别.
 */
export type PurposeUse = 'sharing' | 'open-data';

export interface ListPurposesOptions {
  prisma: PrismaClient;
  use: PurposeUse;
}

/** One vocabulary's codes and Chinese names, in their order (`GET /v1/purposes`). */
export async function listPurposes({ prisma, use }: ListPurposesOptions) {
  const purposes = await prisma.purpose.findMany({
    where: { appliesTo: use },
    orderBy: { position: 'asc' },
  });
  return purposes.map(({ code, name }) => ({ code, name }));
}

const MISUSE: Record<PurposeUse, (code: string) => string> = {
  sharing: (code) => `用途编码 ${code} 是开放数据用途，共享申请请选择政务共享用途`,
  'open-data': (code) =>
    `用途编码 ${code} 是政务共享用途，开放申请请选择开放数据用途（如科学研究、公益服务、创新应用）`,
};

/**
 * Why a known purpose cannot be used here, or nothing when it belongs to this use: a sharing
 * purpose says nothing about a developer's use of open data, and an open-data one is no legal
 * ground for a department to receive shared data.
 */
export function misusedPurpose(
  purpose: { code: string; appliesTo: string },
  use: PurposeUse,
): string | undefined {
  return purpose.appliesTo === use ? undefined : MISUSE[use](purpose.code);
}
