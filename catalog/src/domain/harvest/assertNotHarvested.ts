import { ConflictError, type Actor } from '@gx/platform';

/**
 * Harvested entries are copies of another catalogue's entries: they change only when their
 * source does, through the next harvest. Every write use-case refuses them with 409, before it
 * asks whether the caller may write at all, because no one may; an anonymous caller is left to
 * the authorization check, which answers 401.
 */
export function assertNotHarvested(
  actor: Actor,
  resource: { harvestSource: { name: string } | null },
): void {
  if (actor.kind === 'anonymous' || !resource.harvestSource) return;
  throw new ConflictError(harvestedMessage(resource.harvestSource.name));
}

export const harvestedMessage = (source: string): string =>
  `该资源由 ${source} 采集，请在来源目录修改`;
