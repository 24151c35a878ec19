import type { EmbeddedPostgres, ServerExit } from '../db/EmbeddedPostgres.ts';

export interface SuperviseEmbeddedPostgresOptions {
  /** the server, started or about to be */
  server: EmbeddedPostgres;
  log(message: string): void;
  /** restarts allowed within `windowMs`; one more death or failed start gives up (default 5) */
  maxRestarts?: number;
  /** default 10 minutes */
  windowMs?: number;
  /** wait before the n-th restart of the window (default 1 s, doubling, at most 30 s) */
  backoffMs?(attempt: number): number;
  /** the server cannot be kept running; `reason` says why, for the operator */
  onGiveUp(reason: string): void;
}

export interface EmbeddedPostgresSupervisor {
  /** stop restarting (a restart under way is let finish), then stop the server */
  stop(): Promise<void>;
}

const describeExit = ({ code, signal }: ServerExit) =>
  signal ? `killed by ${signal}` : `exited with code ${code}`;

/**
 * Keep `npm start`'s embedded PostgreSQL running. When the server dies (the OOM killer's
 * SIGKILL, a crash), it is started again on the same data folder and port, so the services'
 * DATABASE_URL stays valid and their pools reconnect by themselves; crash recovery replays the
 * WAL, so every committed transaction is kept. A server that keeps dying, or cannot be started,
 * is given up on after `maxRestarts` attempts within `windowMs`: a system without its database
 * must stop and say so, not serve 503s forever.
 */
export function superviseEmbeddedPostgres(
  options: SuperviseEmbeddedPostgresOptions,
): EmbeddedPostgresSupervisor {
  const { server, log, maxRestarts = 5, windowMs = 10 * 60_000 } = options;
  const backoffMs = options.backoffMs ?? ((n: number) => Math.min(1_000 * 2 ** (n - 1), 30_000));
  const attempts: number[] = []; // when each restart of the window began
  let stopped = false;
  let recovering: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const recover = async () => {
    for (;;) {
      const now = Date.now();
      while (attempts.length > 0 && attempts[0]! <= now - windowMs) attempts.shift();
      if (attempts.length >= maxRestarts) {
        options.onGiveUp(
          `PostgreSQL could not be kept running: ${maxRestarts} restart(s) within ` +
            `${Math.round(windowMs / 60_000)} min did not last; its log: ${server.logFile}`,
        );
        return;
      }
      attempts.push(now);
      const attempt = attempts.length;
      const delay = backoffMs(attempt);
      log(
        `restarting PostgreSQL on port ${server.options.port} with the same data ` +
          `(attempt ${attempt} of ${maxRestarts}) in ${delay / 1000} s`,
      );
      await pause(delay);
      if (stopped) return;
      try {
        await server.start();
        log('PostgreSQL restarted; the services reconnect by themselves');
        return;
      } catch (error) {
        log(`PostgreSQL restart failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (stopped) return;
    }
  };

  server.onUnexpectedExit((exit) => {
    if (stopped) return;
    log(
      `PostgreSQL died (pid ${exit.pid}, ${describeExit(exit)}); the services answer 503 ` +
        `until it is back; its log: ${server.logFile}`,
    );
    recovering = recover();
  });

  return {
    async stop() {
      stopped = true;
      wake?.();
      await recovering;
      await server.stop();
    },
  };
}
