import { startService } from '@gx/platform';
import { createCatalogApp } from './app.ts';
import { loadCatalogConfig, SERVICE_NAME } from './config.ts';

await startService({
  name: SERVICE_NAME,
  loadConfig: () => loadCatalogConfig(),
  createApp: createCatalogApp,
});
