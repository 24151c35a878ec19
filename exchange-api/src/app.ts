import {
  createHttpApp,
  createIdentity,
  databaseReadiness,
  type ServiceDependencies,
} from '@gx/platform';
import { openApiSpecPath } from '@gx/schemas';
import { SERVICE_NAME, type ExchangeApiConfig } from './config.ts';
import { identityRouter } from './http/identity.router.ts';
import { openRouter } from './http/open.router.ts';

export function createExchangeApiApp({
  config,
  logger,
  metrics,
  db,
}: ServiceDependencies<ExchangeApiConfig>) {
  const identity = createIdentity(config, db.pool);
  return createHttpApp({
    service: SERVICE_NAME,
    logger,
    metrics,
    readiness: [databaseReadiness(db.pool)],
    openApiSpec: openApiSpecPath(SERVICE_NAME),
    routes(app) {
      app.use(identity.authenticate);
      app.use(
        identityRouter({
          prisma: db.prisma,
          pool: db.pool,
          identityProvider: config.IDENTITY_PROVIDER,
        }),
      );
      app.use(openRouter(db.pool));
    },
  });
}
