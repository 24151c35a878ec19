import type { Pool } from 'pg';
import { NotFoundError, type Actor } from '@gx/platform';
import { digestOf } from '../evidence/digestRecords.ts';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { openResource } from './openResource.ts';
import { recordOpenDelivery } from './recordOpenDelivery.ts';

/** 按键获取: one record of an open resource by key, if its open policy's row filter lets it out. */
export async function getOpenRecord({
  pool,
  evidence,
  actor,
  code,
  key,
  requestHash,
}: {
  pool: Pool;
  evidence: EvidenceSink;
  actor: Actor;
  code: string;
  key: string;
  requestHash: string;
}): Promise<{ body: Record<string, unknown>; receipt: unknown }> {
  const opened = await openResource({ pool, evidence, actor, code, access: 'query', requestHash });
  const { rows } = await pool.query<{ data: Record<string, unknown> }>(
    'SELECT data FROM records WHERE resource_id = $1::uuid AND record_key = $2',
    [opened.resourceId, key],
  );
  const data = rows[0]?.data;
  if (!data || !opened.policy.matches(data)) throw new NotFoundError('开放范围内没有这条记录');
  const body = opened.policy.shape(data);
  const receipt = await recordOpenDelivery(evidence, {
    actor,
    opened,
    access: 'get',
    recordCount: 1,
    requestHash,
    deliveredDigest: digestOf([body]),
  });
  return { body, receipt };
}
