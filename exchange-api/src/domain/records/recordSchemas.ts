import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { PrismaClient } from '@gx/migrations';
import { ConflictError } from '@gx/platform';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export interface RecordSchema {
  resourceId: string;
  version: number;
  keyFields: string[];
  validate: ValidateFunction;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
// compiled once per (resource, version): a published schema version never changes
const compiled = new Map<string, RecordSchema>();

/** The record schema records are validated against: the resource's latest published version. */
export async function currentRecordSchema(
  prisma: PrismaClient,
  resourceId: string,
): Promise<RecordSchema> {
  const latest = await prisma.resourceSchemaVersion.findFirst({
    where: { resourceId },
    orderBy: { version: 'desc' },
  });
  if (!latest) throw new ConflictError('资源尚未发布记录结构，不能接收数据');
  const cacheKey = `${resourceId}:${latest.version}`;
  let schema = compiled.get(cacheKey);
  if (!schema) {
    const json = latest.jsonSchema as { 'x-key'?: string[]; $id?: string };
    // ajv keys schemas by $id; the version is in it, so one compile per version
    schema = {
      resourceId,
      version: latest.version,
      keyFields: json['x-key'] ?? [],
      validate: ajv.getSchema(json.$id ?? '') ?? ajv.compile(json),
    };
    compiled.set(cacheKey, schema);
  }
  return schema;
}

export { recordKey } from '@gx/platform';
