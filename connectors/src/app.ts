import {
  createHttpApp,
  createIdentity,
  databaseReadiness,
  type ServiceConfig,
  type ServiceDependencies,
} from '@gx/platform';
import { openApiSpecPath } from '@gx/schemas';
import { SERVICE_NAME } from './config.ts';
import type { RecordLog } from './log/RecordLog.ts';
import { createRecordLog, type RecordLogConfig } from './log/recordLogConfig.ts';
import { connectorsRouter } from './management/connectors.router.ts';
import { createConfigValidator } from './management/createConfigValidator.ts';
import { listEveryConfigProblem } from './management/listEveryConfigProblem.ts';
import { PLUGINS } from './plugins/index.ts';
import { createConnectorMetrics, type ConnectorMetrics } from './runtime/connectorMetrics.ts';
import type { ConnectorPlugin } from './runtime/plugin.ts';
import { createSecretResolver, type SecretResolver } from './runtime/secrets.ts';

/**
 * The management API reads only the settings every service has and the record log's; a
 * process's worker settings (ConnectorsConfig) are none of its business.
 */
export interface ConnectorsAppOptions extends ServiceDependencies<ServiceConfig & RecordLogConfig> {
  /** the connector types offered (default: every plugin of this build) */
  plugins?: readonly ConnectorPlugin[];
  /** default: the one the configuration selects (`KAFKA_BROKERS`), on the service's pool */
  recordLog?: RecordLog;
  /**
   * the connector metrics, when workers in the same process report to them; default: created
   * here on `metrics.registry` (they register once per registry)
   */
  connectorMetrics?: ConnectorMetrics;
  /**
   * resolves a connector's secret references when deleting it frees what it holds outside
   * (a CDC source's replication slot); default: this process's environment and files
   */
  secrets?: SecretResolver;
}

export function createConnectorsApp({
  config,
  logger,
  metrics,
  db,
  plugins = PLUGINS,
  recordLog = createRecordLog(config, { pool: db.pool }),
  connectorMetrics,
  secrets = createSecretResolver(),
}: ConnectorsAppOptions) {
  const identity = createIdentity(config, db.pool);
  // compiled before the first request: a plugin with a broken options schema stops the boot
  const validator = createConfigValidator(plugins);
  if (!connectorMetrics)
    createConnectorMetrics(metrics.registry, { pool: db.pool, recordLog, logger });
  return createHttpApp({
    service: SERVICE_NAME,
    logger,
    metrics,
    readiness: [databaseReadiness(db.pool)],
    openApiSpec: openApiSpecPath(SERVICE_NAME),
    routes(app) {
      app.use(identity.authenticate);
      app.use(connectorsRouter({ pool: db.pool, recordLog, plugins, validator, secrets, logger }));
      // a configuration the spec refused: its answer lists every problem, as validate does
      app.use(listEveryConfigProblem(validator, identity.authenticate));
    },
  });
}
