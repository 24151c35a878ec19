import type { EvidenceInput } from '../evidence/evidenceEntry.ts';

/**
 * What the sharing and records domains record as evidence (存证). The evidence module's
 * EvidenceLog implements it; depending on this one method rather than on the log keeps the
 * use-cases testable with any sink.
 */
export interface EvidenceSink {
  append(input: EvidenceInput): Promise<unknown>;
}
