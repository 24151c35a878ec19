import type pg from 'pg';
import { authorize, NotFoundError, type Actor } from '@gx/platform';
import type { ConnectorConfig } from './connectorConfig.ts';
import { requireCaller } from './managementContext.ts';

export type ConnectorState = 'running' | 'paused' | 'stopped';

/** A connector as the management API shows it. */
export interface ConnectorView {
  name: string;
  kind: 'source' | 'sink';
  type: string;
  state: ConnectorState;
  department: string;
  resource?: string;
  grant?: string;
  config: ConnectorConfig;
  generation: number;
  createdAt: string;
  updatedAt: string;
}

interface ConnectorRow {
  name: string;
  kind: 'source' | 'sink';
  type: string;
  state: ConnectorState;
  department: string;
  resource: string | null;
  grant_id: string | null;
  config: ConnectorConfig;
  generation: number;
  created_at: Date;
  updated_at: Date;
}

export const SELECT_CONNECTORS = `
  SELECT c.name, c.kind, c.type, c.state, d.code AS department, r.code AS resource,
         c.grant_id::text AS grant_id, c.config, c.generation, c.created_at, c.updated_at
    FROM connectors c
    JOIN departments d ON d.id = c.department_id
    LEFT JOIN resources r ON r.id = c.resource_id`;

export function connectorView(row: ConnectorRow): ConnectorView {
  return {
    name: row.name,
    kind: row.kind,
    type: row.type,
    state: row.state,
    department: row.department,
    ...(row.kind === 'source' && row.resource !== null ? { resource: row.resource } : {}),
    ...(row.kind === 'sink' && row.grant_id !== null ? { grant: row.grant_id } : {}),
    config: row.config,
    generation: row.generation,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function selectConnectors(
  db: pg.Pool | pg.PoolClient,
  where: string,
  values: unknown[],
): Promise<ConnectorView[]> {
  const { rows } = await db.query<ConnectorRow>(`${SELECT_CONNECTORS} ${where}`, values);
  return rows.map(connectorView);
}

export interface LoadConnectorOptions {
  pool: pg.Pool | pg.PoolClient;
  actor: Actor;
  name: string;
  /** `read`: a connector the caller may not manage answers 404; `write`: 403 */
  mode: 'read' | 'write';
}

/**
 * The connector, if the caller may manage its department's connectors. A read of another
 * department's connector answers 404 as if it did not exist; a write answers 403.
 */
export async function loadConnector({
  pool,
  actor,
  name,
  mode,
}: LoadConnectorOptions): Promise<ConnectorView> {
  requireCaller(actor);
  const [connector] = await selectConnectors(pool, 'WHERE c.name = $1', [name]);
  if (!connector) throw new NotFoundError(`连接器 ${name} 不存在`);
  authorize(actor, 'connector.manage', { departmentCode: connector.department }, mode);
  return connector;
}
