import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import { authorize, NotFoundError, type Actor } from '@gx/platform';
import { compilePolicy, type Policy } from './compilePolicy.ts';
import type { FieldType } from './rowFilter.ts';
import { recordOrder } from '../records/recordOrder.ts';

/** The parts of a policy an approver edits; purposes and validity do not change a record. */
export type PolicyDraft = Pick<Policy, 'fields' | 'masks' | 'rowFilter'>;

export interface PreviewPolicyOptions {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  resourceCode: string;
  policy: PolicyDraft;
  /** a record to shape; default: a hosted record of the resource, else one made from its items */
  record?: Record<string, unknown>;
}

export interface PolicyPreview {
  /** where the sample came from: given by the caller, the resource's hosted records, or made up */
  source: 'given' | 'hosted' | 'synthetic';
  sample: Record<string, unknown>;
  /** whether the sample passes the row filter (a record that does not is never delivered) */
  matches: boolean;
  /** the sample as delivery would shape it: allowed fields only, masks applied */
  shaped: Record<string, unknown>;
}

// plausible values for the fields most resources have, so a mask's effect is visible
const SYNTHETIC_BY_NAME: readonly [RegExp, string][] = [
  [/mobile|phone|tel/, '13800138000'],
  [/id_?(number|card|no)|sfz/, '330106199001011234'],
  [/address|addr/, '浙江省杭州市西湖区文三路100号'],
  [/district|county/, '西湖区'],
  [/name/, '张三丰'],
];

function syntheticValue(name: string, label: string, type: FieldType): unknown {
  switch (type) {
    case 'integer':
      return 42;
    case 'number':
      return 3.5;
    case 'boolean':
      return true;
    case 'date':
      return '2024-05-17';
    case 'datetime':
      return '2024-05-17T09:30:00+08:00';
    case 'string':
      return SYNTHETIC_BY_NAME.find(([pattern]) => pattern.test(name))?.[1] ?? `示例${label}`;
  }
}

/**
 * 脱敏预览: the effect of a draft policy on one record, computed by the same compiled policy
 * that the records API and the stream enforcement run, so what the approver sees is what the
 * consumer will receive. Only the provider department's approver may ask (the one who decides
 * its requests): the sample may be one of the department's own hosted records, which it holds
 * anyway. The pseudonym key is random per call, so a pseudonym here never equals a delivered one.
 */
export async function previewPolicy({
  prisma,
  pool,
  actor,
  resourceCode,
  policy,
  record,
}: PreviewPolicyOptions): Promise<PolicyPreview> {
  const resource = await prisma.resource.findUnique({
    where: { code: resourceCode },
    include: { provider: true, items: { orderBy: { position: 'asc' } } },
  });
  if (!resource) throw new NotFoundError(`没有信息资源 ${resourceCode}`);
  authorize(actor, 'request.decide', { departmentCode: resource.provider.code }, 'write');
  const types = Object.fromEntries(
    resource.items.map((i) => [i.name, i.dataType as FieldType]),
  ) as Record<string, FieldType>;
  const compiled = compilePolicy(
    {
      fields: policy.fields,
      purposes: ['PREVIEW'],
      ...(policy.masks ? { masks: policy.masks } : {}),
      ...(policy.rowFilter ? { rowFilter: policy.rowFilter } : {}),
    },
    types,
    randomBytes(32),
  );
  let source: PolicyPreview['source'] = 'given';
  let sample = record;
  if (!sample) {
    // prefer a record the filter lets through, so the masks are shown on a delivered record
    const where = compiled.where({ column: 'data', firstParam: 2 });
    const hosted = await pool.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM records WHERE resource_id = $1::uuid
        ORDER BY (${where.sql}) IS TRUE DESC, ${recordOrder()} LIMIT 1`,
      [resource.id, ...where.params],
    );
    if (hosted.rows[0]) {
      source = 'hosted';
      sample = hosted.rows[0].data;
    } else {
      source = 'synthetic';
      sample = Object.fromEntries(
        resource.items.map((i) => [
          i.name,
          syntheticValue(i.name, i.label, i.dataType as FieldType),
        ]),
      );
    }
  }
  return { source, sample, matches: compiled.matches(sample), shaped: compiled.shape(sample) };
}
