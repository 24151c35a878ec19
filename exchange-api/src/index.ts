export * from './app.ts';
export * from './config.ts';
export * from './domain/evidence/index.ts';
export * from './domain/policy/compilePolicy.ts';
export * from './domain/policy/rowFilter.ts';
export * from './domain/sharing/openGrant.ts';
