import type { PrismaClient } from '@gx/migrations';
import { applyHarvestedEntry, type ExistingEntry } from './applyHarvestedEntry.ts';
import { DepartmentResolver } from './DepartmentResolver.ts';
import { HarvestFetchError, type RemoteFetcher } from './fetchRemote.ts';
import { harvestActor } from './harvestActor.ts';
import { HarvestJobLog } from './HarvestJobLog.ts';
import { entryHash, type WalkEvent } from './remoteEntry.ts';
import { ThemeResolver } from './ThemeResolver.ts';
import { walkCkan } from './walkCkan.ts';
import { walkDcat } from './walkDcat.ts';
import { withdrawMissing } from './withdrawMissing.ts';

export type JobStatus = 'succeeded' | 'partial' | 'failed';

export interface HarvestSourceRow {
  id: string;
  name: string;
  type: string;
  url: string;
  regionId: string;
  fallbackThemeCode: string;
}

export interface RunHarvestJobOptions {
  prisma: PrismaClient;
  jobId: string;
  source: HarvestSourceRow;
  fetcher: RemoteFetcher;
  /** aborted when the process stops: the job ends failed and withdraws nothing */
  signal: AbortSignal;
}

/** What a failed item says: the error's own words, short, never a stack. */
function itemMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return `写入失败：${text.replace(/\s+/g, ' ').trim().slice(0, 500)}`;
}

export function walkSource(
  source: HarvestSourceRow,
  fetcher: RemoteFetcher,
): AsyncIterable<WalkEvent> {
  return source.type === 'ckan' ? walkCkan(source.url, fetcher) : walkDcat(source.url, fetcher);
}

/**
 * One harvest: walk the remote catalogue, write each entry (created / updated / unchanged /
 * failed, each logged), and — only after a complete walk — withdraw the local copies the
 * source no longer lists. A walk that breaks off (a page that cannot be read) withdraws
 * nothing: an unreachable source must not empty the directory. The job row gets the outcome.
 */
export async function runHarvestJob({
  prisma,
  jobId,
  source,
  fetcher,
  signal,
}: RunHarvestJobOptions): Promise<JobStatus> {
  const actor = harvestActor(source.name);
  const log = new HarvestJobLog(prisma, jobId);
  const rows = await prisma.resource.findMany({
    where: { harvestSourceId: source.id },
    select: {
      id: true,
      code: true,
      status: true,
      harvestIdentifier: true,
      harvestRemoteId: true,
      harvestHash: true,
    },
  });
  const existing: ExistingEntry[] = rows.map((r) => ({
    id: r.id,
    code: r.code,
    status: r.status,
    identifier: r.harvestIdentifier!,
    remoteId: r.harvestRemoteId,
    hash: r.harvestHash,
  }));
  const byIdentifier = new Map(existing.map((e) => [e.identifier, e]));
  const byRemoteId = new Map(existing.filter((e) => e.remoteId).map((e) => [e.remoteId!, e]));
  const claimed = new Set<string>();
  const seen = new Map<string, string>();
  const context = {
    prisma,
    source,
    actor,
    themes: await ThemeResolver.load(prisma, source.fallbackThemeCode),
    departments: new DepartmentResolver(prisma, source),
  };
  const settings = { region: source.regionId, fallbackTheme: source.fallbackThemeCode };

  let walkError: string | null = null;
  try {
    for await (const event of walkSource(source, fetcher)) {
      if (signal.aborted) throw new HarvestFetchError('采集任务被中止（服务停止）');
      if (event.type === 'page') {
        log.pages += 1;
        continue;
      }
      if (event.type === 'invalid') {
        if (event.identifier) seen.set(event.identifier, event.remoteId ?? '');
        await log.add({
          action: 'failed',
          identifier: event.identifier,
          remoteId: event.remoteId,
          message: event.message,
        });
        continue;
      }
      const { entry } = event;
      const earlier = seen.get(entry.identifier);
      if (earlier !== undefined) {
        // the same entry on two pages (the catalogue moved while we read it) is read once
        if (earlier !== entry.remoteId) {
          await log.add({
            action: 'failed',
            identifier: entry.identifier,
            remoteId: entry.remoteId,
            message: `与本次采集中的另一条目（${earlier}）标识相同，已跳过`,
          });
        }
        continue;
      }
      seen.set(entry.identifier, entry.remoteId);
      // same identity; or, when the source changed the identity, the same remote id
      let local = byIdentifier.get(entry.identifier);
      if (!local) {
        const byId = byRemoteId.get(entry.remoteId);
        if (byId && !claimed.has(byId.id) && !seen.has(byId.identifier)) local = byId;
      }
      if (local && claimed.has(local.id)) local = undefined;
      try {
        const outcome = await applyHarvestedEntry(
          context,
          entry,
          entryHash(entry, settings),
          local,
        );
        if (local) claimed.add(local.id);
        await log.add({
          action: outcome.action,
          identifier: entry.identifier,
          remoteId: entry.remoteId,
          resourceCode: outcome.code,
          message: outcome.message,
        });
      } catch (error) {
        if (local) claimed.add(local.id);
        await log.add({
          action: 'failed',
          identifier: entry.identifier,
          remoteId: entry.remoteId,
          resourceCode: local?.code ?? null,
          message: itemMessage(error),
        });
      }
    }
  } catch (error) {
    if (!(error instanceof HarvestFetchError)) throw error;
    walkError = error.message;
  }

  let status: JobStatus;
  let message = walkError;
  if (walkError !== null) {
    status = log.pages === 0 ? 'failed' : 'partial';
    message = `${walkError}。本次采集不完整，未下线任何条目`;
  } else if (seen.size === 0 && existing.some((e) => e.status !== 'retired')) {
    // an empty answer from a source that had entries is far more often a fault than a fact
    status = 'partial';
    message = '来源目录没有返回任何条目；为防误删，未下线本地条目';
  } else {
    await withdrawMissing({ prisma, sourceId: source.id, actor, seen: new Set(seen.keys()), log });
    status = log.counts.failed > 0 ? 'partial' : 'succeeded';
    if (log.counts.failed > 0) message = `${log.counts.failed} 个条目未能写入，详见条目日志`;
  }
  await log.flush();
  await prisma.harvestJob.update({
    where: { id: jobId },
    data: {
      status,
      finishedAt: new Date(),
      error: message,
      ...log.countColumns(),
      pages: log.pages,
    },
  });
  return status;
}
