import { createHash } from 'node:crypto';
import { canonicalJson, sha256Hex } from '@gx/platform';

export interface RecordDigest {
  /** add one delivered record (as delivered: after projection and masks) */
  update(record: unknown): void;
  /** SHA-256 hex of everything added; further updates are refused */
  digest(): string;
  /** records added so far */
  readonly count: number;
}

/**
 * Streaming digest of a delivery: SHA-256 over the records' canonical JSON, one per line
 * (`canonicalJson(record) + "\n"`), in delivery order. It does not depend on the wire format
 * (JSON, JSONL, CSV, XLSX), so a consumer can recompute it from the records it received, and
 * an export can feed it record by record without buffering. No records: SHA-256 of "".
 */
export function digestRecords(): RecordDigest {
  const hash = createHash('sha256');
  let count = 0;
  let digest: string | undefined;
  return {
    update(record) {
      if (digest !== undefined) throw new Error('digestRecords: digest() was already taken');
      hash.update(canonicalJson(record ?? null), 'utf8');
      hash.update('\n');
      count += 1;
    },
    digest() {
      digest ??= hash.digest('hex');
      return digest;
    },
    get count() {
      return count;
    },
  };
}

/** `digestRecords` over a whole list at once (one hash of the same lines, no Hash object). */
export function digestOf(records: Iterable<unknown>): string {
  let lines = '';
  for (const record of records) lines += `${canonicalJson(record ?? null)}\n`;
  return sha256Hex(lines);
}
