import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      '*/src/**/*.test.ts',
      '*/test/**/*.test.ts',
      'test/**/*.test.ts',
      'deploy/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '.data/**', 'portal/**'],
    globalSetup: ['platform/src/testing/globalSetup.ts'],
    reporters: ['default', './platform/src/testing/summaryReporter.ts'],
    pool: 'forks',
    // Vitest's default is one worker less than the cores: one worker on CI's 2 cores, so every
    // file waited for the one before, though most of them spend their time waiting on the
    // services, PostgreSQL and Chromium they start. Files never share a database, a port or a
    // data folder (globalSetup, freePort, the portal build's lock), so two run side by side.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
