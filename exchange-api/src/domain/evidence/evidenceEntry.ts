import { canonicalJson, sha256Hex } from '@gx/platform';

/** What an evidence entry records. */
export const EVIDENCE_OPERATIONS = [
  'query',
  'get',
  'verify',
  'export',
  'subscription-delivery',
  'ingest',
  'request',
  'grant-change',
  'refusal',
  'open-data',
  /** a step of a data objection (数据异议): raised, answered, corrected, closed… */
  'objection',
  /** a provider deleted stored records (ADR 0012): the keys as a digest, never the data */
  'delete',
] as const;
export type EvidenceOperation = (typeof EVIDENCE_OPERATIONS)[number];

export type EvidenceOutcome = 'ok' | 'refused';

/** Response header that carries a delivery's signed receipt (compact JWS). */
export const EVIDENCE_RECEIPT_HEADER = 'Evidence-Receipt';

/** `prev_hash` of the first entry: the chain starts here. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the exchange tells the log about one act. */
export interface EvidenceInput {
  /** `describeActor(actor)`: never a credential */
  actor: string;
  /** `actor.kind` */
  actorKind: string;
  /** acting department code */
  department?: string | null;
  grantId?: string | null;
  purpose?: string | null;
  resourceCode?: string | null;
  operation: EvidenceOperation;
  recordCount: number;
  /** SHA-256 hex of the canonical request (`requestHash`) */
  requestHash: string;
  /** SHA-256 hex over what was delivered (`digestRecords`) */
  deliveredDigest?: string | null;
  /** default `ok`; `refused` for `refusal` entries */
  outcome?: EvidenceOutcome;
  /** small (≤ 4 KB as JSON): a refusal reason, the kind of grant change… */
  details?: Record<string, unknown>;
}

/** The receipt a caller gets for its entry (数据回执). */
export interface EvidenceReceipt {
  entryId: string;
  /** position in the chain (a decimal string: the chain outgrows 2^53 in principle) */
  seq: string;
  hash: string;
  /** compact JWS (EdDSA, Ed25519) over `receiptPayload(entry)` */
  jws: string;
}

/** One entry as stored and as hashed. */
export interface EvidenceEntry {
  seq: string;
  id: string;
  prevHash: string;
  hash: string;
  /** ISO 8601 with milliseconds, UTC */
  time: string;
  actor: string;
  actorKind: string;
  department: string | null;
  grantId: string | null;
  purpose: string | null;
  resourceCode: string | null;
  operation: EvidenceOperation;
  outcome: EvidenceOutcome;
  recordCount: number;
  requestHash: string;
  deliveredDigest: string | null;
  details: Record<string, unknown>;
  /** the receipt key that signs this entry's receipt */
  keyId: string;
}

export { sha256Hex };

/**
 * SHA-256 over the canonical JSON of every field of the entry except `hash` itself — prev_hash,
 * seq and time included — so that changing any stored value, or re-linking the entry, changes
 * it. Absent values are explicit nulls so that the stored row hashes exactly as it was written.
 */
export function evidenceHash(entry: Omit<EvidenceEntry, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      seq: entry.seq,
      id: entry.id,
      prevHash: entry.prevHash,
      time: entry.time,
      actor: entry.actor,
      actorKind: entry.actorKind,
      department: entry.department,
      grantId: entry.grantId,
      purpose: entry.purpose,
      resourceCode: entry.resourceCode,
      operation: entry.operation,
      outcome: entry.outcome,
      recordCount: entry.recordCount,
      requestHash: entry.requestHash,
      deliveredDigest: entry.deliveredDigest,
      details: entry.details,
      keyId: entry.keyId,
    }),
  );
}

/** What a receipt asserts: enough to find the entry in the chain and to match the delivery. */
export interface ReceiptPayload {
  entryId: string;
  seq: string;
  hash: string;
  prevHash: string;
  time: string;
  operation: EvidenceOperation;
  outcome: EvidenceOutcome;
  department: string | null;
  resourceCode: string | null;
  grantId: string | null;
  recordCount: number;
  requestHash: string;
  deliveredDigest: string | null;
}

export function receiptPayload(entry: EvidenceEntry): ReceiptPayload {
  return {
    entryId: entry.id,
    seq: entry.seq,
    hash: entry.hash,
    prevHash: entry.prevHash,
    time: entry.time,
    operation: entry.operation,
    outcome: entry.outcome,
    department: entry.department,
    resourceCode: entry.resourceCode,
    grantId: entry.grantId,
    recordCount: entry.recordCount,
    requestHash: entry.requestHash,
    deliveredDigest: entry.deliveredDigest,
  };
}
