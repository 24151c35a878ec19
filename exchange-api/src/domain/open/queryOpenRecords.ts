import { digestOf } from '../evidence/digestRecords.ts';
import { readRecordPage, type RecordPageOptions } from '../records/readRecords.ts';
import { openResource, type OpenedResource, type OpenResourceOptions } from './openResource.ts';
import { recordOpenDelivery } from './recordOpenDelivery.ts';

export interface QueryOpenRecordsOptions
  extends
    OpenResourceOptions,
    Pick<RecordPageOptions, 'prisma' | 'filter' | 'fields' | 'after' | 'limit' | 'order'> {
  /** `preview` for the portal's dataset page, `query` for the open-data API */
  access: 'preview' | 'query';
}

/**
 * 开放数据接口: a page of a resource's records under its open policy — the grant query's engine
 * (the caller's filter on opened unmasked fields, keyset pagination on the record key), gated by
 * the resource's open type instead of a grant. Evidence of what was delivered.
 */
export async function queryOpenRecords({
  prisma,
  filter,
  fields,
  after,
  limit,
  order,
  ...gate
}: QueryOpenRecordsOptions): Promise<{
  opened: OpenedResource;
  body: { items: Record<string, unknown>[]; nextCursor: string | null };
  receipt: unknown;
}> {
  const opened = await openResource(gate);
  const body = await readRecordPage({
    prisma,
    resourceId: opened.resourceId,
    policy: opened.policy,
    filter,
    fields,
    after,
    limit,
    order,
    scope: '已开放',
  });
  const receipt = await recordOpenDelivery(gate.evidence, {
    actor: gate.actor,
    opened,
    access: gate.access,
    recordCount: body.items.length,
    requestHash: gate.requestHash,
    deliveredDigest: digestOf(body.items),
  });
  return { opened, body, receipt };
}
