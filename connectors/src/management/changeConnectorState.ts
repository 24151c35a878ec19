import { NotFoundError, type Actor } from '@gx/platform';
import { loadConnector } from './loadConnector.ts';
import type { ManagementContext } from './managementContext.ts';

/**
 * pause: tasks keep their place and move nothing; resume: run again (also after stop);
 * stop: workers release the tasks, so that offsets may be changed; restart: workers rebuild
 * the tasks (a failed one included), the state stays as it is.
 */
export type ConnectorStateChange = 'pause' | 'resume' | 'stop' | 'restart';

const UPDATES: Record<ConnectorStateChange, string> = {
  pause: `state = 'paused'`,
  resume: `state = 'running'`,
  stop: `state = 'stopped'`,
  restart: 'generation = generation + 1',
};

export interface ChangeConnectorStateOptions {
  context: ManagementContext;
  actor: Actor;
  name: string;
  change: ConnectorStateChange;
}

/**
 * Record what the connector is asked to do. Workers learn it from the `connectors_changed`
 * notification the update raises, so the answer is 202: asked, not yet done.
 */
export async function changeConnectorState({
  context,
  actor,
  name,
  change,
}: ChangeConnectorStateOptions): Promise<void> {
  await loadConnector({ pool: context.pool, actor, name, mode: 'write' });
  const { rowCount } = await context.pool.query(
    `UPDATE connectors SET ${UPDATES[change]}, updated_at = now() WHERE name = $1`,
    [name],
  );
  if (rowCount === 0) throw new NotFoundError(`连接器 ${name} 不存在`);
}
