import {
  loadConfig,
  SERVICE_CONFIG_REQUIRED,
  serviceConfigProperties,
  type ServiceConfig,
} from '@gx/platform';
import { recordLogConfigProperties, type RecordLogConfig } from './log/recordLogConfig.ts';

export const SERVICE_NAME = 'connectors';
export const DEFAULT_PORT = 4002;

export type ConnectorsConfig = ServiceConfig & RecordLogConfig;

/** The only place this service reads the environment. */
export function loadConnectorsConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConnectorsConfig {
  return loadConfig<ConnectorsConfig>(
    SERVICE_NAME,
    {
      type: 'object',
      properties: { ...serviceConfigProperties(DEFAULT_PORT), ...recordLogConfigProperties() },
      required: [...SERVICE_CONFIG_REQUIRED],
    },
    env,
  );
}
