import { EvidenceLog } from '@gx/exchange-api';
import type { Logger } from '@gx/platform';
import type { Pool } from 'pg';
import type { RecordLog } from './log/RecordLog.ts';
import { PLUGINS } from './plugins/index.ts';
import { ConnectWorker, type ConnectWorkerOptions } from './runtime/ConnectWorker.ts';
import type { ConnectorCounters } from './runtime/runners.ts';
import type { ConnectorPlugin } from './runtime/plugin.ts';
import { createSecretResolver } from './runtime/secrets.ts';

export interface StartConnectWorkerOptions {
  pool: Pool;
  recordLog: RecordLog;
  logger: Logger;
  counters: ConnectorCounters;
  leaseMs?: number;
  /** retention passes over the PostgreSQL log (ConnectWorkerOptions.retention) */
  retention?: ConnectWorkerOptions['retention'];
  plugins?: readonly ConnectorPlugin[];
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * A connector worker in this process: the evidence log and secrets of the process, every
 * plugin of this build. Stop it before closing the pool.
 */
export async function startConnectWorker({
  pool,
  recordLog,
  logger,
  counters,
  leaseMs,
  retention,
  plugins = PLUGINS,
  env = process.env,
}: StartConnectWorkerOptions): Promise<ConnectWorker> {
  const worker = new ConnectWorker({
    pool,
    log: recordLog,
    plugins,
    secrets: createSecretResolver(env),
    logger: logger.child({ worker: 'connect' }),
    counters,
    evidence: new EvidenceLog({ pool, logger }),
    leaseMs,
    retention,
  });
  await worker.start();
  logger.info({ worker: worker.id }, 'connect worker started');
  return worker;
}
