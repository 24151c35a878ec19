import type { paths } from '@gx/schemas/generated/exchange-api';
import { exchangeClient } from './clients.ts';
import { outcome, type Outcome } from './errors.ts';
import type { ApiKeyWithSecret } from './apiKeys.ts';

export type OpenApplication =
  paths['/v1/open-applications']['get']['responses']['200']['content']['application/json']['items'][number];
export type OpenApplicationBody = NonNullable<
  paths['/v1/open-applications']['post']['requestBody']
>['content']['application/json'];

const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

/**
 * The developer's own 开放申请 (at most 200), newest first, with the developer's bearer token;
 * only those in `status` when given.
 */
export async function listMyApplications(
  accessToken: string,
  status?: OpenApplication['status'],
): Promise<Outcome<OpenApplication[]>> {
  const answer = outcome(
    'exchange-api',
    await exchangeClient().GET('/v1/open-applications', {
      headers: bearer(accessToken),
      ...(status ? { params: { query: { status } } } : {}),
    }),
  );
  return answer.kind === 'ok' ? { kind: 'ok', data: answer.data.items } : answer;
}

/** `not-found` also covers a 400 (the exchange refused the input); `conflict`: one is live. */
export async function applyForOpenData(
  accessToken: string,
  body: OpenApplicationBody,
): Promise<Outcome<OpenApplication>> {
  return outcome(
    'exchange-api',
    await exchangeClient().POST('/v1/open-applications', { body, headers: bearer(accessToken) }),
  );
}

/** The approved application's key, whole, this once; `conflict` when already claimed. */
export async function claimApplicationKey(
  accessToken: string,
  id: string,
): Promise<Outcome<ApiKeyWithSecret>> {
  return outcome(
    'exchange-api',
    await exchangeClient().POST('/v1/open-applications/{id}/key', {
      params: { path: { id } },
      headers: bearer(accessToken),
    }),
  );
}

/** The applicant withdraws an application still waiting; `conflict` when it no longer waits. */
export async function cancelApplication(
  accessToken: string,
  id: string,
): Promise<Outcome<OpenApplication>> {
  return outcome(
    'exchange-api',
    await exchangeClient().POST('/v1/open-applications/{id}/cancel', {
      params: { path: { id } },
      headers: bearer(accessToken),
    }),
  );
}

export interface Purpose {
  code: string;
  name: string;
}

/**
 * The platform's purpose codes (public): the sharing purposes of 共享申请, or with `open-data` the
 * 开放数据用途 a 开放申请 picks as 用途类别; none when the exchange does not answer.
 */
export async function listPurposes(use: 'sharing' | 'open-data' = 'sharing'): Promise<Purpose[]> {
  try {
    const { data } = await exchangeClient().GET('/v1/purposes', {
      params: { query: { for: use } },
    });
    return data?.items ?? [];
  } catch {
    return [];
  }
}
