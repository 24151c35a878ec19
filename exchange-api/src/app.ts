import { createHttpApp, databaseReadiness, type ServiceDependencies } from '@gx/platform';
import { openApiSpecPath } from '@gx/schemas';
import { SERVICE_NAME, type ExchangeApiConfig } from './config.ts';

export function createExchangeApiApp({
  logger,
  metrics,
  db,
}: ServiceDependencies<ExchangeApiConfig>) {
  return createHttpApp({
    service: SERVICE_NAME,
    logger,
    metrics,
    readiness: [databaseReadiness(db.pool)],
    openApiSpec: openApiSpecPath(SERVICE_NAME),
    routes: () => {},
  });
}
