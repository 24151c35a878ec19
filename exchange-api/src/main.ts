import { startService } from '@gx/platform';
import { createExchangeApiApp } from './app.ts';
import { loadExchangeApiConfig, SERVICE_NAME } from './config.ts';

await startService({
  name: SERVICE_NAME,
  loadConfig: () => loadExchangeApiConfig(),
  createApp: createExchangeApiApp,
});
