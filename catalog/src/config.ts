import {
  loadConfig,
  SERVICE_CONFIG_REQUIRED,
  serviceConfigProperties,
  type ServiceConfig,
} from '@gx/platform';

export const SERVICE_NAME = 'catalog';
export const DEFAULT_PORT = 4001;

export interface CatalogConfig extends ServiceConfig {
  /**
   * Base URL under which this catalog is published (the IRIs of the DCAT-AP catalogue, the
   * links of the CKAN API and data.json). Unset: taken from each request's Host.
   */
  PUBLIC_CATALOG_URL?: string;
  /** base URL of the exchange API as the public reaches it (downloads, open-data API) */
  PUBLIC_EXCHANGE_URL: string;
  /** base URL of the portal (dataset landing pages) */
  PUBLIC_PORTAL_URL: string;
  /**
   * How often (seconds) this process looks for harvest sources that are due; 0 disables the
   * scheduler (sources still run by hand). Unset (tests building the app directly): 30.
   */
  HARVEST_TICK_SECONDS?: number;
  /** time limit of one request to a harvested catalogue (seconds); unset: 30 */
  HARVEST_FETCH_TIMEOUT_SECONDS?: number;
  /** largest document (one page) accepted from a harvested catalogue (bytes); unset: 20 MB */
  HARVEST_MAX_DOCUMENT_BYTES?: number;
}

/** The only place this service reads the environment. */
export function loadCatalogConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CatalogConfig {
  return loadConfig<CatalogConfig>(
    SERVICE_NAME,
    {
      type: 'object',
      properties: {
        ...serviceConfigProperties(DEFAULT_PORT),
        PUBLIC_CATALOG_URL: {
          type: 'string',
          pattern: '^https?://[^/?#]+(/[^?#]*)?$',
          description:
            'base URL the catalog is published under (DCAT-AP IRIs, CKAN and data.json links); unset: from the request Host',
        },
        PUBLIC_EXCHANGE_URL: {
          type: 'string',
          pattern: '^https?://[^/?#]+(/[^?#]*)?$',
          default: 'http://127.0.0.1:4000',
          description:
            'base URL of the exchange API as the public reaches it (downloads, open-data API)',
        },
        PUBLIC_PORTAL_URL: {
          type: 'string',
          pattern: '^https?://[^/?#]+(/[^?#]*)?$',
          default: 'http://127.0.0.1:3000',
          description: 'base URL of the portal (dataset landing pages)',
        },
        HARVEST_TICK_SECONDS: {
          type: 'integer',
          minimum: 0,
          maximum: 86400,
          default: 30,
          description: 'seconds between looks for due harvest sources; 0 disables the scheduler',
        },
        HARVEST_FETCH_TIMEOUT_SECONDS: {
          type: 'integer',
          minimum: 1,
          maximum: 600,
          default: 30,
          description: 'time limit of one request to a harvested catalogue',
        },
        HARVEST_MAX_DOCUMENT_BYTES: {
          type: 'integer',
          minimum: 1024,
          maximum: 1073741824,
          default: 20971520,
          description: 'largest page (bytes) accepted from a harvested catalogue',
        },
      },
      required: [...SERVICE_CONFIG_REQUIRED],
    },
    env,
  );
}
