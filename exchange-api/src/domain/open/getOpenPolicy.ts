import type { Pool } from 'pg';
import { authorize, NotFoundError, type Actor } from '@gx/platform';
import { loadOpenResource, type OpenResourceRow } from './openResource.ts';
import { openPolicyView } from './openPolicyView.ts';

/**
 * A directory entry for its provider's steward (`resource.manage`): anyone else reading gets
 * 404, anyone else writing 403.
 */
export async function managedOpenResource(
  pool: Pool,
  actor: Actor,
  code: string,
  mode: 'read' | 'write',
): Promise<OpenResourceRow> {
  const row = await loadOpenResource(pool, code);
  if (!row) throw new NotFoundError(`没有代码为 ${code} 的信息资源`);
  authorize(actor, 'resource.manage', { departmentCode: row.providerCode }, mode);
  return row;
}

/** 开放策略 of a resource, for its provider's steward. */
export async function getOpenPolicy({
  pool,
  actor,
  code,
}: {
  pool: Pool;
  actor: Actor;
  code: string;
}): Promise<ReturnType<typeof openPolicyView>> {
  return openPolicyView(await managedOpenResource(pool, actor, code, 'read'));
}
