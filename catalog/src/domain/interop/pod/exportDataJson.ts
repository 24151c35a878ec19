import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { loadCatalogPublisher } from '../catalogPublisher.ts';
import { loadPublishedResources, type PublishedResource } from '../publishedCatalog.ts';
import { podCatalog, type PodCatalog } from './dataJson.ts';

/** data.json is one document (POD has no paging): read the entries in chunks of this size. */
const CHUNK = 1000;

/**
 * The data.json of the open datasets (无条件开放 and 有条件开放): the same list for every caller,
 * since open entries are visible to all; a department user's non-open entries stay out.
 */
export async function exportDataJson({
  prisma,
  actor,
  base,
  config,
}: {
  prisma: PrismaClient;
  actor: Actor;
  base: string;
  config: { PUBLIC_EXCHANGE_URL: string; PUBLIC_PORTAL_URL: string };
}): Promise<PodCatalog> {
  const publisher = await loadCatalogPublisher(prisma);
  const resources: PublishedResource[] = [];
  for (let page = 1; ; page++) {
    const chunk = await loadPublishedResources(prisma, actor, {
      page,
      pageSize: CHUNK,
      openTypes: ['open', 'conditional'],
    });
    resources.push(...chunk.resources);
    if (chunk.resources.length < CHUNK || resources.length >= chunk.total) break;
  }
  return podCatalog(resources, { base, config, publisher });
}
