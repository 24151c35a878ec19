import type { paths as CatalogPaths } from '@gx/schemas/generated/catalog';
import { catalogClient, exchangeClient } from '../../api/clients.ts';
import {
  answer,
  auth,
  type Answer,
  type Grant,
  type RequestStatus,
  type SharingRequest,
} from '../approver/api.ts';
import { PICKER_FETCH_SIZE, pickerHits } from './pickerHits.ts';
import type { SharingRequestBody } from './requestForm.ts';

/**
 * The consumer side of sharing (a steward asking other departments for their data), always with
 * the signed-in steward's own token: the exchange decides who may ask for what.
 */
export type SearchHit =
  CatalogPaths['/v1/search']['get']['responses']['200']['content']['application/json']['items'][number];

/** Requests my department made, optionally of one status. */
export async function listMyRequests(
  token: string,
  status: RequestStatus | undefined,
): Promise<Answer<SharingRequest[]>> {
  const got = answer(
    await exchangeClient().GET('/v1/sharing-requests', {
      params: { query: { side: 'consumer', ...(status ? { status } : {}) } },
      headers: auth(token),
    }),
  );
  return got.ok ? { ok: true, data: got.data.items } : got;
}

/** Grants my department holds. */
export async function listHeldGrants(token: string): Promise<Answer<Grant[]>> {
  const got = answer(
    await exchangeClient().GET('/v1/grants', {
      params: { query: { side: 'consumer' } },
      headers: auth(token),
    }),
  );
  return got.ok ? { ok: true, data: got.data.items } : got;
}

export async function getGrant(token: string, id: string): Promise<Answer<Grant>> {
  return answer(
    await exchangeClient().GET('/v1/grants/{id}', {
      params: { path: { id } },
      headers: auth(token),
    }),
  );
}

export async function submitRequest(
  token: string,
  body: SharingRequestBody,
): Promise<Answer<SharingRequest>> {
  return answer(
    await exchangeClient().POST('/v1/sharing-requests', { body, headers: auth(token) }),
  );
}

/** 撤回: a request not yet decided (the exchange answers 409 once it is). */
export async function withdrawRequest(token: string, id: string): Promise<Answer<SharingRequest>> {
  return answer(
    await exchangeClient().POST('/v1/sharing-requests/{id}/withdraw', {
      params: { path: { id } },
      headers: auth(token),
    }),
  );
}

/** At most this many matches are offered; a longer list means the words should be narrowed. */
export const SEARCH_PAGE_SIZE = 20;

/**
 * Other departments' published entries that can be asked for (无条件共享 and 有条件共享), as
 * the steward sees the directory (department staff see every published entry, not only open
 * data), counted without the steward's own department's (pickerHits.ts).
 */
export async function searchShareable(
  token: string,
  q: string,
  ownDepartment: string | undefined,
): Promise<Answer<{ total: number; items: SearchHit[] }>> {
  const got = answer(
    await catalogClient().GET('/v1/search', {
      params: {
        query: {
          ...(q ? { q } : {}),
          sharingType: ['conditional', 'unconditional'],
          pageSize: PICKER_FETCH_SIZE,
          // every department's bucket, so that the own department's count is there
          facetSize: 1000,
        },
      },
      headers: auth(token),
    }),
  );
  return got.ok ? { ok: true, data: pickerHits(got.data, ownDepartment, SEARCH_PAGE_SIZE) } : got;
}
