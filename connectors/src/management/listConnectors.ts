import { isAllowed, type Actor } from '@gx/platform';
import type { ManagementContext } from './managementContext.ts';
import { requireCaller } from './managementContext.ts';
import { selectConnectors, type ConnectorView } from './loadConnector.ts';

export interface ListConnectorsOptions {
  context: ManagementContext;
  actor: Actor;
}

/**
 * The connectors the caller may manage (`connector.manage`): every one for the platform
 * admin, its own department's for a steward or system, none for anyone else. Filtered with
 * the authorization table itself rather than a role test here; a deployment has tens or
 * hundreds of connectors, not millions.
 */
export async function listConnectors({
  context,
  actor,
}: ListConnectorsOptions): Promise<ConnectorView[]> {
  requireCaller(actor);
  const all = await selectConnectors(context.pool, 'ORDER BY c.name', []);
  return all.filter((c) => isAllowed(actor, 'connector.manage', { departmentCode: c.department }));
}
