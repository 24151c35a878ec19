import createClient, { type Client } from 'openapi-fetch';
import type { paths as CatalogPaths } from '@gx/schemas/generated/catalog';
import type { paths as ConnectorsPaths } from '@gx/schemas/generated/connectors';
import type { paths as ExchangePaths } from '@gx/schemas/generated/exchange-api';
import { portalConfig } from '../../config.ts';
import { ServiceUnavailableError } from './errors.ts';
import { serializeQuery } from './serializeQuery.ts';

/** A page waits this long for an API before it shows 服务暂不可用 instead of hanging. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * fetch that turns "the service is not there" (refused, reset, timed out) into
 * ServiceUnavailableError, which the error page shows as 服务暂不可用 without any detail.
 */
function resilientFetch(service: string): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      return await fetch(request, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        cache: 'no-store',
      });
    } catch (cause) {
      throw new ServiceUnavailableError(service, cause);
    }
  };
}

let catalog: Client<CatalogPaths> | undefined;
let exchange: Client<ExchangePaths> | undefined;
let connectors: Client<ConnectorsPaths> | undefined;

/** The catalog service (resource directory, search), typed from schemas/openapi/catalog.yaml. */
export function catalogClient(): Client<CatalogPaths> {
  return (catalog ??= createClient<CatalogPaths>({
    baseUrl: portalConfig().CATALOG_URL,
    fetch: resilientFetch('catalog'),
    querySerializer: serializeQuery,
  }));
}

/** The exchange API (open data), typed from schemas/openapi/exchange-api.yaml. */
export function exchangeClient(): Client<ExchangePaths> {
  return (exchange ??= createClient<ExchangePaths>({
    baseUrl: portalConfig().EXCHANGE_URL,
    fetch: resilientFetch('exchange-api'),
    querySerializer: serializeQuery,
  }));
}

/** The connectors management API (the console), typed from schemas/openapi/connectors.yaml. */
export function connectorsClient(): Client<ConnectorsPaths> {
  return (connectors ??= createClient<ConnectorsPaths>({
    baseUrl: portalConfig().CONNECTORS_URL,
    fetch: resilientFetch('connectors'),
    querySerializer: serializeQuery,
  }));
}
