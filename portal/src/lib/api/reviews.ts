import type { paths } from '@gx/schemas/generated/catalog';
import { catalogClient } from './clients.ts';
import { outcome, ServiceUnavailableError, type Outcome } from './errors.ts';

export type ReviewPage =
  paths['/v1/resources/{code}/reviews']['get']['responses']['200']['content']['application/json'];
export type Review = ReviewPage['items'][number];

const auth = (accessToken?: string) =>
  accessToken ? { authorization: `Bearer ${accessToken}` } : undefined;

/** The average, the count, one page of reviews newest first, and the signed-in caller's own. */
export async function listReviews(
  code: string,
  page: number,
  pageSize: number,
  accessToken?: string,
): Promise<Outcome<ReviewPage>> {
  return outcome(
    'catalog',
    await catalogClient().GET('/v1/resources/{code}/reviews', {
      params: { path: { code }, query: { page, pageSize } },
      headers: auth(accessToken),
    }),
  );
}

/** Saves the caller's review; `not-found` also covers a 400 (the catalog refused the input). */
export async function saveReview(
  accessToken: string,
  code: string,
  body: { rating: number; comment?: string },
): Promise<Outcome<Review>> {
  return outcome(
    'catalog',
    await catalogClient().PUT('/v1/resources/{code}/reviews/mine', {
      params: { path: { code } },
      body,
      headers: auth(accessToken),
    }),
  );
}

/** Deletes the caller's review; true when there was one. */
export async function deleteReview(accessToken: string, code: string): Promise<boolean> {
  const { response } = await catalogClient().DELETE('/v1/resources/{code}/reviews/mine', {
    params: { path: { code } },
    headers: auth(accessToken),
  });
  if (response.status >= 500)
    throw new ServiceUnavailableError('catalog', new Error(`HTTP ${response.status}`));
  return response.status === 204;
}
