import type { Pool } from 'pg';
import type { Prisma, PrismaClient } from '@gx/migrations';
import {
  canonicalJson,
  describeActor,
  InputError,
  isAllowed,
  NotFoundError,
  problemsFromAjv,
  UnauthenticatedError,
  withoutNulls,
  type Actor,
} from '@gx/platform';
import { refuseHarvestedWrite } from '../harvestedEntry.ts';
import { digestOf } from '../evidence/digestRecords.ts';
import { sha256Hex } from '../evidence/evidenceEntry.ts';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { subscribedGrants } from '../sharing/openGrant.ts';
import { deleteHostedRecords, prismaQuery, type DeletionGrant } from './deleteHostedRecords.ts';
import { currentRecordSchema, recordKey, type RecordSchema } from './recordSchemas.ts';
import { upsertHostedRecords } from './upsertHostedRecords.ts';

export interface IngestProblem {
  index: number;
  key?: string;
  errors: { path: string; message: string }[];
}

interface ProviderWrite {
  prisma: PrismaClient;
  pool: Pool;
  evidence: EvidenceSink;
  actor: Actor;
  code: string;
}

/**
 * The resource a provider writes to: its own, published with a record schema, not harvested
 * from elsewhere. Anyone else learns nothing of it (404).
 */
async function ownResource({ prisma, actor, code }: ProviderWrite, what: string) {
  const resource = await prisma.resource.findUnique({
    where: { code },
    include: { provider: true, harvestSource: { select: { name: true } } },
  });
  const department = resource?.provider.code;
  const own =
    !!resource &&
    (isAllowed(actor, 'exchange.call', { departmentCode: department }) ||
      isAllowed(actor, 'resource.manage', { departmentCode: department }));
  if (!resource || !own) {
    if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要访问令牌');
    throw new NotFoundError(`没有代码为 ${code} 的信息资源`);
  }
  refuseHarvestedWrite(
    {
      harvestSource: resource.harvestSource?.name ?? null,
      harvestSourceUrl: resource.harvestSourceUrl,
    },
    what,
  );
  return { id: resource.id, department: resource.provider.code };
}

/**
 * Delete stored records in the caller's transaction and say so in the evidence log: who, which
 * resource, how many — the keys only as a digest, never the data.
 */
async function deleteWithEvidence(
  write: ProviderWrite,
  tx: Prisma.TransactionClient,
  resource: { id: string; department: string },
  schema: RecordSchema,
  keys: readonly string[],
  /** the grants whose consumers may hold copies (`subscribedGrants`) */
  grants: readonly DeletionGrant[],
  requestHash: string,
  /** one record named by its URL: absent is an error (404), and nothing is recorded */
  mustExist = false,
): Promise<string[]> {
  if (keys.length === 0) return [];
  const deleted = await deleteHostedRecords(prismaQuery(tx), {
    resourceId: resource.id,
    keyFields: schema.keyFields,
    keys,
    grants,
    outbox: true,
  });
  if (mustExist && deleted.length < keys.length)
    throw new NotFoundError(`资源中没有键为 ${keys.find((k) => !deleted.includes(k))} 的记录`);
  await write.evidence.append({
    actor: describeActor(write.actor),
    actorKind: write.actor.kind,
    department: resource.department,
    resourceCode: write.code,
    operation: 'delete',
    recordCount: deleted.length,
    requestHash,
    outcome: 'ok',
    details: { requested: keys.length, keysDigest: digestOf(deleted) },
  });
  return deleted;
}

/**
 * A provider pushes records of its published resource (批量汇聚), and may delete stored ones in
 * the same call. Each record is validated against the latest published record schema; valid
 * ones are upserted by key, invalid ones are reported with their index and reasons and never
 * silently dropped or half-written. Keys listed in `deletes` are removed from the store after
 * the upserts (ADR 0012); a key that is not stored is skipped, and one that the same call also
 * writes is refused (400), as its outcome would be ambiguous.
 */
export async function ingestRecords(
  write: ProviderWrite & { records: unknown[]; deletes?: string[] },
) {
  const { prisma, evidence, actor, code, records, deletes = [] } = write;
  const resource = await ownResource(write, '数据报送');
  const schema = await currentRecordSchema(prisma, resource.id);
  const problems: IngestProblem[] = [];
  const valid = new Map<string, Record<string, unknown>>();
  /** index of the record that holds each key so far, to report the ones a later one replaced */
  const holder = new Map<string, number>();
  const superseded: { index: number; key: string; by: number }[] = [];
  records.forEach((record, index) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      problems.push({ index, errors: [{ path: '/', message: '记录应为 JSON 对象' }] });
      return;
    }
    // a null is no value: the field is left out (a required one is then reported as missing)
    const data = withoutNulls(record as Record<string, unknown>);
    if (!schema.validate(data)) {
      problems.push({
        index,
        key: recordKey(data, schema.keyFields),
        errors: problemsFromAjv(schema.validate.errors),
      });
      return;
    }
    const key = recordKey(data, schema.keyFields);
    if (!key) {
      problems.push({
        index,
        errors: [{ path: `/${schema.keyFields[0] ?? ''}`, message: '缺少主键值' }],
      });
      return;
    }
    // a later record with the same key wins, as it would in sequence; the caller is told
    const earlier = holder.get(key);
    if (earlier !== undefined) superseded.push({ index: earlier, key, by: index });
    holder.set(key, index);
    valid.set(key, data);
  });
  const deleteKeys = [...new Set(deletes)];
  const both = deleteKeys.filter((key) => valid.has(key));
  if (both.length > 0) {
    throw new InputError(
      '同一请求不能既写入又删除同一记录',
      both.slice(0, 20).map((key) => ({
        path: `/delete/${deletes.indexOf(key)}`,
        message: `记录 ${key} 也在本次写入的记录中`,
      })),
    );
  }
  const rows = [...valid.entries()];
  const requestHash = sha256Hex(
    canonicalJson(deletes.length > 0 ? { code, records, delete: deletes } : { code, records }),
  );
  // read once: upserts check who a change takes a record away from, deletions who could see it
  const grants =
    rows.length > 0 || deleteKeys.length > 0
      ? await subscribedGrants(prisma, write.pool, resource.id)
      : [];
  const deleted = await prisma.$transaction(async (tx) => {
    await upsertHostedRecords(tx, {
      resourceId: resource.id,
      schemaVersion: schema.version,
      rows,
      views: { keyFields: schema.keyFields, grants },
    });
    return deleteWithEvidence(write, tx, resource, schema, deleteKeys, grants, requestHash);
  });
  if (records.length > 0) {
    await evidence.append({
      actor: describeActor(actor),
      actorKind: actor.kind,
      department: resource.department,
      resourceCode: code,
      operation: 'ingest',
      recordCount: rows.length,
      requestHash,
      outcome: 'ok',
      details: { rejected: problems.length, schemaVersion: schema.version },
    });
  }
  return {
    accepted: rows.length,
    rejected: problems.length,
    deleted: deleted.length,
    schemaVersion: schema.version,
    problems,
    superseded,
  };
}

/**
 * A provider deletes one stored record (DELETE /v1/resources/{code}/records/{key}): 404 when
 * the resource holds no record of that key, so a typo is not mistaken for a deletion.
 */
export async function deleteRecord(write: ProviderWrite & { key: string }): Promise<void> {
  const resource = await ownResource(write, '删除数据');
  const schema = await currentRecordSchema(write.prisma, resource.id);
  const requestHash = sha256Hex(canonicalJson({ code: write.code, delete: [write.key] }));
  const grants = await subscribedGrants(write.prisma, write.pool, resource.id);
  await write.prisma.$transaction((tx) =>
    deleteWithEvidence(write, tx, resource, schema, [write.key], grants, requestHash, true),
  );
}
