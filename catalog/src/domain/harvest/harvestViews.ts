import type { HarvestJob, HarvestJobItem, HarvestSource, Region } from '@gx/migrations';

export function harvestJobView(j: HarvestJob) {
  return {
    id: j.id,
    sourceId: j.sourceId,
    trigger: j.trigger as 'manual' | 'schedule',
    triggeredBy: j.triggeredBy,
    status: j.status as 'running' | 'succeeded' | 'partial' | 'failed',
    startedAt: j.startedAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
    pages: j.pages,
    counts: {
      created: j.createdCount,
      updated: j.updatedCount,
      unchanged: j.unchangedCount,
      withdrawn: j.withdrawnCount,
      failed: j.failedCount,
    },
    error: j.error,
  };
}

export type HarvestJobView = ReturnType<typeof harvestJobView>;

export function harvestJobItemView(i: HarvestJobItem) {
  return {
    id: Number(i.id),
    action: i.action as 'created' | 'updated' | 'unchanged' | 'withdrawn' | 'failed',
    identifier: i.identifier,
    remoteId: i.remoteId,
    resourceCode: i.resourceCode,
    message: i.message,
    at: i.at.toISOString(),
  };
}

/** What a source query must include to build its view. */
export const HARVEST_SOURCE_INCLUDE = {
  region: true,
  lastJob: true,
  _count: { select: { resources: true } },
} as const;

export function harvestSourceView(
  s: HarvestSource & {
    region: Region;
    lastJob: HarvestJob | null;
    _count: { resources: number };
  },
) {
  return {
    id: s.id,
    name: s.name,
    type: s.type as 'ckan' | 'dcat',
    url: s.url,
    regionCode: s.region.code,
    regionName: s.region.name,
    fallbackThemeCode: s.fallbackThemeCode,
    intervalMinutes: s.intervalMinutes,
    enabled: s.enabled,
    nextRunAt: s.nextRunAt?.toISOString() ?? null,
    entryCount: s._count.resources,
    lastJob: s.lastJob ? harvestJobView(s.lastJob) : null,
    createdBy: s.createdBy,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
