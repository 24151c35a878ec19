import { authorize } from '@gx/platform';
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
