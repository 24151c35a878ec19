import { NotFoundError, type Actor } from '@gx/platform';
import { inTransaction } from '../log/inTransaction.ts';
import { checkConfigForSave } from './checkConfigForSave.ts';
import { loadConnector, type ConnectorView } from './loadConnector.ts';
import type { ManagementContext } from './managementContext.ts';

export interface PutConnectorConfigOptions {
  context: ManagementContext;
  actor: Actor;
  name: string;
  config: unknown;
}

/**
 * Replace an existing connector's configuration. The caller must manage both the department
 * it belongs to and the one the new configuration names; another type, even of the other
 * kind, is fine when the result is valid. `generation` goes up so that workers rebuild the
 * tasks.
 */
export async function putConnectorConfig({
  context,
  actor,
  name,
  config: input,
}: PutConnectorConfigOptions): Promise<ConnectorView> {
  const current = await loadConnector({ pool: context.pool, actor, name, mode: 'write' });
  const { config, kind, references } = await checkConfigForSave(context, actor, input, '');
  await inTransaction(context.pool, async (client) => {
    const { rowCount } = await client.query(
      `UPDATE connectors
          SET kind = $2, type = $3, department_id = $4, resource_id = $5, grant_id = $6,
              config = $7, generation = generation + 1, updated_at = now()
        WHERE name = $1`,
      [
        name,
        kind,
        config.type,
        references.departmentId,
        references.resourceId,
        references.grantId,
        config,
      ],
    );
    if (rowCount === 0) throw new NotFoundError(`连接器 ${name} 不存在`);
    // a position is the old plugin's own notion of "where" (a file and line, a key and
    // timestamp…): another plugin, or a source that became a sink, must start afresh
    if (config.type !== current.type) {
      await client.query('DELETE FROM connector_source_positions WHERE connector = $1', [name]);
    }
  });
  return loadConnector({ pool: context.pool, actor, name, mode: 'read' });
}
