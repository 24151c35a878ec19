import { startService } from '@gx/platform';
import { createConnectorsApp } from './app.ts';
import { loadConnectorsConfig, SERVICE_NAME } from './config.ts';
import { createRecordLog, logRetention } from './log/recordLogConfig.ts';
import type { RecordLog } from './log/RecordLog.ts';
import { createConnectorMetrics, type ConnectorMetrics } from './runtime/connectorMetrics.ts';
import type { ConnectWorker } from './runtime/ConnectWorker.ts';
import { startConnectWorker } from './worker.ts';

// one record log and one set of connector metrics for the API and the worker of this process
let recordLog: RecordLog | undefined;
let connectorMetrics: ConnectorMetrics | undefined;

await startService({
  name: SERVICE_NAME,
  loadConfig: () => loadConnectorsConfig(),
  createApp(deps) {
    recordLog = createRecordLog(deps.config, { pool: deps.db.pool });
    connectorMetrics = createConnectorMetrics(deps.metrics.registry, {
      pool: deps.db.pool,
      recordLog,
      logger: deps.logger,
    });
    return createConnectorsApp({ ...deps, recordLog, connectorMetrics });
  },
  async background({ config, db, logger }) {
    const log = recordLog!;
    if (!config.CONNECT_WORKER) return { stop: () => log.close() };
    // the worker needs the migrated schema: until it is there (the service answers /readyz
    // with 503 meanwhile), keep trying instead of stopping the process
    let worker: ConnectWorker | undefined;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    let starting: Promise<void> | undefined;
    const attempt = () => {
      starting = startConnectWorker({
        pool: db.pool,
        recordLog: log,
        logger,
        counters: connectorMetrics!,
        leaseMs: config.CONNECT_WORKER_LEASE_MS,
        retention: {
          settings: logRetention(config),
          recordsPurged: (kind, n) => connectorMetrics!.recordsPurged(kind, n),
        },
      }).then(
        async (started) => {
          worker = started;
          if (stopped) await started.stop();
        },
        (error: unknown) => {
          if (stopped) return;
          logger.warn({ err: String(error) }, 'connect worker could not start; retrying in 2 s');
          retry = setTimeout(attempt, 2_000);
        },
      );
    };
    attempt();
    return {
      async stop() {
        stopped = true;
        clearTimeout(retry);
        await starting;
        await worker?.stop();
        await log.close();
      },
    };
  },
});
