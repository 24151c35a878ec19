import {
  loadConfig,
  SERVICE_CONFIG_REQUIRED,
  serviceConfigProperties,
  type ServiceConfig,
} from '@gx/platform';

export const SERVICE_NAME = 'exchange-api';
export const DEFAULT_PORT = 4000;

export interface ExchangeApiConfig extends ServiceConfig {
  /** working days a provider has to decide a conditional sharing request */
  SHARING_DECISION_DAYS: number;
}

/** The only place this service reads the environment. */
export function loadExchangeApiConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ExchangeApiConfig {
  return loadConfig<ExchangeApiConfig>(
    SERVICE_NAME,
    {
      type: 'object',
      properties: {
        ...serviceConfigProperties(DEFAULT_PORT),
        SHARING_DECISION_DAYS: {
          type: 'integer',
          minimum: 1,
          maximum: 60,
          default: 5,
          description: 'working days a provider has to decide a conditional sharing request',
        },
      },
      required: [...SERVICE_CONFIG_REQUIRED],
    },
    env,
  );
}
