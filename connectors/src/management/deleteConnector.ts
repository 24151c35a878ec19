import type pg from 'pg';
import { ConflictError, NotFoundError, type Actor } from '@gx/platform';
import { inTransaction } from '../log/inTransaction.ts';
import type { ConnectorConfig } from './connectorConfig.ts';
import { loadConnector } from './loadConnector.ts';
import type { ManagementContext } from './managementContext.ts';

export interface DeleteConnectorOptions {
  context: ManagementContext;
  actor: Actor;
  name: string;
  /**
   * false: delete without the plugin's `release` (a source database that is gone, or a slot the
   * DBA drops by hand). Default true.
   */
  release?: boolean;
}

/**
 * How long a delete waits for workers to let go of the connector's tasks. A live worker lets
 * go within a second of the notification; a killed one's claim counts until its lease runs
 * out (10 s by default), after which a retried delete goes through.
 */
const TASKS_RELEASED_WAIT_MS = 10_000;

interface ConnectorLock {
  state: string;
  type: string;
  config: ConnectorConfig;
  live: number;
}

/** the connector's state and how many of its tasks live workers hold; `lock` for the caller's transaction */
async function lookAtTasks(
  db: pg.Pool | pg.PoolClient,
  name: string,
  lock: boolean,
): Promise<ConnectorLock | undefined> {
  const { rows } = await db.query<ConnectorLock>(
    `SELECT c.state, c.type, c.config,
            (SELECT count(*)::int
               FROM connector_tasks t
               JOIN connect_workers w ON w.id = t.worker_id
              WHERE t.connector = c.name AND w.expires_at > now()) AS live
       FROM connectors c
      WHERE c.name = $1 ${lock ? 'FOR UPDATE OF c' : ''}`,
    [name],
  );
  return rows[0];
}

async function waitForTasksReleased(pool: pg.Pool, name: string): Promise<void> {
  const deadline = Date.now() + TASKS_RELEASED_WAIT_MS;
  for (;;) {
    const found = await lookAtTasks(pool, name, false);
    if (!found) throw new NotFoundError(`连接器 ${name} 不存在`);
    if (found.live === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Delete a connector. Its source position and task rows go with it (cascade) and workers stop
 * its tasks on the notification. A sink's committed offsets stay in the record log under its
 * group, as Kafka keeps a deleted connector's offsets: a sink created again under the same
 * name resumes where it was (reset them first to start over). On the PostgreSQL log they are
 * forgotten once `LOG_RETENTION_HOURS` have passed since their last commit
 * (`expireDeletedSinkOffsets`), so that they do not keep the grant's delivery stream forever.
 *
 * A connector whose plugin holds something outside the exchange (`release`: a postgres-cdc
 * replication slot, which keeps the agency's WAL until it is dropped) is stopped first, and
 * once no live worker holds its tasks, released and deleted in one transaction that locks its
 * row (so that nobody resumes it in between and a worker creates the slot again). If the
 * release fails the delete answers 409 naming what was not freed, and the connector stays,
 * stopped: nothing is lost, the operator (or the DBA) fixes the cause and deletes again.
 */
export async function deleteConnector({
  context,
  actor,
  name,
  release = true,
}: DeleteConnectorOptions): Promise<void> {
  const connector = await loadConnector({ pool: context.pool, actor, name, mode: 'write' });
  if (!release || !context.plugins.find((p) => p.type === connector.type)?.release) {
    const { rowCount } = await context.pool.query('DELETE FROM connectors WHERE name = $1', [name]);
    if (rowCount === 0) throw new NotFoundError(`连接器 ${name} 不存在`);
    return;
  }

  // a slot can be dropped only once no task reads it: stop (workers let go on the notification)
  await context.pool.query(
    `UPDATE connectors SET state = 'stopped', updated_at = now()
      WHERE name = $1 AND state <> 'stopped'`,
    [name],
  );
  await waitForTasksReleased(context.pool, name);
  const { logger, secrets } = context;

  await inTransaction(context.pool, async (client) => {
    // read again under the lock: the configuration or the state may have changed meanwhile
    const locked = await lookAtTasks(client, name, true);
    if (!locked) throw new NotFoundError(`连接器 ${name} 不存在`);
    if (locked.state !== 'stopped') {
      throw new ConflictError(`连接器 ${name} 在删除过程中被重新启动，未删除；请重试删除`, {
        state: locked.state,
      });
    }
    if (locked.live > 0) {
      throw new ConflictError(
        `连接器 ${name} 已停止，但仍有 ${locked.live} 个工作进程持有它的任务，未删除；请稍后重试删除（已终止的进程在心跳租约到期后自动释放）`,
        { state: locked.state, liveTasks: locked.live },
      );
    }
    const plugin = context.plugins.find((p) => p.type === locked.type);
    try {
      await plugin?.release?.(locked.config.options, { connector: name, logger, secrets });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn({ connector: name, reason }, '删除连接器时未能释放其外部资源');
      throw new ConflictError(
        `连接器 ${name} 已停止，但未删除：${reason}。处理后请重试删除；若源系统已不存在或由 DBA 手动清理，可加参数 release=false 直接删除`,
        { state: 'stopped' },
      );
    }
    await client.query('DELETE FROM connectors WHERE name = $1', [name]);
  });
}
