import type { Prisma, PrismaClient } from '@gx/migrations';
import { ConflictError, InputError } from '@gx/platform';
import { updateSearchDocument } from '../search/updateSearchDocument.ts';
import { resourceGrade, type ResourceInput } from './resourceInput.ts';

type Tx = Prisma.TransactionClient;

/** Resolve theme and statutory function named by the input, or report them as input errors. */
export async function resolveReferences(
  tx: Tx | PrismaClient,
  input: ResourceInput,
  providerId: string,
) {
  const theme = await tx.theme.findUnique({ where: { code: input.themeCode } });
  if (!theme)
    throw new InputError('主题分类不存在', [
      { path: '/themeCode', message: `没有主题分类 ${input.themeCode}` },
    ]);
  let functionId: string | null = null;
  if (input.functionCode) {
    const fn = await tx.statutoryFunction.findUnique({
      where: { departmentId_code: { departmentId: providerId, code: input.functionCode } },
    });
    if (!fn) {
      throw new InputError('所引用的三定职责不存在', [
        { path: '/functionCode', message: `提供方部门没有编码为 ${input.functionCode} 的职责` },
      ]);
    }
    functionId = fn.id;
  }
  return { theme, functionId };
}

/** Column values of a resource from its input (everything a steward edits). */
export function resourceColumns(input: ResourceInput, functionId: string | null) {
  return {
    name: input.name.trim(),
    abstract: input.abstract.trim(),
    themeCode: input.themeCode,
    serviceCategory: input.serviceCategory ?? null,
    keywords: input.keywords ?? [],
    format: input.format,
    sharingType: input.sharingType,
    sharingConditions: input.sharingConditions ?? null,
    sharingMethods: input.sharingType === 'none' ? [] : (input.sharingMethods ?? []),
    sharingLegalBasis: input.sharingLegalBasis ?? null,
    openType: input.openType,
    openConditions: input.openConditions ?? null,
    updateCycle: input.updateCycle,
    publishDate: input.publishDate ? new Date(`${input.publishDate}T00:00:00Z`) : null,
    sourceSystem: input.sourceSystem ?? null,
    relatedResourceCodes: input.relatedResourceCodes ?? [],
    functionId,
    dataGrade: resourceGrade(input),
    contactName: input.contactName ?? null,
    contactPhone: input.contactPhone ?? null,
    contactEmail: input.contactEmail ?? null,
  } satisfies Prisma.ResourceUncheckedUpdateInput;
}

/** Replace a resource's information items. */
export async function replaceItems(tx: Tx, resourceId: string, input: ResourceInput) {
  await tx.informationItem.deleteMany({ where: { resourceId } });
  await tx.informationItem.createMany({
    data: input.items.map((item, position) => ({
      resourceId,
      position,
      name: item.name,
      label: item.label.trim(),
      dataType: item.dataType,
      unit: item.unit ?? null,
      maxLength: item.maxLength ?? null,
      dataGrade: item.dataGrade ?? 'general',
      isPersonal: item.isPersonal ?? false,
      isRequired: item.isRequired ?? false,
      isKey: item.isKey ?? false,
      description: item.description ?? null,
    })),
  });
}

/** Refresh the search document after a write. */
export async function reindex(tx: Tx, resourceId: string) {
  const r = await tx.resource.findUniqueOrThrow({
    where: { id: resourceId },
    include: { provider: true, theme: true, items: { select: { label: true } } },
  });
  await updateSearchDocument(tx, {
    id: r.id,
    name: r.name,
    abstract: r.abstract,
    keywords: r.keywords,
    providerName: r.provider.name,
    providerShortName: r.provider.shortName,
    themeName: r.theme.name,
    itemLabels: r.items.map((i) => i.label),
  });
}

/**
 * The next code for a provider: 类项(from the theme) + 目细目 + the provider's 9-character
 * organisation code (from its 统一社会信用代码) + a 6-digit sequence per provider. The caller
 * holds a lock on the provider row so two creations never draw the same number.
 *
 * Only codes in the provider's own numbering (its organisation code) count: a harvested entry
 * keeps its remote code only inside that numbering, and otherwise gets a `-Z…-` code from
 * harvest_code_seq that no organisation code can equal (see domain/harvest).
 */
export async function nextResourceCode(
  tx: Tx,
  provider: { id: string; unifiedSocialCreditCode: string | null },
  classCode: string,
  subClassCode: string,
) {
  if (!provider.unifiedSocialCreditCode) {
    throw new ConflictError('该部门由目录采集创建，没有统一社会信用代码，不能在本目录编目');
  }
  const orgCode = provider.unifiedSocialCreditCode.slice(8, 17);
  const rows = await tx.$queryRaw<{ next: number }[]>`
    SELECT coalesce(max(right(code, 6)::int), 0) + 1 AS next FROM resources
     WHERE provider_id = ${provider.id}::uuid AND split_part(code, '-', 2) = ${orgCode}`;
  const sequence = String(rows[0]!.next).padStart(6, '0');
  return `${classCode}${subClassCode}-${orgCode}-${sequence}`;
}
