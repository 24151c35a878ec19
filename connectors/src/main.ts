import { startService } from '@gx/platform';
import { createConnectorsApp } from './app.ts';
import { loadConnectorsConfig, SERVICE_NAME } from './config.ts';

await startService({
  name: SERVICE_NAME,
  loadConfig: () => loadConnectorsConfig(),
  createApp: createConnectorsApp,
});
