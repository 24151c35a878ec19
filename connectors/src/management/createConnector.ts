import { pgQuery, queueInitialLoad } from '@gx/exchange-api';
import { ConflictError, describeActor, InputError, type Actor } from '@gx/platform';
import { inTransaction } from '../log/inTransaction.ts';
import { checkConfigForSave } from './checkConfigForSave.ts';
import { connectorNameProblems } from './connectorConfig.ts';
import { loadConnector, type ConnectorView } from './loadConnector.ts';
import { requireCaller, type ManagementContext } from './managementContext.ts';

export interface CreateConnectorOptions {
  context: ManagementContext;
  actor: Actor;
  name: string;
  config: unknown;
}

/**
 * Create a connector; it starts `running` at generation 1 and workers pick it up at once. A sink
 * with `initialLoad` also queues its grant's stored records (`queueInitialLoad`).
 */
export async function createConnector({
  context,
  actor,
  name,
  config: input,
}: CreateConnectorOptions): Promise<ConnectorView> {
  requireCaller(actor);
  const nameProblems = connectorNameProblems(name);
  if (nameProblems.length > 0) throw new InputError('连接器名称无效', nameProblems);
  const { config, kind, references } = await checkConfigForSave(context, actor, input, '/config');
  await inTransaction(context.pool, async (client) => {
    const { rowCount } = await client.query(
      `INSERT INTO connectors (name, kind, type, department_id, resource_id, grant_id, config, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (name) DO NOTHING`,
      [
        name,
        kind,
        config.type,
        references.departmentId,
        references.resourceId,
        references.grantId,
        config,
        describeActor(actor),
      ],
    );
    if (rowCount === 0) throw new ConflictError(`连接器名称 ${name} 已被使用`);
    if (kind === 'sink' && config.initialLoad && references.grantId)
      await queueInitialLoad(pgQuery(client), references.grantId);
  });
  return loadConnector({ pool: context.pool, actor, name, mode: 'read' });
}
