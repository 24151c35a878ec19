import type { paths } from '@gx/schemas/generated/exchange-api';
import { exchangeClient } from './clients.ts';
import { outcome, required, ServiceUnavailableError, type Outcome } from './errors.ts';

export type ApiKey =
  paths['/v1/api-keys']['get']['responses']['200']['content']['application/json']['items'][number];
export type ApiKeyWithSecret =
  paths['/v1/api-keys']['post']['responses']['201']['content']['application/json'];
export type UsageDay =
  paths['/v1/api-keys/{id}/usage']['get']['responses']['200']['content']['application/json']['items'][number];
export type CreateApiKeyBody = NonNullable<
  paths['/v1/api-keys']['post']['requestBody']
>['content']['application/json'];

/** how many days of usage the key list shows */
export const USAGE_DAYS = 14;

const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

/**
 * The developer's own keys, through the exchange with the developer's bearer token (the portal
 * has no privileges of its own). `refused` means the token was not accepted: the session ended.
 */
export async function listMyApiKeys(accessToken: string): Promise<Outcome<ApiKey[]>> {
  const answer = outcome(
    'exchange-api',
    await exchangeClient().GET('/v1/api-keys', { headers: bearer(accessToken) }),
  );
  return answer.kind === 'ok' ? { kind: 'ok', data: answer.data.items } : answer;
}

export async function apiKeyUsage(accessToken: string, id: string): Promise<UsageDay[]> {
  return required(
    'exchange-api',
    await exchangeClient().GET('/v1/api-keys/{id}/usage', {
      params: { path: { id }, query: { days: USAGE_DAYS } },
      headers: bearer(accessToken),
    }),
  ).items;
}

export async function createApiKey(
  accessToken: string,
  body: CreateApiKeyBody,
): Promise<Outcome<ApiKeyWithSecret>> {
  return outcome(
    'exchange-api',
    await exchangeClient().POST('/v1/api-keys', { body, headers: bearer(accessToken) }),
  );
}

export async function rotateApiKey(
  accessToken: string,
  id: string,
): Promise<Outcome<ApiKeyWithSecret>> {
  return outcome(
    'exchange-api',
    await exchangeClient().POST('/v1/api-keys/{id}/rotate', {
      params: { path: { id } },
      headers: bearer(accessToken),
    }),
  );
}

/** 'ok', 'not-found' (not mine, or no such key) or 'refused' (the session ended). */
export async function revokeApiKey(
  accessToken: string,
  id: string,
): Promise<'ok' | 'not-found' | 'refused'> {
  const { response } = await exchangeClient().DELETE('/v1/api-keys/{id}', {
    params: { path: { id } },
    headers: bearer(accessToken),
  });
  if (response.status === 204) return 'ok';
  if (response.status === 404 || response.status === 400) return 'not-found';
  if (response.status === 401 || response.status === 403) return 'refused';
  throw new ServiceUnavailableError('exchange-api', new Error(`HTTP ${response.status}`));
}
