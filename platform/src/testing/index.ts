export * from './createTestDatabase.ts';
export { freePort } from './globalSetup.ts';
export * from './captureLogs.ts';
export * from './expectResponseMatchesSpec.ts';
export * from './oidcClient.ts';
export * from './listen.ts';
export * from './testPool.ts';
export * from './until.ts';
