export * from './app.ts';
export * from './config.ts';
export * from './domain/resources/createResource.ts';
export * from './domain/resources/submitResource.ts';
export * from './domain/resources/approveResource.ts';
export * from './domain/resources/rejectResource.ts';
export * from './domain/resources/retireResource.ts';
