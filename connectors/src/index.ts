export * from './app.ts';
export * from './config.ts';
export * from './log/index.ts';
export * from './worker.ts';
export * from './runtime/ConnectWorker.ts';
export * from './runtime/streamNames.ts';
export * from './runtime/plugin.ts';
export * from './runtime/secrets.ts';
export { PLUGINS, findPlugin } from './plugins/index.ts';
