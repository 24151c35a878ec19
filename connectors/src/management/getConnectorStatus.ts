import type { Actor } from '@gx/platform';
import { loadConnector } from './loadConnector.ts';
import type { ManagementContext } from './managementContext.ts';

export interface TaskStatus {
  id: string;
  workerId: string;
  state: 'RUNNING' | 'FAILED';
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface ConnectorStatus {
  name: string;
  state: 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'UNASSIGNED';
  tasks: TaskStatus[];
}

export interface GetConnectorStatusOptions {
  context: ManagementContext;
  actor: Actor;
  name: string;
}

/**
 * What the connector does, from what it is asked (`connectors.state`) and the task rows of
 * live workers (`connect_workers.expires_at` in the future, database clock): a dead worker's
 * rows linger until another worker deletes them and must not count. A running connector is
 * FAILED when one of those tasks failed and UNASSIGNED when there is none.
 */
export async function getConnectorStatus({
  context,
  actor,
  name,
}: GetConnectorStatusOptions): Promise<ConnectorStatus> {
  const connector = await loadConnector({ pool: context.pool, actor, name, mode: 'read' });
  const { rows } = await context.pool.query<{
    task: string;
    worker_id: string;
    state: 'running' | 'failed';
    last_error: string | null;
    last_error_at: Date | null;
  }>(
    `SELECT t.task, t.worker_id::text AS worker_id, t.state, t.last_error, t.last_error_at
       FROM connector_tasks t
       JOIN connect_workers w ON w.id = t.worker_id
      WHERE t.connector = $1 AND w.expires_at > now()
      ORDER BY t.task, t.worker_id`,
    [name],
  );
  const tasks = rows.map((r): TaskStatus => ({
    id: r.task,
    workerId: r.worker_id,
    state: r.state === 'failed' ? 'FAILED' : 'RUNNING',
    lastError: r.last_error,
    lastErrorAt: r.last_error_at?.toISOString() ?? null,
  }));
  const state =
    connector.state === 'paused'
      ? 'PAUSED'
      : connector.state === 'stopped'
        ? 'STOPPED'
        : tasks.length === 0
          ? 'UNASSIGNED'
          : tasks.some((t) => t.state === 'FAILED')
            ? 'FAILED'
            : 'RUNNING';
  return { name, state, tasks };
}
