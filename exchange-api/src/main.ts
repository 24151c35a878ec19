import { startService } from '@gx/platform';
import { createExchangeApiService } from './app.ts';
import { loadExchangeApiConfig, SERVICE_NAME } from './config.ts';

// the scheduled jobs (evidence verification, deleted keys' retention): made with the app, run
// in the background
let service: ReturnType<typeof createExchangeApiService> | undefined;

await startService({
  name: SERVICE_NAME,
  loadConfig: () => loadExchangeApiConfig(),
  createApp: (deps) => {
    service = createExchangeApiService(deps);
    return service.app;
  },
  background: async () => {
    const { watch, deletionRetention } = service!;
    watch.start();
    deletionRetention.start();
    return {
      stop: async () => {
        await Promise.all([watch.stop(), deletionRetention.stop()]);
      },
    };
  },
});
