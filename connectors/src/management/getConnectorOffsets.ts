import { NotFoundError, type Actor } from '@gx/platform';
import { consumerLag } from '../log/consumerLag.ts';
import type { JsonValue, RecordLog } from '../log/RecordLog.ts';
import { streamGroups, streamNames } from '../runtime/streamNames.ts';
import { loadConnector, type ConnectorView } from './loadConnector.ts';
import type { ManagementContext } from './managementContext.ts';

export interface SinkPartitionOffset {
  partition: number;
  /** committed: the next offset the sink reads; null when it never committed there */
  offset: number | null;
  end: number;
  lag: number;
}

export type ConnectorOffsets =
  | { kind: 'source'; position: JsonValue | null }
  | { kind: 'sink'; partitions: SinkPartitionOffset[] };

/** The grant's delivery stream, or undefined while nobody has created it yet. */
export async function deliveryStreamOf(
  recordLog: RecordLog,
  grantId: string,
): Promise<string | undefined> {
  const stream = streamNames.delivery(grantId);
  try {
    await recordLog.partitions(stream);
    return stream;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** What a connector's offsets are now, for a connector already loaded and authorized. */
export async function offsetsOf(
  context: ManagementContext,
  connector: ConnectorView,
): Promise<ConnectorOffsets> {
  if (connector.kind === 'source') {
    const { rows } = await context.pool.query<{ position: JsonValue }>(
      'SELECT position FROM connector_source_positions WHERE connector = $1',
      [connector.name],
    );
    return { kind: 'source', position: rows[0]?.position ?? null };
  }
  const stream = await deliveryStreamOf(context.recordLog, connector.grant!);
  if (!stream) return { kind: 'sink', partitions: [] };
  const lag = await consumerLag(context.recordLog, streamGroups.sink(connector.name), [stream]);
  return {
    kind: 'sink',
    partitions: lag.partitions
      .map((p) => ({ partition: p.partition, offset: p.committed, end: p.end, lag: p.lag }))
      .sort((a, b) => a.partition - b.partition),
  };
}

export interface GetConnectorOffsetsOptions {
  context: ManagementContext;
  actor: Actor;
  name: string;
}

/**
 * A source's stored position, or a sink's committed offset, end offset and lag in every
 * partition of its grant's delivery stream (group `connect.<name>`).
 */
export async function getConnectorOffsets({
  context,
  actor,
  name,
}: GetConnectorOffsetsOptions): Promise<ConnectorOffsets> {
  const connector = await loadConnector({ pool: context.pool, actor, name, mode: 'read' });
  return offsetsOf(context, connector);
}
