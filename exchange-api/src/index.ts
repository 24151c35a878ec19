export * from './app.ts';
export * from './config.ts';
export * from './domain/evidence/index.ts';
export * from './domain/policy/compilePolicy.ts';
export * from './domain/policy/rowFilter.ts';
export * from './domain/sharing/openGrant.ts';
export {
  deleteHostedRecords,
  pgQuery,
  type DeletionGrant,
  type DeletionQuery,
} from './domain/records/deleteHostedRecords.ts';
export { queueInitialLoad } from './domain/records/queueInitialLoad.ts';
export {
  leavingCandidates,
  noteLeftViews,
  recordsLeavingViews,
  type LeftViews,
} from './domain/records/recordsLeavingViews.ts';
export {
  horizonOf,
  purgeRecordDeletions,
  RecordDeletionRetention,
  type PurgeRecordDeletionsResult,
} from './domain/records/recordDeletionRetention.ts';
export { effectiveGrantStatus, GRANT_STATUS_TEXT } from './domain/sharing/views.ts';
export {
  createSharingRequest,
  type CreateSharingRequestOptions,
  type SharingRequestInput,
} from './domain/sharing/createSharingRequest.ts';
export {
  approveSharingRequest,
  type ApprovalTerms,
} from './domain/sharing/decideSharingRequest.ts';
