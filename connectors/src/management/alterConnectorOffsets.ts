import { ConflictError, InputError, type Actor, type FieldProblem } from '@gx/platform';
import { inTransaction } from '../log/inTransaction.ts';
import type { JsonValue, PartitionOffset } from '../log/RecordLog.ts';
import { streamGroups } from '../runtime/streamNames.ts';
import { deliveryStreamOf, offsetsOf, type ConnectorOffsets } from './getConnectorOffsets.ts';
import { loadConnector } from './loadConnector.ts';
import type { ManagementContext } from './managementContext.ts';
import { requireStoppedConnector } from './requireStoppedConnector.ts';

/** A position is a small bookmark (a key and timestamp, a file and line), never a payload. */
export const MAX_POSITION_BYTES = 64 * 1024;

/** `line 应为整数` for `/position/line`; the position itself for `/position` */
const positionProblemText = ({ path, message }: FieldProblem) => {
  const field = path.replace(/^\/position\/?/, '').replaceAll('/', '.');
  return field ? `${field} ${message}` : message;
};

export interface AlterConnectorOffsetsOptions {
  context: ManagementContext;
  actor: Actor;
  name: string;
  /** sources `{ position }`, sinks `{ partitions: [{ partition, offset }] }` */
  body: { position?: JsonValue; partitions?: PartitionOffset[] };
}

/**
 * Set where a stopped connector resumes: a source's position (null forgets it) or a sink's
 * committed offsets in its grant's delivery stream (each within what the partition holds).
 */
export async function alterConnectorOffsets({
  context,
  actor,
  name,
  body,
}: AlterConnectorOffsetsOptions): Promise<ConnectorOffsets> {
  const connector = await loadConnector({ pool: context.pool, actor, name, mode: 'write' });
  if (connector.kind === 'source') {
    if (body.partitions !== undefined) {
      throw new InputError('来源连接器的进度是 position，没有分区偏移量', [
        { path: '/partitions', message: '来源连接器请使用 position' },
      ]);
    }
    if (!('position' in body) || body.position === undefined) {
      throw new InputError('缺少 position', [{ path: '/position', message: '必填' }]);
    }
    const position = body.position;
    if (Buffer.byteLength(JSON.stringify(position)) > MAX_POSITION_BYTES) {
      throw new InputError('position 过大', [
        { path: '/position', message: `至多 ${MAX_POSITION_BYTES} 字节` },
      ]);
    }
    // a task resumes only from a position its plugin can read
    const problems =
      position === null ? [] : context.validator.checkPosition(connector.type, position);
    if (problems.length > 0) {
      throw new InputError(
        `位点不符合 ${connector.type} 连接器的格式：${problems.map(positionProblemText).join('；')}`,
        problems,
      );
    }
    await inTransaction(context.pool, async (client) => {
      await requireStoppedConnector(client, name);
      if (position === null) {
        await client.query('DELETE FROM connector_source_positions WHERE connector = $1', [name]);
      } else {
        await client.query(
          `INSERT INTO connector_source_positions (connector, position) VALUES ($1, $2::jsonb)
           ON CONFLICT (connector) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
          [name, JSON.stringify(position)],
        );
      }
    });
    return offsetsOf(context, connector);
  }

  if (body.position !== undefined) {
    throw new InputError('目标连接器的进度是分区偏移量，没有 position', [
      { path: '/position', message: '目标连接器请使用 partitions' },
    ]);
  }
  const partitions = body.partitions;
  if (!Array.isArray(partitions) || partitions.length === 0) {
    throw new InputError('缺少 partitions', [{ path: '/partitions', message: '必填，至少 1 项' }]);
  }
  const seen = new Set<number>();
  const duplicates: FieldProblem[] = [];
  partitions.forEach(({ partition }, i) => {
    if (seen.has(partition))
      duplicates.push({ path: `/partitions/${i}/partition`, message: `分区 ${partition} 重复` });
    seen.add(partition);
  });
  if (duplicates.length > 0) throw new InputError('分区重复', duplicates);

  await inTransaction(context.pool, (client) => requireStoppedConnector(client, name));
  const stream = await deliveryStreamOf(context.recordLog, connector.grant!);
  if (!stream) {
    throw new ConflictError('共享授权的交付流尚未创建（还没有记录交付），没有可修改的偏移量');
  }
  try {
    await context.recordLog.resetOffsets({
      group: streamGroups.sink(name),
      stream,
      to: partitions.map(({ partition, offset }) => ({ partition, offset })),
    });
  } catch (error) {
    // the log names the entries of its own `to` list; here they are the body's `partitions`
    if (error instanceof InputError) {
      const errors = (error.extensions.errors ?? []) as FieldProblem[];
      throw new InputError(
        error.message,
        errors.map((e) => ({ ...e, path: e.path.replace(/^\/to\//, '/partitions/') })),
      );
    }
    throw error;
  }
  return offsetsOf(context, connector);
}
