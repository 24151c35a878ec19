import { authorize, ConflictError, type Actor } from '@gx/platform';
import { currentRecordSchema, type RecordSchema } from '../records/recordSchemas.ts';
import { loadObjection, type ObjectionContext } from './objectionParties.ts';
import type { ObjectionRow } from './objectionViews.ts';

interface PropertySchema {
  type?: string;
  format?: string;
  title?: string;
  maxLength?: number;
}

/**
 * The fields a correction made from an objection may change: those the objection disputes, or,
 * when it disputes the record as a whole, every field; never the key (a new key is another
 * record). The objection is what lets the provider's steward write the record outside its
 * systems' ingestion, so it bounds the write: a fix beyond what was disputed belongs in the
 * provider's own data and comes through ingestion, and the raiser, who sees old → new, may not
 * be granted the other fields at all.
 */
export function correctableFields(objection: ObjectionRow, schema: RecordSchema): string[] {
  const properties = Object.keys(
    (schema.validate.schema as { properties?: Record<string, unknown> }).properties ?? {},
  );
  const named = objection.fields.length > 0 ? objection.fields : properties;
  return named.filter((f) => properties.includes(f) && !schema.keyFields.includes(f));
}

export interface DisputedRecord {
  objection: ObjectionRow;
  schema: RecordSchema;
  fields: string[];
  /** the hosted record as stored now */
  data: Record<string, unknown>;
}

/**
 * The record an objection disputes, for its provider's steward to correct: the objection must be
 * about a record (by key) that is still in the hosted store, and something in it correctable.
 * Anyone who may see the objection but not answer it is refused (403); anyone else learns
 * nothing (404).
 */
export async function loadDisputedRecord(
  ctx: ObjectionContext,
  actor: Actor,
  id: string,
): Promise<DisputedRecord> {
  const { objection } = await loadObjection(ctx, actor, id);
  authorize(actor, 'objection.answer', { departmentCode: objection.provider.code }, 'write');
  if (objection.recordKey === null)
    throw new ConflictError('该异议没有指明记录（主键），不能在此更正记录');
  const schema = await currentRecordSchema(ctx.prisma, objection.resourceId);
  const fields = correctableFields(objection, schema);
  if (fields.length === 0) throw new ConflictError('异议所指的信息项是主键，不能在此更正');
  const record = await ctx.prisma.record.findUnique({
    where: {
      resourceId_recordKey: { resourceId: objection.resourceId, recordKey: objection.recordKey },
    },
  });
  if (!record)
    throw new ConflictError(
      '该记录已不在库中（可能已删除），不能在此更正；如确已删除，可直接标记已更正',
    );
  return { objection, schema, fields, data: record.data as Record<string, unknown> };
}

/** What the correction form shows: each correctable field with its type and present value. */
export async function getObjectionRecord(ctx: ObjectionContext & { actor: Actor; id: string }) {
  const { objection, schema, fields, data } = await loadDisputedRecord(ctx, ctx.actor, ctx.id);
  const json = schema.validate.schema as {
    properties: Record<string, PropertySchema>;
    required?: string[];
  };
  return {
    objection: objection.number,
    recordKey: objection.recordKey,
    schemaVersion: schema.version,
    fields: fields.map((name) => {
      const property = json.properties[name] ?? {};
      return {
        name,
        label: property.title ?? name,
        type: property.type ?? 'string',
        format: property.format ?? null,
        maxLength: property.maxLength ?? null,
        required: (json.required ?? []).includes(name),
        value: data[name] ?? null,
      };
    }),
  };
}
