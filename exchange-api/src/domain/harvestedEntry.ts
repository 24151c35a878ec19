import { ConflictError, NotFoundError } from '@gx/platform';

/** Where a harvested directory entry came from; null for this catalogue's own entries. */
export interface HarvestOrigin {
  /** the harvest source's name */
  harvestSource: string | null;
  /** the entry at its source */
  harvestSourceUrl: string | null;
}

/**
 * A harvested entry (catalog harvesting, docs/interop.md) is a copy of another catalogue's
 * entry: its data, its grants and its open policy live with the source. Writes here would
 * never reach the provider, so they are refused with where to go instead.
 */
export function refuseHarvestedWrite(entry: HarvestOrigin, what: string): void {
  if (!entry.harvestSource) return;
  throw new ConflictError(
    `该资源由 ${entry.harvestSource} 采集，${what}请到来源目录办理`,
    entry.harvestSourceUrl ? { sourceUrl: entry.harvestSourceUrl } : {},
  );
}

/** Open data of a harvested entry is served by its source, not from an empty local store. */
export function refuseHarvestedData(entry: HarvestOrigin & { code: string }): void {
  if (!entry.harvestSource) return;
  throw new NotFoundError(
    `资源 ${entry.code} 由 ${entry.harvestSource} 采集，本平台不保存其数据，请到来源目录获取`,
    entry.harvestSourceUrl ? { sourceUrl: entry.harvestSourceUrl } : {},
  );
}
