import {
  loadConfig,
  SERVICE_CONFIG_REQUIRED,
  serviceConfigProperties,
  type ServiceConfig,
} from '@gx/platform';

export const SERVICE_NAME = 'exchange-api';
export const DEFAULT_PORT = 4000;

export type ExchangeApiConfig = ServiceConfig;

/** The only place this service reads the environment. */
export function loadExchangeApiConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ExchangeApiConfig {
  return loadConfig<ExchangeApiConfig>(
    SERVICE_NAME,
    {
      type: 'object',
      properties: serviceConfigProperties(DEFAULT_PORT),
      required: [...SERVICE_CONFIG_REQUIRED],
    },
    env,
  );
}
