import type { Prisma } from '@gx/migrations';
import type { LocalProvider } from './DepartmentResolver.ts';
import { RESOURCE_CODE_SHAPE } from './remoteEntry.ts';

/**
 * The local code of a newly harvested entry. The remote code is kept when it has our shape,
 * lies in its local provider's own numbering (the organisation code of its 统一社会信用代码)
 * and is free here: then nextResourceCode, which numbers on from the highest code in that
 * numbering, can never hand it out again. Otherwise the entry gets
 * `<class 9>-Z<8 digits>-<6 digits>` from harvest_code_seq: no organisation code contains a
 * Z, so no locally assigned code can ever equal it, and it still ends in six digits.
 */
export async function harvestedResourceCode(
  tx: Prisma.TransactionClient,
  candidate: string | null,
  provider: LocalProvider,
  classCode: string,
): Promise<string> {
  const orgCode = provider.unifiedSocialCreditCode?.slice(8, 17);
  if (candidate && RESOURCE_CODE_SHAPE.test(candidate) && candidate.split('-')[1] === orgCode) {
    const taken = await tx.resource.findUnique({
      where: { code: candidate },
      select: { id: true },
    });
    if (!taken) return candidate;
  }
  const rows = await tx.$queryRaw<{ n: bigint }[]>`SELECT nextval('harvest_code_seq') AS n`;
  const n = rows[0]!.n;
  const high = String(n / 1_000_000n).padStart(8, '0');
  const low = String(n % 1_000_000n).padStart(6, '0');
  const classification =
    candidate && RESOURCE_CODE_SHAPE.test(candidate)
      ? `${classCode}${candidate.slice(3, 9)}`
      : `${classCode}001001`;
  return `${classification}-Z${high}-${low}`;
}
