import type { Quad } from 'n3';
import type { PrismaClient } from '@gx/migrations';
import { NotFoundError, type Actor } from '@gx/platform';
import { loadCatalogPublisher } from '../catalogPublisher.ts';
import { latestPublishedChange, loadPublishedResources } from '../publishedCatalog.ts';
import { buildCatalogPage, buildDatasetDocument, type HydraPage } from './dcatGraph.ts';
import { prefixesFor } from './namespaces.ts';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface ExportBase {
  prisma: PrismaClient;
  actor: Actor;
  /** the catalogue's public base URL (no trailing slash) */
  base: string;
  config: { PUBLIC_EXCHANGE_URL: string; PUBLIC_PORTAL_URL: string };
}

export interface ExportDcatCatalogOptions extends ExportBase {
  page: number;
  pageSize: number;
  /**
   * The URL the page was asked for, without its query (`…/dcat/catalog` or `…/dcat/catalog.ttl`):
   * Hydra links keep the caller on the same serialisation while it walks the pages.
   */
  pageUrl: string;
}

/** An RDF graph ready to serialise, with the prefixes it reads best with. */
export interface DcatGraph {
  quads: Quad[];
  prefixes: Record<string, string>;
  /** latest change of what the graph describes (Last-Modified) */
  modified: Date | null;
}

const pageLink = (pageUrl: string, page: number, pageSize: number) =>
  `${pageUrl}?page=${page}&pageSize=${pageSize}`;

/**
 * One page of the DCAT-AP catalogue as the caller may see it: published entries ordered by
 * code, the catalogue node on every page, Hydra links to the other pages. A page past the last
 * answers 404 (page 1 of an empty catalogue exists).
 */
export async function exportDcatCatalog({
  prisma,
  actor,
  base,
  config,
  page,
  pageSize,
  pageUrl,
}: ExportDcatCatalogOptions): Promise<DcatGraph> {
  const [publisher, { total, resources }, modified] = await Promise.all([
    loadCatalogPublisher(prisma),
    loadPublishedResources(prisma, actor, { page, pageSize }),
    latestPublishedChange(prisma, actor),
  ]);
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (page > last)
    throw new NotFoundError(`目录共 ${last} 页（每页 ${pageSize} 条），没有第 ${page} 页`);
  const hydra: HydraPage = {
    view: pageLink(pageUrl, page, pageSize),
    first: pageLink(pageUrl, 1, pageSize),
    last: pageLink(pageUrl, last, pageSize),
    previous: page > 1 ? pageLink(pageUrl, page - 1, pageSize) : undefined,
    next: page < last ? pageLink(pageUrl, page + 1, pageSize) : undefined,
    totalItems: total,
  };
  const quads = buildCatalogPage({ base, config, publisher }, { resources, modified, hydra });
  return { quads, prefixes: prefixesFor(base), modified };
}

export interface ExportDcatDatasetOptions extends ExportBase {
  code: string;
}

/** One published entry the caller may see as a DCAT-AP dataset; otherwise 404. */
export async function exportDcatDataset({
  prisma,
  actor,
  base,
  config,
  code,
}: ExportDcatDatasetOptions): Promise<DcatGraph> {
  const [publisher, { resources }] = await Promise.all([
    loadCatalogPublisher(prisma),
    loadPublishedResources(prisma, actor, { page: 1, pageSize: 1, codes: [code] }),
  ]);
  const resource = resources[0];
  if (!resource) throw new NotFoundError(`没有代码为 ${code} 的已发布信息资源`);
  const modified =
    resource.dataUpdatedAt && resource.dataUpdatedAt > resource.updatedAt
      ? resource.dataUpdatedAt
      : resource.updatedAt;
  return {
    quads: buildDatasetDocument({ base, config, publisher }, resource),
    prefixes: prefixesFor(base),
    modified,
  };
}
