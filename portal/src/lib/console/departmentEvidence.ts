import type { paths } from '@gx/schemas/generated/exchange-api';
import { exchangeClient } from '../api/clients.ts';
import { answer, auth, type Answer } from './approver/api.ts';

type Query = NonNullable<paths['/v1/evidence/department']['get']['parameters']['query']>;
export type EvidenceSide = NonNullable<Query['side']>;
export type EvidenceOperation = NonNullable<Query['operation']>;
export type EvidencePage =
  paths['/v1/evidence/department']['get']['responses']['200']['content']['application/json'];

export const EVIDENCE_SIDES: readonly EvidenceSide[] = ['provided', 'acted'];
export const EVIDENCE_OPERATIONS: readonly EvidenceOperation[] = [
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
  'objection',
  'delete',
];
/** rows on one page of 交换记录 */
export const EVIDENCE_PAGE_SIZE = 50;

interface PageQuery {
  operation?: EvidenceOperation;
  cursor?: string;
}

const pageQuery = (query: PageQuery) => ({
  limit: EVIDENCE_PAGE_SIZE,
  ...(query.operation ? { operation: query.operation } : {}),
  ...(query.cursor ? { cursor: query.cursor } : {}),
});

/** One page of my department's part of the evidence log, with the signed-in person's token. */
export async function listDepartmentEvidence(
  token: string,
  query: PageQuery & {
    side: EvidenceSide;
    /** another department's (auditors and the platform's admin); default the caller's own */
    department?: string;
  },
): Promise<Answer<EvidencePage>> {
  return answer(
    await exchangeClient().GET('/v1/evidence/department', {
      params: {
        query: {
          side: query.side,
          ...pageQuery(query),
          ...(query.department ? { department: query.department } : {}),
        },
      },
      headers: auth(token),
    }),
  );
}

/**
 * One page of the whole evidence log, every department's entries (auditors and the platform's
 * admin: `evidence.read`), with the signed-in person's token.
 */
export async function listAllEvidence(
  token: string,
  query: PageQuery,
): Promise<Answer<EvidencePage>> {
  return answer(
    await exchangeClient().GET('/v1/evidence', {
      params: { query: pageQuery(query) },
      headers: auth(token),
    }),
  );
}
