import { startService } from '@gx/platform';
import { createExchangeApiService } from './app.ts';
import { loadExchangeApiConfig, SERVICE_NAME } from './config.ts';
import type { EvidenceWatch } from './domain/evidence/index.ts';

// the scheduled evidence verification: made with the app, run in the background
let watch: EvidenceWatch | undefined;

await startService({
  name: SERVICE_NAME,
  loadConfig: () => loadExchangeApiConfig(),
  createApp: (deps) => {
    const service = createExchangeApiService(deps);
    watch = service.watch;
    return service.app;
  },
  background: async () => {
    watch!.start();
    return { stop: () => watch!.stop() };
  },
});
