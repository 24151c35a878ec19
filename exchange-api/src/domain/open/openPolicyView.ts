import { defaultOpenPolicy, type OpenPolicy } from './openPolicy.ts';
import type { OpenResourceRow } from './openResource.ts';

/** An open policy as the steward's API shows it. */
export function openPolicyView(row: OpenResourceRow) {
  return {
    resourceCode: row.code,
    openType: row.openType,
    policy: (row.policy as OpenPolicy | null) ?? defaultOpenPolicy(row.items),
    isDefault: row.policy === null,
    updatedBy: row.policyUpdatedBy,
    updatedAt: row.policyUpdatedAt?.toISOString() ?? null,
  };
}
