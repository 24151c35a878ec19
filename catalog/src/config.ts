import {
  loadConfig,
  SERVICE_CONFIG_REQUIRED,
  serviceConfigProperties,
  type ServiceConfig,
} from '@gx/platform';

export const SERVICE_NAME = 'catalog';
export const DEFAULT_PORT = 4001;

export type CatalogConfig = ServiceConfig;

/** The only place this service reads the environment. */
export function loadCatalogConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CatalogConfig {
  return loadConfig<CatalogConfig>(
    SERVICE_NAME,
    {
      type: 'object',
      properties: serviceConfigProperties(DEFAULT_PORT),
      required: [...SERVICE_CONFIG_REQUIRED],
    },
    env,
  );
}
