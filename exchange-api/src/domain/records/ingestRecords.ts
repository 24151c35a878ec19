import type { PrismaClient } from '@gx/migrations';
import {
  canonicalJson,
  describeActor,
  isAllowed,
  NotFoundError,
  problemsFromAjv,
  UnauthenticatedError,
  type Actor,
} from '@gx/platform';
import { refuseHarvestedWrite } from '../harvestedEntry.ts';
import { sha256Hex } from '../evidence/evidenceEntry.ts';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { currentRecordSchema, recordKey } from './recordSchemas.ts';
import { upsertHostedRecords } from './upsertHostedRecords.ts';

export interface IngestProblem {
  index: number;
  key?: string;
  errors: { path: string; message: string }[];
}

/**
 * A provider pushes records of its published resource (批量汇聚). Each record is validated
 * against the latest published record schema; valid ones are upserted by key, invalid ones are
 * reported with their index and reasons and never silently dropped or half-written.
 */
export async function ingestRecords({
  prisma,
  evidence,
  actor,
  code,
  records,
}: {
  prisma: PrismaClient;
  evidence: EvidenceSink;
  actor: Actor;
  code: string;
  records: unknown[];
}) {
  const resource = await prisma.resource.findUnique({
    where: { code },
    include: { provider: true, harvestSource: { select: { name: true } } },
  });
  const department = resource?.provider.code;
  // the resource is no secret to its provider; anyone else learns nothing
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
    '数据报送',
  );
  const schema = await currentRecordSchema(prisma, resource.id);
  const problems: IngestProblem[] = [];
  const valid = new Map<string, Record<string, unknown>>();
  records.forEach((record, index) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      problems.push({ index, errors: [{ path: '/', message: '记录应为 JSON 对象' }] });
      return;
    }
    const data = record as Record<string, unknown>;
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
    valid.set(key, data); // a later record with the same key wins, as it would in sequence
  });
  const rows = [...valid.entries()];
  await upsertHostedRecords(prisma, {
    resourceId: resource.id,
    schemaVersion: schema.version,
    rows,
  });
  await evidence.append({
    actor: describeActor(actor),
    actorKind: actor.kind,
    department,
    resourceCode: code,
    operation: 'ingest',
    recordCount: rows.length,
    requestHash: sha256Hex(canonicalJson({ code, records })),
    outcome: 'ok',
    details: { rejected: problems.length, schemaVersion: schema.version },
  });
  return {
    accepted: rows.length,
    rejected: problems.length,
    schemaVersion: schema.version,
    problems,
  };
}
