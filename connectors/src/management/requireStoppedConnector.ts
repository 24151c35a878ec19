import type pg from 'pg';
import { ConflictError, NotFoundError } from '@gx/platform';

const STATE_LABELS: Record<string, string> = {
  running: '运行中',
  paused: '已暂停',
  stopped: '已停止',
};

/**
 * Offsets may change only while nothing reads or writes them: the connector stopped, and no
 * live worker still holding one of its tasks (a worker releases them after it sees the stop;
 * a killed one's rows count until its heartbeat lease runs out). Locks the connector row for
 * the caller's transaction, so that it cannot be resumed meanwhile.
 */
export async function requireStoppedConnector(client: pg.PoolClient, name: string): Promise<void> {
  const { rows } = await client.query<{ state: string; live: number }>(
    `SELECT c.state,
            (SELECT count(*)::int
               FROM connector_tasks t
               JOIN connect_workers w ON w.id = t.worker_id
              WHERE t.connector = c.name AND w.expires_at > now()) AS live
       FROM connectors c
      WHERE c.name = $1
        FOR UPDATE OF c`,
    [name],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError(`连接器 ${name} 不存在`);
  if (row.state !== 'stopped') {
    throw new ConflictError(
      `连接器 ${name} 当前${STATE_LABELS[row.state] ?? row.state}，须先停止（PUT /v1/connectors/${name}/stop）才能修改或重置进度`,
      { state: row.state },
    );
  }
  if (row.live > 0) {
    throw new ConflictError(
      `连接器 ${name} 已停止，但仍有 ${row.live} 个工作进程持有它的任务；请等它们释放任务后再修改或重置进度（已终止的进程在心跳租约到期后自动释放）`,
      { state: row.state, liveTasks: row.live },
    );
  }
}
