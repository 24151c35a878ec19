export * from './RecordLog.ts';
export * from './PostgresRecordLog.ts';
export * from './KafkaRecordLog.ts';
export * from './partitionForKey.ts';
export * from './consumerLag.ts';
export * from './recordLogConfig.ts';
export { nextOffsets } from './recordEncoding.ts';
