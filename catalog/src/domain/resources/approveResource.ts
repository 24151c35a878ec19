import type { Prisma } from '@gx/migrations';
import { authorize, ConflictError } from '@gx/platform';
import { actorName } from './actorName.ts';
import {
  compareRecordSchemas,
  generateRecordSchema,
  sameRecordShape,
  type RecordJsonSchema,
} from './recordSchema.ts';
import { resourceTransition, type StepOptions } from './resourceTransition.ts';
import { reviewTarget } from './reviewTarget.ts';
import { resourceView, toResourceInput } from './resourceView.ts';

/**
 * An approver of the data authority approves an entry under review: it is published, and if
 * its information items changed since the last publication a new record-schema version is
 * recorded with its compatibility (breaking changes are flagged, not hidden).
 */
export function approveResource({ prisma, actor, code, comment }: StepOptions) {
  return resourceTransition({
    prisma,
    actor,
    code,
    comment,
    action: 'approve',
    from: ['in_review'],
    to: 'published',
    check: async (r) => authorize(actor, 'resource.review', await reviewTarget(prisma, r), 'write'),
    async apply(tx, r) {
      const input = toResourceInput(resourceView(r));
      const latest = await tx.resourceSchemaVersion.findFirst({
        where: { resourceId: r.id },
        orderBy: { version: 'desc' },
      });
      let schemaVersion = r.schemaVersion;
      const candidate = generateRecordSchema(
        r.code,
        r.name,
        (latest?.version ?? 0) + 1,
        input.items,
      );
      const previous = latest?.jsonSchema as RecordJsonSchema | undefined;
      if (!previous || !sameRecordShape(previous, candidate)) {
        const comparison = previous
          ? compareRecordSchemas(previous, candidate)
          : { compatibility: 'initial' as const, changes: [] };
        await refuseMarkerClash(tx, r.id, Object.keys(candidate.properties));
        schemaVersion = (latest?.version ?? 0) + 1;
        await tx.resourceSchemaVersion.create({
          data: {
            resourceId: r.id,
            version: schemaVersion,
            jsonSchema: candidate as object,
            compatibility: comparison.compatibility,
            changes: comparison.changes as object[],
            createdBy: actorName(actor).actor,
          },
        });
      }
      const now = new Date();
      return {
        schemaVersion,
        publishedAt: now,
        // the day in Beijing time (UTC+8, no daylight saving): published at 06:00 there is
        // that day, not the UTC day before
        publishDate:
          r.publishDate ??
          new Date(new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)),
        reviewComment: comment ?? null,
        retiredAt: null,
      };
    },
  });
}

/**
 * A source connector's deletion marker (ADR 0012) is a field of the source system that every
 * record loses on the way in; a record-schema version with a field of that name would lose that
 * field's data without a word. Such a version is refused until the connector uses another marker
 * (its management API refuses the clash the other way round).
 */
async function refuseMarkerClash(
  tx: Prisma.TransactionClient,
  resourceId: string,
  fields: readonly string[],
) {
  const sources = await tx.connector.findMany({
    where: { resourceId, kind: 'source' },
    select: { name: true, config: true },
    orderBy: { name: 'asc' },
  });
  const clashes = sources.flatMap(({ name, config }) => {
    const marker = (config as { options?: { deleteMarker?: { field?: unknown } } }).options
      ?.deleteMarker?.field;
    return typeof marker === 'string' && fields.includes(marker) ? [{ name, marker }] : [];
  });
  if (clashes.length === 0) return;
  throw new ConflictError(
    clashes
      .map(
        ({ name, marker }) =>
          `新版记录结构的数据项 ${marker} 与来源连接器 ${name} 的删除标记字段重名，该字段的数据会在接入时被去掉`,
      )
      .join('；') + '。请先为连接器改用其他删除标记字段，或为该数据项改名后重新提交',
    { connectors: clashes.map(({ name, marker }) => ({ name, deleteMarkerField: marker })) },
  );
}
