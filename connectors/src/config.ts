import {
  loadConfig,
  SERVICE_CONFIG_REQUIRED,
  serviceConfigProperties,
  type ServiceConfig,
} from '@gx/platform';
import {
  logRetentionConfigProperties,
  recordLogConfigProperties,
  type LogRetentionConfig,
  type RecordLogConfig,
} from './log/recordLogConfig.ts';

export const SERVICE_NAME = 'connectors';
export const DEFAULT_PORT = 4002;

export type ConnectorsConfig = ServiceConfig &
  RecordLogConfig &
  LogRetentionConfig & {
    CONNECT_WORKER: boolean;
    CONNECT_WORKER_LEASE_MS: number;
  };

/** The only place this service reads the environment. */
export function loadConnectorsConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConnectorsConfig {
  return loadConfig<ConnectorsConfig>(
    SERVICE_NAME,
    {
      type: 'object',
      properties: {
        ...serviceConfigProperties(DEFAULT_PORT),
        ...recordLogConfigProperties(),
        ...logRetentionConfigProperties(),
        CONNECT_WORKER: {
          type: 'boolean',
          default: true,
          description:
            'run a connector worker in this process (false: management API only; workers elsewhere)',
        },
        CONNECT_WORKER_LEASE_MS: {
          type: 'integer',
          minimum: 1_000,
          maximum: 600_000,
          default: 10_000,
          description:
            'how long a dead connector worker keeps its source tasks before others take them',
        },
      },
      required: [...SERVICE_CONFIG_REQUIRED],
    },
    env,
  );
}
