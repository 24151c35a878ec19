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
import { excelRouter } from './http/excel.router.ts';
import { organisationRouter } from './http/organisation.router.ts';
import { reportsRouter } from './http/reports.router.ts';
import { resourcesRouter } from './http/resources.router.ts';
import { searchRouter } from './http/search.router.ts';

export function createCatalogApp({
  config,
  logger,
  metrics,
  db,
}: ServiceDependencies<CatalogConfig>) {
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
      app.use(identity.authenticate);
      app.use(organisationRouter(db.prisma));
      app.use(searchRouter(db.prisma));
      app.use(resourcesRouter(db.prisma));
      app.use(reportsRouter(db.prisma));
      app.use(excelRouter({ prisma: db.prisma, imports }));
    },
  });
}
