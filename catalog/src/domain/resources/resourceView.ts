import type { Prisma } from '@gx/migrations';
import type { ResourceInput } from './resourceInput.ts';

/** What a resource query must include to build its view. */
export const RESOURCE_INCLUDE = {
  provider: { include: { region: true } },
  theme: true,
  function: true,
  items: { orderBy: { position: 'asc' } },
  harvestSource: { select: { name: true } },
} satisfies Prisma.ResourceInclude;

export type ResourceRow = Prisma.ResourceGetPayload<{ include: typeof RESOURCE_INCLUDE }>;

const dateOnly = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function resourceView(r: ResourceRow) {
  return {
    code: r.code,
    name: r.name,
    abstract: r.abstract,
    provider: { code: r.provider.code, name: r.provider.name, shortName: r.provider.shortName },
    regionCode: r.provider.region.code,
    regionName: r.provider.region.name,
    theme: { code: r.theme.code, name: r.theme.name, kind: r.theme.kind },
    subClassCode: r.code.slice(3, 9),
    serviceCategory: r.serviceCategory,
    keywords: r.keywords,
    format: r.format,
    sharingType: r.sharingType,
    sharingConditions: r.sharingConditions,
    sharingMethods: r.sharingMethods,
    sharingLegalBasis: r.sharingLegalBasis,
    openType: r.openType,
    openConditions: r.openConditions,
    updateCycle: r.updateCycle,
    publishDate: dateOnly(r.publishDate),
    sourceSystem: r.sourceSystem,
    relatedResourceCodes: r.relatedResourceCodes,
    function: r.function ? { code: r.function.code, name: r.function.name } : null,
    dataGrade: r.dataGrade,
    contactName: r.contactName,
    contactPhone: r.contactPhone,
    contactEmail: r.contactEmail,
    status: r.status,
    revision: r.revision,
    schemaVersion: r.schemaVersion,
    dataUpdatedAt: iso(r.dataUpdatedAt),
    reviewComment: r.reviewComment,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    publishedAt: iso(r.publishedAt),
    retiredAt: iso(r.retiredAt),
    items: r.items.map((i) => ({
      name: i.name,
      label: i.label,
      dataType: i.dataType,
      unit: i.unit,
      maxLength: i.maxLength,
      dataGrade: i.dataGrade,
      isPersonal: i.isPersonal,
      isRequired: i.isRequired,
      isKey: i.isKey,
      description: i.description,
    })),
    // a harvested entry is a read-only copy: where it came from, and its page there
    harvest: r.harvestSource
      ? {
          source: r.harvestSource.name,
          sourceUrl: r.harvestSourceUrl,
          harvestedAt: iso(r.harvestedAt),
        }
      : null,
  };
}

export type ResourceView = ReturnType<typeof resourceView>;

/** The editable part of a resource, in the shape a steward writes it (Excel export, diffs). */
export function toResourceInput(
  view: ResourceView,
): Required<Omit<ResourceInput, 'providerCode'>> & { providerCode: string } {
  return {
    providerCode: view.provider.code,
    name: view.name,
    abstract: view.abstract,
    themeCode: view.theme.code,
    subClassCode: view.subClassCode,
    serviceCategory: view.serviceCategory,
    keywords: view.keywords,
    format: view.format,
    sharingType: view.sharingType,
    sharingConditions: view.sharingConditions,
    sharingMethods: view.sharingMethods as ResourceInput['sharingMethods'] & object,
    sharingLegalBasis: view.sharingLegalBasis,
    openType: view.openType,
    openConditions: view.openConditions,
    updateCycle: view.updateCycle,
    publishDate: view.publishDate,
    sourceSystem: view.sourceSystem,
    relatedResourceCodes: view.relatedResourceCodes,
    functionCode: view.function?.code ?? null,
    dataGrade: view.dataGrade,
    contactName: view.contactName,
    contactPhone: view.contactPhone,
    contactEmail: view.contactEmail,
    items: view.items.map((i) => ({ ...i })),
  };
}
