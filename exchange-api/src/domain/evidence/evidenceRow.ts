import type { EvidenceEntry, EvidenceOperation, EvidenceOutcome } from './evidenceEntry.ts';

/**
 * `SELECT` list of an entry, as `evidenceFromRow` reads it (bigints as text: no rounding). Its
 * `seq` is text: order by `evidence_entries.seq`, not by the output column.
 */
export const EVIDENCE_COLUMNS = `seq::text AS seq, id, prev_hash, hash, recorded_at, actor, actor_kind,
  department_code, grant_id, purpose, resource_code, operation, outcome,
  record_count::text AS record_count, request_hash, delivered_digest, details, key_id`;

export interface EvidenceRow {
  seq: string;
  id: string;
  prev_hash: string;
  hash: string;
  recorded_at: Date;
  actor: string;
  actor_kind: string;
  department_code: string | null;
  grant_id: string | null;
  purpose: string | null;
  resource_code: string | null;
  operation: string;
  outcome: string;
  record_count: string;
  request_hash: string;
  delivered_digest: string | null;
  details: Record<string, unknown>;
  key_id: string;
}

export function evidenceFromRow(row: EvidenceRow): EvidenceEntry {
  return {
    seq: row.seq,
    id: row.id,
    prevHash: row.prev_hash,
    hash: row.hash,
    time: row.recorded_at.toISOString(),
    actor: row.actor,
    actorKind: row.actor_kind,
    department: row.department_code,
    grantId: row.grant_id,
    purpose: row.purpose,
    resourceCode: row.resource_code,
    operation: row.operation as EvidenceOperation,
    outcome: row.outcome as EvidenceOutcome,
    recordCount: Number(row.record_count),
    requestHash: row.request_hash,
    deliveredDigest: row.delivered_digest,
    details: row.details,
    keyId: row.key_id,
  };
}
