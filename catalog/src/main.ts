import { startService } from '@gx/platform';
import { createCatalogApp, createHarvestRunner } from './app.ts';
import { loadCatalogConfig, SERVICE_NAME } from './config.ts';
import type { HarvestRunner } from './domain/harvest/HarvestRunner.ts';
import { startHarvestScheduler } from './domain/harvest/startHarvestScheduler.ts';

// one runner for the API's "run now" and the scheduler, so that shutdown stops both
let harvest: HarvestRunner | undefined;

await startService({
  name: SERVICE_NAME,
  loadConfig: () => loadCatalogConfig(),
  createApp: (deps) => {
    harvest = createHarvestRunner(deps);
    return createCatalogApp(deps, { harvest });
  },
  background: async ({ config, logger }) =>
    startHarvestScheduler({
      runner: harvest!,
      tickSeconds: config.HARVEST_TICK_SECONDS ?? 30,
      logger,
    }),
});
