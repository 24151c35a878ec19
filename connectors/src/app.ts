import { createHttpApp, databaseReadiness, type ServiceDependencies } from '@gx/platform';
import { openApiSpecPath } from '@gx/schemas';
import { SERVICE_NAME, type ConnectorsConfig } from './config.ts';

export function createConnectorsApp({
  logger,
  metrics,
  db,
}: ServiceDependencies<ConnectorsConfig>) {
  return createHttpApp({
    service: SERVICE_NAME,
    logger,
    metrics,
    readiness: [databaseReadiness(db.pool)],
    openApiSpec: openApiSpecPath(SERVICE_NAME),
    routes: () => {},
  });
}
