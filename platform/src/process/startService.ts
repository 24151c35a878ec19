import type { Server } from 'node:http';
import type { Express } from 'express';
import { ConfigError } from '../config/loadConfig.ts';
import { answerClientErrors } from '../http/answerClientErrors.ts';
import { listenApp } from '../http/createAppServer.ts';
import type { ServiceConfig } from '../config/serviceConfig.ts';
import { createDatabase, type Database } from '../db/createDatabase.ts';
import { createLogger, type Logger } from '../logging/createLogger.ts';
import { createMetrics, type ServiceMetrics } from '../metrics/createMetrics.ts';

/** Exit status for a configuration error (sysexits.h EX_CONFIG). */
export const EXIT_CONFIG = 78;

export interface ServiceDependencies<C extends ServiceConfig> {
  config: C;
  logger: Logger;
  metrics: ServiceMetrics;
  db: Database;
}

export interface StartServiceOptions<C extends ServiceConfig> {
  name: string;
  loadConfig(): C;
  createApp(deps: ServiceDependencies<C>): Express | Promise<Express>;
  /**
   * work the process does besides serving HTTP (e.g. connector workers), started once the
   * server listens and stopped before the database pool closes
   */
  background?(deps: ServiceDependencies<C>): Promise<{ stop(): Promise<void> }>;
}

export interface RunningService {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

/**
 * Boot a service process: configuration first (a bad value stops the process with a message
 * naming the variable), then logger, metrics, database, HTTP; SIGTERM/SIGINT close the server
 * and the pool and exit 0.
 */
export async function startService<C extends ServiceConfig>(
  options: StartServiceOptions<C>,
): Promise<RunningService> {
  let config: C;
  try {
    config = options.loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  const logger = createLogger({ service: options.name, level: config.LOG_LEVEL });
  const metrics = createMetrics(options.name);
  const db = createDatabase({
    url: config.DATABASE_URL,
    max: config.DB_POOL_MAX,
    applicationName: options.name,
  });
  metrics.observePool(db.pool);
  const deps = { config, logger, metrics, db };
  const app = await options.createApp(deps);

  const server = await listenApp(app, config.PORT, config.HOST);
  answerClientErrors(server);
  const url = `http://${config.HOST}:${config.PORT}`;
  logger.info({ url }, `${options.name} listening`);
  const background = await options.background?.(deps);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down');
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await background?.stop();
      await db.close();
    })());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      stop().then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  // Started by `npm start` with an IPC channel: when the launcher dies, even by SIGKILL, the
  // channel closes and this process follows instead of running on as an orphan.
  if (process.send) {
    process.once('disconnect', () => {
      logger.warn('launcher is gone; stopping');
      stop().finally(() => process.exit(0));
    });
  }
  return { server, url, stop };
}
