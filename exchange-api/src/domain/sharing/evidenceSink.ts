/**
 * What the sharing domain records as evidence (存证). The evidence module's EvidenceLog
 * implements it; keeping the dependency this narrow lets every use-case state exactly what it
 * records.
 */
export interface EvidenceSink {
  append(input: {
    actor: string;
    actorKind: string;
    department?: string | null;
    grantId?: string | null;
    purpose?: string | null;
    resourceCode?: string | null;
    operation:
      | 'request'
      | 'grant-change'
      | 'refusal'
      | 'query'
      | 'get'
      | 'verify'
      | 'export'
      | 'ingest'
      | 'subscription-delivery'
      | 'open-data';
    recordCount: number;
    requestHash: string;
    deliveredDigest?: string | null;
    outcome?: 'ok' | 'refused';
    details?: Record<string, unknown>;
  }): Promise<unknown>;
}
