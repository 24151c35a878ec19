import type { Actor } from '@gx/platform';
import { inTransaction } from '../log/inTransaction.ts';
import { streamGroups } from '../runtime/streamNames.ts';
import { deliveryStreamOf, offsetsOf, type ConnectorOffsets } from './getConnectorOffsets.ts';
import { loadConnector } from './loadConnector.ts';
import type { ManagementContext } from './managementContext.ts';
import { requireStoppedConnector } from './requireStoppedConnector.ts';

export interface ResetConnectorOffsetsOptions {
  context: ManagementContext;
  actor: Actor;
  name: string;
}

/**
 * Start a stopped connector over: a source forgets its position (its plugin reads from the
 * beginning), a sink's group goes back to the earliest record of every partition.
 */
export async function resetConnectorOffsets({
  context,
  actor,
  name,
}: ResetConnectorOffsetsOptions): Promise<ConnectorOffsets> {
  const connector = await loadConnector({ pool: context.pool, actor, name, mode: 'write' });
  await inTransaction(context.pool, async (client) => {
    await requireStoppedConnector(client, name);
    if (connector.kind === 'source') {
      await client.query('DELETE FROM connector_source_positions WHERE connector = $1', [name]);
    }
  });
  if (connector.kind === 'sink') {
    const stream = await deliveryStreamOf(context.recordLog, connector.grant!);
    if (stream) {
      await context.recordLog.resetOffsets({
        group: streamGroups.sink(name),
        stream,
        to: 'earliest',
      });
    }
  }
  return offsetsOf(context, connector);
}
