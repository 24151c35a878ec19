import {
  effectiveGrantStatus,
  GRANT_STATUS_TEXT,
  pgQuery,
  queueInitialLoad,
} from '@gx/exchange-api';
import { ConflictError, type Actor } from '@gx/platform';
import { inTransaction } from '../log/inTransaction.ts';
import { loadConnector } from './loadConnector.ts';
import type { ManagementContext } from './managementContext.ts';

export interface RequestInitialLoadOptions {
  context: ManagementContext;
  actor: Actor;
  name: string;
}

/**
 * 重新同步存量数据: queue the stored records (and the retained deletions) for an existing sink's
 * grant again (`queueInitialLoad`), e.g. after its target was restored from an older backup. A
 * source, or a grant that can no longer deliver, is a conflict (nothing would arrive).
 */
export async function requestInitialLoad({
  context,
  actor,
  name,
}: RequestInitialLoadOptions): Promise<{ queued: number }> {
  const connector = await loadConnector({ pool: context.pool, actor, name, mode: 'write' });
  if (connector.kind !== 'sink' || connector.grant === undefined)
    throw new ConflictError(`连接器 ${name} 是来源连接器：存量同步只适用于目标连接器`);
  const grantId = connector.grant;
  return inTransaction(context.pool, async (client) => {
    // the grant row locked: a revocation waits for the markers, or they wait for it
    const { rows } = await client.query<{
      status: 'active' | 'suspended' | 'revoked' | 'expired';
      valid_until: Date | null;
    }>('SELECT status, valid_until FROM grants WHERE id = $1::uuid FOR SHARE', [grantId]);
    const grant = rows[0];
    const status = grant
      ? effectiveGrantStatus({ status: grant.status, validUntil: grant.valid_until })
      : undefined;
    if (status !== 'active')
      throw new ConflictError(
        `共享授权 ${grantId} 当前不是有效状态（${status ? GRANT_STATUS_TEXT[status] : '不存在'}），不能同步存量数据`,
      );
    return { queued: await queueInitialLoad(pgQuery(client), grantId) };
  });
}
