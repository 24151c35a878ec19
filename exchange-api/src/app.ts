import {
  createHttpApp,
  createIdentity,
  databaseReadiness,
  type ServiceDependencies,
} from '@gx/platform';
import { openApiSpecPath } from '@gx/schemas';
import { SERVICE_NAME, type ExchangeApiConfig } from './config.ts';
import { EvidenceLog, EvidenceWatch, type EvidenceReceipt } from './domain/evidence/index.ts';
import { ChangeNotifications } from './domain/records/changeNotifications.ts';
import { RecordDeletionRetention } from './domain/records/recordDeletionRetention.ts';
import { evidenceRouter } from './http/evidence.router.ts';
import { identityRouter } from './http/identity.router.ts';
import { objectionsRouter } from './http/objections.router.ts';
import { openApplicationsRouter } from './http/openApplications.router.ts';
import { openRouter } from './http/open.router.ts';
import { openUsageRouter } from './http/openUsage.router.ts';
import { policyPreviewRouter } from './http/policyPreview.router.ts';
import { recordsRouter } from './http/records.router.ts';
import { reportsRouter } from './http/reports.router.ts';
import { sharingRouter } from './http/sharing.router.ts';
import { subscriptionRouter } from './http/subscription.router.ts';

/** The exchange API's app (its scheduled evidence verification not started). */
export function createExchangeApiApp(deps: ServiceDependencies<ExchangeApiConfig>) {
  return createExchangeApiService(deps).app;
}

/**
 * The exchange API: its app; `watch`, the scheduled verification of the evidence chain that
 * its status endpoint and metrics read; and `deletionRetention`, the scheduled purge of deleted
 * records' keys (ADR 0012). Whoever runs the service starts and stops the two jobs.
 */
export function createExchangeApiService({
  config,
  logger,
  metrics,
  db,
}: ServiceDependencies<ExchangeApiConfig>) {
  const identity = createIdentity(config, db.pool);
  const evidence = new EvidenceLog({ pool: db.pool, logger });
  const watch = new EvidenceWatch({
    pool: db.pool,
    evidence,
    logger,
    intervalSeconds: config.EVIDENCE_VERIFY_INTERVAL_SECONDS,
    fullEveryHours: config.EVIDENCE_FULL_VERIFY_HOURS,
  });
  watch.registerMetrics(metrics.registry);
  const deletionRetention = new RecordDeletionRetention({
    pool: db.pool,
    logger,
    retentionHours: config.RECORD_DELETION_RETENTION_HOURS,
    intervalSeconds: config.RECORD_DELETION_PURGE_INTERVAL_SECONDS,
  });
  // one LISTEN connection shared by this process's subscription streams, open while any runs
  const notifications = new ChangeNotifications({ url: config.DATABASE_URL, logger });
  const app = createHttpApp({
    service: SERVICE_NAME,
    logger,
    metrics,
    readiness: [databaseReadiness(db.pool)],
    openApiSpec: openApiSpecPath(SERVICE_NAME),
    // record batches are up to 5 000 records
    bodyLimit: '10mb',
    routes(app) {
      app.use(identity.authenticate);
      // first: the records API is the hot path, and Express tries every route mounted before it
      app.use(
        recordsRouter({
          prisma: db.prisma,
          pool: db.pool,
          evidence,
          receiptHeader: (receipt) => (receipt as EvidenceReceipt | undefined)?.jws,
        }),
      );
      app.use(
        identityRouter({
          prisma: db.prisma,
          pool: db.pool,
          identityProvider: config.IDENTITY_PROVIDER,
        }),
      );
      app.use(
        openRouter({
          prisma: db.prisma,
          pool: db.pool,
          evidence,
          receiptHeader: (receipt) => (receipt as EvidenceReceipt | undefined)?.jws,
        }),
      );
      app.use(openUsageRouter({ pool: db.pool }));
      app.use(openApplicationsRouter({ prisma: db.prisma, pool: db.pool, evidence }));
      app.use(evidenceRouter({ evidence, pool: db.pool, watch }));
      app.use(reportsRouter({ pool: db.pool }));
      app.use(
        objectionsRouter({
          prisma: db.prisma,
          pool: db.pool,
          evidence,
          receiptHeader: (receipt) => (receipt as EvidenceReceipt | undefined)?.jws,
        }),
      );
      app.use(
        sharingRouter({ prisma: db.prisma, evidence, decisionDays: config.SHARING_DECISION_DAYS }),
      );
      app.use(policyPreviewRouter({ prisma: db.prisma, pool: db.pool }));
      app.use(
        subscriptionRouter({
          prisma: db.prisma,
          pool: db.pool,
          evidence,
          notifications,
          logger,
          receiptHeader: (receipt) => (receipt as EvidenceReceipt | undefined)?.jws,
        }),
      );
    },
  });
  return { app, watch, deletionRetention };
}
