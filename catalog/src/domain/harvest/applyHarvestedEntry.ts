import type { Prisma, PrismaClient, ResourceStatus } from '@gx/migrations';
import { fieldDiff } from '../resources/fieldDiff.ts';
import { RESOURCE_INCLUDE, resourceView, toResourceInput } from '../resources/resourceView.ts';
import { reindex } from '../resources/writeResource.ts';
import type { DepartmentResolver } from './DepartmentResolver.ts';
import { harvestedResourceCode } from './harvestedResourceCode.ts';
import type { RemoteEntry } from './remoteEntry.ts';
import type { ThemeResolver } from './ThemeResolver.ts';

/** A local copy of a remote entry, as the job found it before the walk. */
export interface ExistingEntry {
  id: string;
  code: string;
  identifier: string;
  remoteId: string | null;
  hash: string | null;
  status: ResourceStatus;
}

export interface ApplyEntryContext {
  prisma: PrismaClient;
  source: { id: string; name: string };
  /** history actor, `harvest:<source name>` */
  actor: string;
  themes: ThemeResolver;
  departments: DepartmentResolver;
}

export interface EntryOutcome {
  action: 'created' | 'updated' | 'unchanged';
  code: string;
  message?: string;
}

const HISTORY_ACTOR_KIND = 'harvest';

function safeDate(value: string | null, suffix = ''): Date | null {
  if (!value) return null;
  const date = new Date(`${value}${suffix}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The columns of the local copy. Where our cataloguing rules need a statement the source did
 * not make (conditions of 有条件 entries, the legal basis of 不予共享) the copy says to ask at
 * the source rather than leave the rule broken.
 */
function columnsOf(entry: RemoteEntry, themeCode: string, providerId: string) {
  return {
    name: entry.title,
    abstract: entry.description ?? entry.title,
    providerId,
    themeCode,
    serviceCategory: null,
    keywords: entry.keywords,
    format: entry.format,
    sharingType: entry.sharingType,
    sharingConditions:
      entry.sharingType === 'conditional'
        ? (entry.sharingConditions ?? '按来源目录的共享条件，向提供方申请')
        : entry.sharingConditions,
    sharingMethods: entry.sharingType === 'none' ? [] : entry.sharingMethods,
    sharingLegalBasis:
      entry.sharingType === 'none'
        ? (entry.sharingLegalBasis ?? '来源目录标注为不予共享，依据见来源目录')
        : entry.sharingLegalBasis,
    openType: entry.openType,
    openConditions:
      entry.openType === 'conditional'
        ? (entry.openConditions ?? '按来源目录的开放条件申请')
        : entry.openConditions,
    updateCycle: entry.updateCycle,
    publishDate: safeDate(entry.issued, 'T00:00:00Z'),
    sourceSystem: null,
    relatedResourceCodes: [],
    functionId: null,
    dataGrade: 'general' as const,
    contactName: entry.contactName,
    contactPhone: entry.contactPhone,
    contactEmail: entry.contactEmail,
    dataUpdatedAt: safeDate(entry.modified),
  } satisfies Prisma.ResourceUncheckedUpdateInput;
}

async function viewInput(tx: Prisma.TransactionClient, id: string) {
  return toResourceInput(
    resourceView(await tx.resource.findUniqueOrThrow({ where: { id }, include: RESOURCE_INCLUDE })),
  );
}

/**
 * Write one remote entry into the directory: create its local copy, update it when its
 * content (hash) or remote id changed, or leave it as it is. A copy that had been withdrawn
 * is published again. Each write is one transaction with its search document and a history
 * row by `harvest:<source>`.
 */
export async function applyHarvestedEntry(
  ctx: ApplyEntryContext,
  entry: RemoteEntry,
  hash: string,
  existing: ExistingEntry | undefined,
): Promise<EntryOutcome> {
  if (
    existing &&
    existing.hash === hash &&
    existing.identifier === entry.identifier &&
    existing.status === 'published'
  ) {
    return { action: 'unchanged', code: existing.code };
  }
  // resolved outside the write transaction: a department created here must survive a failed write
  const provider = await ctx.departments.resolve(entry.publisher);
  const theme = ctx.themes.resolve(entry.themes);
  const columns = columnsOf(entry, theme.code, provider.id);
  const harvest = {
    harvestRemoteId: entry.remoteId,
    harvestSourceUrl: entry.sourceUrl,
    harvestHash: hash,
    harvestedAt: new Date(),
  };
  const comment = `采集自 ${ctx.source.name}`;

  if (!existing) {
    return ctx.prisma.$transaction(async (tx) => {
      const code = await harvestedResourceCode(tx, entry.code, provider, theme.classCode);
      const now = new Date();
      const created = await tx.resource.create({
        data: {
          ...columns,
          ...harvest,
          code,
          status: 'published',
          publishedAt: now,
          createdBy: ctx.actor,
          harvestSourceId: ctx.source.id,
          harvestIdentifier: entry.identifier,
        },
        select: { id: true },
      });
      await reindex(tx, created.id);
      await tx.resourceChange.create({
        data: {
          resourceId: created.id,
          action: 'create',
          actor: ctx.actor,
          actorKind: HISTORY_ACTOR_KIND,
          comment,
          diff: fieldDiff(undefined, await viewInput(tx, created.id)) as object[],
          toStatus: 'published',
        },
      });
      return { action: 'created' as const, code };
    });
  }

  return ctx.prisma.$transaction(async (tx) => {
    const before = await viewInput(tx, existing.id);
    const republish = existing.status !== 'published';
    await tx.resource.update({
      where: { id: existing.id },
      data: {
        ...columns,
        ...harvest,
        harvestIdentifier: entry.identifier,
        status: 'published',
        retiredAt: null,
        ...(republish ? { publishedAt: new Date() } : {}),
        revision: { increment: 1 },
      },
    });
    await reindex(tx, existing.id);
    const diff = fieldDiff(before, await viewInput(tx, existing.id)) as object[];
    if (republish) diff.push({ path: '/status', before: existing.status, after: 'published' });
    const notes: string[] = [];
    if (republish) notes.push('来源目录中重新出现，重新发布');
    if (existing.remoteId !== null && existing.remoteId !== entry.remoteId) {
      notes.push(`来源编号由 ${existing.remoteId} 变为 ${entry.remoteId}`);
    }
    if (existing.identifier !== entry.identifier) {
      notes.push(`来源标识由 ${existing.identifier} 变为 ${entry.identifier}`);
    }
    await tx.resourceChange.create({
      data: {
        resourceId: existing.id,
        action: republish ? 'publish' : 'update',
        actor: ctx.actor,
        actorKind: HISTORY_ACTOR_KIND,
        comment: [comment, ...notes].join('；'),
        diff,
        fromStatus: existing.status,
        toStatus: 'published',
      },
    });
    return {
      action: 'updated' as const,
      code: existing.code,
      message: notes.length > 0 ? notes.join('；') : undefined,
    };
  });
}
