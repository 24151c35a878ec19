import type { paths as CatalogPaths } from '@gx/schemas/generated/catalog';
import type { paths as ExchangePaths } from '@gx/schemas/generated/exchange-api';
import { catalogClient, exchangeClient } from '../../api/clients.ts';
import type { ApprovalTerms } from './policyForm.ts';

/**
 * The approver's calls to the catalog and the exchange, always with the signed-in person's own
 * token: the portal holds no privilege, the APIs decide. Each answer is the data or the API's
 * status and problem (for `problemText`), never an exception for a refusal.
 */
export type Answer<T> = { ok: true; data: T } | { ok: false; status: number; problem: unknown };

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

export function answer<T>(result: { data?: T; error?: unknown; response: Response }): Answer<T> {
  if (result.data !== undefined && result.response.ok) return { ok: true, data: result.data };
  return { ok: false, status: result.response.status, problem: result.error };
}

type Json<P, M extends string, S extends number = 200> = P extends {
  [K in M]: { responses: { [C in S]: { content: { 'application/json': infer T } } } };
}
  ? T
  : never;

export type Resource = Json<CatalogPaths['/v1/resources/{code}'], 'get'>;
export type ResourceSchema = Json<CatalogPaths['/v1/resources/{code}/schema'], 'get'>;
/** One change of an entry's history, with its field-level diff. */
export type HistoryEntry = Json<
  CatalogPaths['/v1/resources/{code}/history'],
  'get'
>['items'][number];
export type SharingRequest = Json<ExchangePaths['/v1/sharing-requests/{id}'], 'get'>;
export type Grant = Json<ExchangePaths['/v1/grants/{id}'], 'get'>;
export type OpenApplication = Json<ExchangePaths['/v1/open-applications/{id}'], 'get'>;
export type PolicyPreview = Json<ExchangePaths['/v1/policies/preview'], 'post'>;
export type RequestStatus = NonNullable<
  NonNullable<ExchangePaths['/v1/sharing-requests']['get']['parameters']['query']>['status']
>;
// the specs leave masks and rowFilter as open objects (the policy JSON Schema, checked by the
// exchange, defines them), which the generated types cannot express
type ApproveBody = NonNullable<
  ExchangePaths['/v1/sharing-requests/{id}/approve']['post']['requestBody']
>['content']['application/json'];
type PreviewBody = NonNullable<
  ExchangePaths['/v1/policies/preview']['post']['requestBody']
>['content']['application/json'];
export type OpenApplicationStatus = OpenApplication['status'];
export type GrantChange = 'suspend' | 'resume' | 'revoke';

// ------------------------------------------------------------------------- 目录审核 (catalog)

/** Entries 审核中 the approver may see (a data authority's approver sees those under review). */
export async function listEntriesInReview(token: string): Promise<Answer<Resource[]>> {
  const got = answer(
    await catalogClient().GET('/v1/resources', {
      params: { query: { status: 'in_review', pageSize: 100 } },
      headers: auth(token),
    }),
  );
  return got.ok ? { ok: true, data: got.data.items } : got;
}

export async function getEntry(token: string, code: string): Promise<Answer<Resource>> {
  return answer(
    await catalogClient().GET('/v1/resources/{code}', {
      params: { path: { code } },
      headers: auth(token),
    }),
  );
}

/**
 * The entries of several codes at once, by code: those the viewer may read. A code the catalog
 * does not show, or a catalog that does not answer, is simply absent (callers let the code stand).
 */
export async function entriesByCode(
  token: string,
  codes: readonly string[],
): Promise<Map<string, Resource>> {
  const found = await Promise.all(
    [...new Set(codes)].map((code) => getEntry(token, code).catch(() => undefined)),
  );
  const entries = new Map<string, Resource>();
  for (const entry of found) if (entry?.ok) entries.set(entry.data.code, entry.data);
  return entries;
}

export async function getEntrySchema(token: string, code: string): Promise<Answer<ResourceSchema>> {
  return answer(
    await catalogClient().GET('/v1/resources/{code}/schema', {
      params: { path: { code } },
      headers: auth(token),
    }),
  );
}

/** The entry's history, oldest first: the steward's notes and the earlier decisions. */
export async function getEntryHistory(
  token: string,
  code: string,
): Promise<Answer<HistoryEntry[]>> {
  const got = answer(
    await catalogClient().GET('/v1/resources/{code}/history', {
      params: { path: { code } },
      headers: auth(token),
    }),
  );
  return got.ok ? { ok: true, data: got.data.items } : got;
}

export async function decideEntry(
  token: string,
  code: string,
  decision: 'approve' | 'reject',
  comment: string,
): Promise<Answer<Resource>> {
  const options = {
    params: { path: { code } },
    body: comment ? { comment } : {},
    headers: auth(token),
  };
  return answer(
    decision === 'approve'
      ? await catalogClient().POST('/v1/resources/{code}/approve', options)
      : await catalogClient().POST('/v1/resources/{code}/reject', options),
  );
}

// ------------------------------------------------------------------ 共享申请 (exchange)

/** Requests addressed to the approver's department, optionally of one status. */
export async function listInbox(
  token: string,
  status: RequestStatus | undefined,
): Promise<Answer<SharingRequest[]>> {
  const got = answer(
    await exchangeClient().GET('/v1/sharing-requests', {
      params: { query: { side: 'provider', ...(status ? { status } : {}) } },
      headers: auth(token),
    }),
  );
  return got.ok ? { ok: true, data: got.data.items } : got;
}

export async function getSharingRequest(
  token: string,
  id: string,
): Promise<Answer<SharingRequest>> {
  return answer(
    await exchangeClient().GET('/v1/sharing-requests/{id}', {
      params: { path: { id } },
      headers: auth(token),
    }),
  );
}

export async function approveRequest(
  token: string,
  id: string,
  terms: ApprovalTerms,
): Promise<Answer<SharingRequest>> {
  return answer(
    await exchangeClient().POST('/v1/sharing-requests/{id}/approve', {
      params: { path: { id } },
      body: terms as unknown as ApproveBody,
      headers: auth(token),
    }),
  );
}

export async function rejectRequest(
  token: string,
  id: string,
  reason: string,
): Promise<Answer<SharingRequest>> {
  return answer(
    await exchangeClient().POST('/v1/sharing-requests/{id}/reject', {
      params: { path: { id } },
      body: { reason },
      headers: auth(token),
    }),
  );
}

/** 脱敏预览: the exchange shapes a sample record with the draft policy, as delivery would. */
export async function previewPolicy(
  token: string,
  resourceCode: string,
  policy: Pick<ApprovalTerms, 'fields' | 'masks' | 'rowFilter'>,
): Promise<Answer<PolicyPreview>> {
  return answer(
    await exchangeClient().POST('/v1/policies/preview', {
      body: { resourceCode, policy } as unknown as PreviewBody,
      headers: auth(token),
    }),
  );
}

// ------------------------------------------------------------------ 共享授权 (exchange)

export async function listGivenGrants(token: string): Promise<Answer<Grant[]>> {
  const got = answer(
    await exchangeClient().GET('/v1/grants', {
      params: { query: { side: 'provider' } },
      headers: auth(token),
    }),
  );
  return got.ok ? { ok: true, data: got.data.items } : got;
}

export async function changeGrant(
  token: string,
  id: string,
  change: GrantChange,
  reason: string,
): Promise<Answer<Grant>> {
  return answer(
    await exchangeClient().POST('/v1/grants/{id}/{change}', {
      params: { path: { id, change } },
      body: reason ? { reason } : {},
      headers: auth(token),
    }),
  );
}

// ------------------------------------------------------------------ 开放申请 (exchange)

export async function listOpenInbox(
  token: string,
  status: OpenApplicationStatus | undefined,
): Promise<Answer<OpenApplication[]>> {
  const got = answer(
    await exchangeClient().GET('/v1/open-applications', {
      params: { query: { side: 'provider', ...(status ? { status } : {}) } },
      headers: auth(token),
    }),
  );
  return got.ok ? { ok: true, data: got.data.items } : got;
}

export async function approveOpenApplication(
  token: string,
  id: string,
  terms: { actions: ('read' | 'download')[]; dailyQuota?: number; validUntil?: string },
): Promise<Answer<OpenApplication>> {
  return answer(
    await exchangeClient().POST('/v1/open-applications/{id}/approve', {
      params: { path: { id } },
      body: terms as unknown as ApproveBody,
      headers: auth(token),
    }),
  );
}

export async function rejectOpenApplication(
  token: string,
  id: string,
  reason: string,
): Promise<Answer<OpenApplication>> {
  return answer(
    await exchangeClient().POST('/v1/open-applications/{id}/reject', {
      params: { path: { id } },
      body: { reason },
      headers: auth(token),
    }),
  );
}
