import type { paths } from '@gx/schemas/generated/exchange-api';
import { exchangeClient } from './clients.ts';
import { outcome, type Outcome } from './errors.ts';

export type Objection =
  paths['/v1/objections']['get']['responses']['200']['content']['application/json']['items'][number];
export type ObjectionBody = NonNullable<
  paths['/v1/objections']['post']['requestBody']
>['content']['application/json'];

const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

/**
 * The developer's own 纠错 reports (data objections they raised), with the provider's answer.
 * One page of the newest 100: a developer who reported more reads the rest through the API.
 */
export async function listMyObjections(accessToken: string): Promise<Outcome<Objection[]>> {
  const answer = outcome(
    'exchange-api',
    await exchangeClient().GET('/v1/objections', {
      params: { query: { side: 'raiser', pageSize: 100 } },
      headers: bearer(accessToken),
    }),
  );
  return answer.kind === 'ok' ? { kind: 'ok', data: answer.data.items } : answer;
}

/** Raises a data objection; `not-found` also covers a 400 (the exchange refused the input). */
export async function raiseObjection(
  accessToken: string,
  body: ObjectionBody,
): Promise<Outcome<Objection>> {
  return outcome(
    'exchange-api',
    await exchangeClient().POST('/v1/objections', { body, headers: bearer(accessToken) }),
  );
}
