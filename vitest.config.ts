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
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
