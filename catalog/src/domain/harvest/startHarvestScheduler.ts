import type { Logger } from '@gx/platform';
import type { HarvestRunner } from './HarvestRunner.ts';

export interface StartHarvestSchedulerOptions {
  runner: HarvestRunner;
  /** seconds between looks for due sources; 0 disables the scheduler */
  tickSeconds: number;
  logger: Logger;
}

/**
 * The catalog process's harvest scheduler: every tick it asks the runner to claim and run the
 * sources that are due. Ticks never overlap; a failed tick (database away) is logged and the
 * next one tries again. Stopping ends the ticks and the running jobs.
 */
export function startHarvestScheduler({
  runner,
  tickSeconds,
  logger,
}: StartHarvestSchedulerOptions): { stop(): Promise<void> } {
  if (tickSeconds <= 0) return { stop: () => runner.stop() };
  let ticking: Promise<void> | null = null;
  const tick = () => {
    if (ticking) return;
    ticking = runner
      .runDue()
      .then((started) => {
        if (started > 0) logger.info({ started }, 'harvest jobs started');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'harvest scheduler tick failed'))
      .finally(() => {
        ticking = null;
      });
  };
  const timer = setInterval(tick, tickSeconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await ticking;
      await runner.stop();
    },
  };
}
