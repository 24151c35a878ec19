import type { Prisma, PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { dataAuthorityCodes } from '../resources/loadResource.ts';
import { visibleResources } from '../resources/visibility.ts';

/**
 * The published catalogue as the exporters (DCAT-AP, data.json, the CKAN Action API) read it.
 * One query module so that every interop format lists exactly the same entries for the same
 * caller: published, and visible to that caller under the directory's own rules
 * (`visibleResources`), in a stable order (by code) so that paging never skips or repeats.
 */

export type SharingTypeCode = 'unconditional' | 'conditional' | 'none';
export type OpenTypeCode = 'open' | 'conditional' | 'none';
export type UpdateCycleCode =
  'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';

export interface PublishedProvider {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  /** 统一社会信用代码; null only for a department created by harvesting */
  unifiedSocialCreditCode: string | null;
  kind: string;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  region: { code: string; name: string; level: string };
}

export interface PublishedItem {
  name: string;
  label: string;
  type: string;
  unit: string | null;
  isPersonal: boolean;
  description: string | null;
}

/** Everything an exporter needs about one published directory entry. */
export interface PublishedResource {
  id: string;
  code: string;
  name: string;
  abstract: string;
  keywords: string[];
  theme: { code: string; name: string; kind: string };
  provider: PublishedProvider;
  format: string;
  sharingType: SharingTypeCode;
  sharingConditions: string | null;
  sharingLegalBasis: string | null;
  openType: OpenTypeCode;
  openConditions: string | null;
  updateCycle: UpdateCycleCode;
  /** 数据分级: general, important, core (the CKAN API's `data_grade` extra) */
  dataGrade: string;
  /** the 发布日期 the steward wrote (a date, no time) */
  publishDate: Date | null;
  dataUpdatedAt: Date | null;
  publishedAt: Date | null;
  updatedAt: Date;
  createdAt: Date;
  contact: { name: string | null; phone: string | null; email: string | null };
  items: PublishedItem[];
  /** whether the provider set its own open policy (otherwise the default one applies) */
  hasOpenPolicy: boolean;
  /** 三定职责 cited by the entry */
  statutoryFunction: { code: string; name: string } | null;
  /** where a harvested entry came from (its page at the source); undefined for our own entries */
  harvestedFrom?: { sourceUrl: string };
}

export interface LoadPublishedResourcesOptions {
  /** 1-based */
  page: number;
  pageSize: number;
  /** only these codes (unknown or invisible codes are simply absent) */
  codes?: readonly string[];
  /** only entries changed at or after this instant (incremental harvesting) */
  modifiedSince?: Date;
  /** only entries of these open types (data.json lists the open ones whoever asks) */
  openTypes?: readonly OpenTypeCode[];
}

export interface PublishedPage {
  total: number;
  resources: PublishedResource[];
}

const PUBLISHED_INCLUDE = {
  provider: { include: { region: true } },
  theme: true,
  function: true,
  items: { orderBy: { position: 'asc' } },
  openPolicy: { select: { resourceId: true } },
} satisfies Prisma.ResourceInclude;

type PublishedRow = Prisma.ResourceGetPayload<{ include: typeof PUBLISHED_INCLUDE }>;

/** The WHERE of the published entries this caller may see (shared by the page and the totals). */
export async function publishedWhere(
  prisma: PrismaClient,
  actor: Actor,
  filters: Pick<LoadPublishedResourcesOptions, 'codes' | 'modifiedSince' | 'openTypes'> = {},
): Promise<Prisma.ResourceWhereInput> {
  return {
    AND: [
      // visibleResources also lets a department see its own drafts: an export lists only
      // what is published, whoever asks
      { status: 'published' },
      visibleResources(actor, await dataAuthorityCodes(prisma)),
      filters.codes ? { code: { in: [...filters.codes] } } : {},
      filters.modifiedSince ? { updatedAt: { gte: filters.modifiedSince } } : {},
      filters.openTypes ? { openType: { in: [...filters.openTypes] } } : {},
    ],
  };
}

function toPublished(r: PublishedRow): PublishedResource {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    abstract: r.abstract,
    keywords: r.keywords,
    theme: { code: r.theme.code, name: r.theme.name, kind: r.theme.kind },
    provider: {
      id: r.provider.id,
      code: r.provider.code,
      name: r.provider.name,
      shortName: r.provider.shortName,
      unifiedSocialCreditCode: r.provider.unifiedSocialCreditCode,
      kind: r.provider.kind,
      contactName: r.provider.contactName,
      contactPhone: r.provider.contactPhone,
      contactEmail: r.provider.contactEmail,
      region: {
        code: r.provider.region.code,
        name: r.provider.region.name,
        level: r.provider.region.level,
      },
    },
    format: r.format,
    sharingType: r.sharingType,
    sharingConditions: r.sharingConditions,
    sharingLegalBasis: r.sharingLegalBasis,
    openType: r.openType,
    openConditions: r.openConditions,
    updateCycle: r.updateCycle,
    dataGrade: r.dataGrade,
    publishDate: r.publishDate,
    dataUpdatedAt: r.dataUpdatedAt,
    publishedAt: r.publishedAt,
    updatedAt: r.updatedAt,
    createdAt: r.createdAt,
    contact: { name: r.contactName, phone: r.contactPhone, email: r.contactEmail },
    items: r.items.map((i) => ({
      name: i.name,
      label: i.label,
      type: i.dataType,
      unit: i.unit,
      isPersonal: i.isPersonal,
      description: i.description,
    })),
    hasOpenPolicy: r.openPolicy !== null,
    statutoryFunction: r.function ? { code: r.function.code, name: r.function.name } : null,
    ...(r.harvestSourceUrl ? { harvestedFrom: { sourceUrl: r.harvestSourceUrl } } : {}),
  };
}

/** One page of the published entries the caller may see, ordered by code. */
export async function loadPublishedResources(
  prisma: PrismaClient,
  actor: Actor,
  { page, pageSize, codes, modifiedSince, openTypes }: LoadPublishedResourcesOptions,
): Promise<PublishedPage> {
  const where = await publishedWhere(prisma, actor, { codes, modifiedSince, openTypes });
  const [total, rows] = await Promise.all([
    prisma.resource.count({ where }),
    prisma.resource.findMany({
      where,
      include: PUBLISHED_INCLUDE,
      orderBy: { code: 'asc' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return { total, resources: rows.map(toPublished) };
}

/**
 * The latest change among the published entries the caller may see (the catalogue's
 * dct:modified / Last-Modified); null for an empty catalogue.
 */
export async function latestPublishedChange(
  prisma: PrismaClient,
  actor: Actor,
): Promise<Date | null> {
  const where = await publishedWhere(prisma, actor);
  const agg = await prisma.resource.aggregate({ where, _max: { updatedAt: true } });
  return agg._max.updatedAt;
}

/** The part of an HTTP request `publicBaseUrl` reads (Express's Request satisfies it). */
export interface BaseUrlRequest {
  protocol: string;
  get(name: string): string | undefined;
}

/**
 * The base URL the catalogue is published under, without a trailing slash: the configured
 * PUBLIC_CATALOG_URL when set (behind a proxy the Host a service sees is not the public one),
 * else the scheme and Host of the request.
 */
export function publicBaseUrl(
  req: BaseUrlRequest,
  config: { PUBLIC_CATALOG_URL?: string },
): string {
  const base = config.PUBLIC_CATALOG_URL ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return base.replace(/\/+$/, '');
}

/** Where downloads and the open-data API of an entry live (the exchange API, not the catalogue). */
export function openDataLinks(
  code: string,
  config: { PUBLIC_EXCHANGE_URL: string; PUBLIC_PORTAL_URL: string },
): {
  download: (format: 'csv' | 'json' | 'xlsx') => string;
  records: string;
  landingPage: string;
} {
  const exchange = config.PUBLIC_EXCHANGE_URL.replace(/\/+$/, '');
  const portal = config.PUBLIC_PORTAL_URL.replace(/\/+$/, '');
  const path = `${exchange}/v1/open/resources/${encodeURIComponent(code)}`;
  return {
    download: (format) => `${path}/download?format=${format}`,
    records: `${path}/records`,
    landingPage: `${portal}/datasets/${encodeURIComponent(code)}`,
  };
}
