import {
  createHttpApp,
  createIdentity,
  databaseReadiness,
  type ServiceDependencies,
} from '@gx/platform';
import { openApiSpecPath } from '@gx/schemas';
import { SERVICE_NAME, type CatalogConfig } from './config.ts';
import { ImportJobRunner } from './domain/excel/ImportJobRunner.ts';
import { PostgresImportJobStore } from './domain/excel/PostgresImportJobStore.ts';
import { HarvestRunner } from './domain/harvest/HarvestRunner.ts';
import { ckanCredentials, ckanErrorHandler, ckanRouter } from './http/ckan.router.ts';
import { dataRequestsRouter } from './http/dataRequests.router.ts';
import { excelRouter } from './http/excel.router.ts';
import { harvestRouter } from './http/harvest.router.ts';
import { interopRouter } from './http/interop.router.ts';
import { organisationRouter } from './http/organisation.router.ts';
import { reportsRouter } from './http/reports.router.ts';
import { resourcesRouter } from './http/resources.router.ts';
import { reviewsRouter } from './http/reviews.router.ts';
import { searchRouter } from './http/search.router.ts';

export interface CatalogAppOptions {
  /** runs harvest jobs; main.ts shares it with the scheduler. Default: one for this app */
  harvest?: HarvestRunner;
}

/** The harvest runner a catalog process uses, configured from its settings. */
export function createHarvestRunner({
  config,
  logger,
  db,
}: Pick<ServiceDependencies<CatalogConfig>, 'config' | 'logger' | 'db'>): HarvestRunner {
  return new HarvestRunner({
    prisma: db.prisma,
    logger,
    fetchTimeoutMs: (config.HARVEST_FETCH_TIMEOUT_SECONDS ?? 30) * 1000,
    maxDocumentBytes: config.HARVEST_MAX_DOCUMENT_BYTES,
  });
}

export function createCatalogApp(
  { config, logger, metrics, db }: ServiceDependencies<CatalogConfig>,
  { harvest = createHarvestRunner({ config, logger, db }) }: CatalogAppOptions = {},
) {
  const identity = createIdentity(config, db.pool);
  const imports = new ImportJobRunner({
    prisma: db.prisma,
    jobs: new PostgresImportJobStore(db.prisma),
    onUnexpectedError: (err, jobId) => logger.error({ err, jobId }, 'excel import failed'),
  });
  return createHttpApp({
    service: SERVICE_NAME,
    logger,
    metrics,
    readiness: [databaseReadiness(db.pool)],
    openApiSpec: openApiSpecPath(SERVICE_NAME),
    routes(app) {
      // CKAN clients send their token without "Bearer"; read it before authenticating
      app.use('/api', ckanCredentials);
      app.use(identity.authenticate);
      app.use(organisationRouter(db.prisma));
      app.use(searchRouter(db.prisma));
      app.use(resourcesRouter(db.prisma));
      app.use(reportsRouter(db.prisma));
      app.use(dataRequestsRouter({ prisma: db.prisma, pool: db.pool }));
      app.use(reviewsRouter({ prisma: db.prisma, pool: db.pool }));
      app.use(excelRouter({ prisma: db.prisma, imports }));
      app.use(harvestRouter({ prisma: db.prisma, runner: harvest }));
      app.use(interopRouter({ prisma: db.prisma, config }));
      app.use(ckanRouter({ prisma: db.prisma, config }));
      // errors under /api/ (validator, authentication, actions) as CKAN answers them
      app.use('/api', ckanErrorHandler({ config, logger }));
    },
  });
}
