import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { loadPublishedResources } from '../publishedCatalog.ts';
import { loadOrganizations } from './ckanGroups.ts';
import { ckanPackage, type CkanLinks, type CkanPackage } from './ckanPackage.ts';

/** What every CKAN action receives besides its data dict. */
export interface CkanContext {
  prisma: PrismaClient;
  /** the caller: every action shows only what this actor may see */
  actor: Actor;
  links: CkanLinks;
}

/**
 * The package dicts of these resource codes, in the order given. Codes the caller may not see
 * (or that are not published) are left out: the published catalogue decides, as for DCAT.
 */
export async function loadPackages(
  ctx: CkanContext,
  codes: readonly string[],
): Promise<CkanPackage[]> {
  if (codes.length === 0) return [];
  const { resources } = await loadPublishedResources(ctx.prisma, ctx.actor, {
    page: 1,
    pageSize: codes.length,
    codes,
  });
  const orgs = await loadOrganizations(ctx.prisma, [
    ...new Set(resources.map((r) => r.provider.id)),
  ]);
  const byCode = new Map(resources.map((r) => [r.code, r]));
  return codes.flatMap((code) => {
    const r = byCode.get(code);
    const org = r && orgs.get(r.provider.id);
    return r && org ? [ckanPackage(r, org, ctx.links)] : [];
  });
}
