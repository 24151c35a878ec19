import {
  createHttpApp,
  createIdentity,
  databaseReadiness,
  type ServiceDependencies,
} from '@gx/platform';
import { openApiSpecPath } from '@gx/schemas';
import { SERVICE_NAME, type ExchangeApiConfig } from './config.ts';
import { EvidenceLog, type EvidenceReceipt } from './domain/evidence/index.ts';
import { evidenceRouter } from './http/evidence.router.ts';
import { identityRouter } from './http/identity.router.ts';
import { openRouter } from './http/open.router.ts';
import { recordsRouter } from './http/records.router.ts';
import { sharingRouter } from './http/sharing.router.ts';

export function createExchangeApiApp({
  config,
  logger,
  metrics,
  db,
}: ServiceDependencies<ExchangeApiConfig>) {
  const identity = createIdentity(config, db.pool);
  const evidence = new EvidenceLog({ pool: db.pool, logger });
  return createHttpApp({
    service: SERVICE_NAME,
    logger,
    metrics,
    readiness: [databaseReadiness(db.pool)],
    openApiSpec: openApiSpecPath(SERVICE_NAME),
    // record batches are up to 5 000 records
    bodyLimit: '10mb',
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
      app.use(evidenceRouter({ evidence, pool: db.pool }));
      app.use(
        sharingRouter({ prisma: db.prisma, evidence, decisionDays: config.SHARING_DECISION_DAYS }),
      );
      app.use(
        recordsRouter({
          prisma: db.prisma,
          pool: db.pool,
          evidence,
          receiptHeader: (receipt) => (receipt as EvidenceReceipt | undefined)?.jws,
        }),
      );
    },
  });
}
