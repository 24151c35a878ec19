import type { paths } from '@gx/schemas/generated/catalog';
import { catalogClient } from './clients.ts';
import { outcome, required, type Outcome } from './errors.ts';

type ListAnswer =
  paths['/v1/data-requests']['get']['responses']['200']['content']['application/json'];
export type DataRequest = ListAnswer['items'][number];
export type DataRequestPage = ListAnswer;
export type DataRequestBody = NonNullable<
  paths['/v1/data-requests']['post']['requestBody']
>['content']['application/json'];

/** the visitor's token when signed in: the requester sees their own contact */
const auth = (accessToken?: string) =>
  accessToken ? { authorization: `Bearer ${accessToken}` } : undefined;

/** One page of the public list, newest first. */
export async function listDataRequests(page: number, pageSize: number): Promise<DataRequestPage> {
  return required(
    'catalog',
    await catalogClient().GET('/v1/data-requests', { params: { query: { page, pageSize } } }),
  );
}

export async function getDataRequest(
  id: string,
  accessToken?: string,
): Promise<Outcome<DataRequest>> {
  return outcome(
    'catalog',
    await catalogClient().GET('/v1/data-requests/{id}', {
      params: { path: { id } },
      headers: auth(accessToken),
    }),
  );
}

/** `not-found` also covers a 400 (the catalog refused the input). */
export async function createDataRequest(
  accessToken: string,
  body: DataRequestBody,
): Promise<Outcome<DataRequest>> {
  return outcome(
    'catalog',
    await catalogClient().POST('/v1/data-requests', { body, headers: auth(accessToken) }),
  );
}
