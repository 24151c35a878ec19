import { createHttpApp, databaseReadiness, type ServiceDependencies } from '@gx/platform';
import { openApiSpecPath } from '@gx/schemas';
import { SERVICE_NAME, type CatalogConfig } from './config.ts';

export function createCatalogApp({ logger, metrics, db }: ServiceDependencies<CatalogConfig>) {
  return createHttpApp({
    service: SERVICE_NAME,
    logger,
    metrics,
    readiness: [databaseReadiness(db.pool)],
    openApiSpec: openApiSpecPath(SERVICE_NAME),
    routes: () => {},
  });
}
