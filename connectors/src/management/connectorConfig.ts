import type { FieldProblem } from '@gx/platform';

/**
 * A connector's configuration as stored in `connectors.config`
 * (schemas/json/connectors/connector.schema.json). It names the plugin and on whose behalf the
 * connector runs; `options` belong to the plugin and hold secrets only as references.
 */
export interface ConnectorConfig {
  type: string;
  /** department code */
  department: string;
  /** sources: the resource code */
  resource?: string;
  /** sinks: the grant id */
  grant?: string;
  /** sinks: deliver the grant's stored records when the connector is created (存量同步) */
  initialLoad?: boolean;
  options: Record<string, unknown>;
  batchSize: number;
  pollIntervalMs: number;
}

export const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_POLL_INTERVAL_MS = 1_000;

/** `^[a-z0-9][a-z0-9._-]{0,99}$`: also a Kafka-legal part of stream and group names */
export const CONNECTOR_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** What is wrong with a connector's name (`/name` of a create's body); none when it is fine. */
export function connectorNameProblems(name: unknown): FieldProblem[] {
  if (typeof name === 'string' && CONNECTOR_NAME.test(name)) return [];
  return [
    {
      path: '/name',
      message:
        name === undefined
          ? '必填'
          : '只能包含小写字母、数字、"."、"_"、"-"，以字母或数字开头，至多 100 个字符',
    },
  ];
}
