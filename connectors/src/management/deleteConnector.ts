import { NotFoundError, type Actor } from '@gx/platform';
import { loadConnector } from './loadConnector.ts';
import type { ManagementContext } from './managementContext.ts';

export interface DeleteConnectorOptions {
  context: ManagementContext;
  actor: Actor;
  name: string;
}

/**
 * Delete a connector. Its source position and task rows go with it (cascade) and workers stop
 * its tasks on the notification. A sink's committed offsets stay in the record log under its
 * group, as Kafka keeps a deleted connector's offsets: a sink created again under the same
 * name resumes where it was (reset them first to start over).
 */
export async function deleteConnector({
  context,
  actor,
  name,
}: DeleteConnectorOptions): Promise<void> {
  await loadConnector({ pool: context.pool, actor, name, mode: 'write' });
  const { rowCount } = await context.pool.query('DELETE FROM connectors WHERE name = $1', [name]);
  if (rowCount === 0) throw new NotFoundError(`连接器 ${name} 不存在`);
}
