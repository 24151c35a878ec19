import type { paths as CatalogPaths } from '@gx/schemas/generated/catalog';
import type { paths as ExchangePaths } from '@gx/schemas/generated/exchange-api';
import { catalogClient, exchangeClient } from '../../api/clients.ts';
import { bearer } from '../staff.ts';
import { answerOf, type Answer } from './answer.ts';
import type { CorrectedValues } from './correctionForm.ts';

export type Objection =
  ExchangePaths['/v1/objections']['get']['responses']['200']['content']['application/json']['items'][number];
export type ObjectionBody = NonNullable<
  ExchangePaths['/v1/objections']['post']['requestBody']
>['content']['application/json'];
export type DataRequest =
  CatalogPaths['/v1/data-requests']['get']['responses']['200']['content']['application/json']['items'][number];

export const OBJECTION_ID =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|YY[0-9]{8,20})$/;

/** The provider's inbox: objections against my department's data, earliest due first. */
export async function listProviderObjections(token: string): Promise<Answer<Objection[]>> {
  const answer = answerOf(
    'exchange-api',
    await exchangeClient().GET('/v1/objections', {
      params: { query: { side: 'provider', pageSize: 100 } },
      headers: bearer({ accessToken: token }),
    }),
  );
  return answer.ok ? { ok: true, data: answer.data.items } : answer;
}

export async function answerObjection(
  token: string,
  id: string,
  decision: 'accept' | 'reject',
  reply: string,
): Promise<Answer<unknown>> {
  return answerOf(
    'exchange-api',
    await exchangeClient().POST('/v1/objections/{id}/answer', {
      params: { path: { id } },
      body: { decision, ...(reply ? { reply } : {}) },
      headers: bearer({ accessToken: token }),
    }),
  );
}

export async function correctObjection(
  token: string,
  id: string,
  comment: string,
): Promise<Answer<unknown>> {
  return answerOf(
    'exchange-api',
    await exchangeClient().POST('/v1/objections/{id}/correct', {
      params: { path: { id } },
      body: comment ? { comment } : {},
      headers: bearer({ accessToken: token }),
    }),
  );
}

export type DisputedRecord =
  ExchangePaths['/v1/objections/{id}/record']['get']['responses']['200']['content']['application/json'];

/** The fields of the record an objection disputes, with their present values (更正记录). */
export async function getDisputedRecord(
  token: string,
  id: string,
): Promise<Answer<DisputedRecord>> {
  return answerOf(
    'exchange-api',
    await exchangeClient().GET('/v1/objections/{id}/record', {
      params: { path: { id } },
      headers: bearer({ accessToken: token }),
    }),
  );
}

/** 更正记录: the provider's steward writes the corrected values; the objection becomes 已更正. */
export async function correctObjectionRecord(
  token: string,
  id: string,
  values: CorrectedValues,
  note: string,
): Promise<Answer<unknown>> {
  return answerOf(
    'exchange-api',
    await exchangeClient().POST('/v1/objections/{id}/record', {
      params: { path: { id } },
      body: { values, ...(note ? { comment: note } : {}) },
      headers: bearer({ accessToken: token }),
    }),
  );
}

// ------------------------------------------------------- the raising department's side

/** Objections my department raised, newest first. */
export async function listRaisedObjections(token: string): Promise<Answer<Objection[]>> {
  const answer = answerOf(
    'exchange-api',
    await exchangeClient().GET('/v1/objections', {
      params: { query: { side: 'raiser', pageSize: 100 } },
      headers: bearer({ accessToken: token }),
    }),
  );
  return answer.ok ? { ok: true, data: answer.data.items } : answer;
}

export async function raiseObjection(
  token: string,
  body: ObjectionBody,
): Promise<Answer<Objection>> {
  return answerOf(
    'exchange-api',
    await exchangeClient().POST('/v1/objections', {
      body,
      headers: bearer({ accessToken: token }),
    }),
  );
}

/** The raiser's steps: 撤回, 确认关闭, 重新打开 (which needs its reason). */
export const RAISER_STEPS = ['withdraw', 'close', 'reopen'] as const;
export type RaiserStep = (typeof RAISER_STEPS)[number];

/** Which raiser steps an objection's state allows (the exchange's state machine, mirrored). */
export const RAISER_STEPS_FROM: Record<string, readonly RaiserStep[]> = {
  open: ['withdraw'],
  reopened: ['withdraw'],
  accepted: ['withdraw'],
  rejected: ['close', 'reopen'],
  corrected: ['close', 'reopen'],
};

export async function stepRaisedObjection(
  token: string,
  id: string,
  step: RaiserStep,
  comment: string,
): Promise<Answer<unknown>> {
  return answerOf(
    'exchange-api',
    await exchangeClient().POST(`/v1/objections/{id}/${step}`, {
      params: { path: { id } },
      body: comment ? { comment } : {},
      headers: bearer({ accessToken: token }),
    }),
  );
}

/** At most this many pages of 100 data requests are read (the list has no department filter). */
const MAX_PAGES = 5;

/**
 * Data requests my department may answer: addressed to it, or to no department. The list API
 * has no department filter, so the portal picks them from the newest requests.
 */
export async function listDepartmentRequests(
  token: string,
  department: string,
): Promise<Answer<DataRequest[]>> {
  const mine: DataRequest[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = answerOf(
      'catalog',
      await catalogClient().GET('/v1/data-requests', {
        params: { query: { page, pageSize: 100 } },
        headers: bearer({ accessToken: token }),
      }),
    );
    if (!answer.ok) return answer;
    const { items, total } = answer.data;
    mine.push(
      ...items.filter((r) => !r.wantedDepartment || r.wantedDepartment.code === department),
    );
    if (page * 100 >= total || items.length === 0) break;
  }
  return { ok: true, data: mine };
}

export async function answerDataRequest(
  token: string,
  id: string,
  body: { status: 'answered' | 'opened' | 'declined'; answer: string; datasetCode?: string },
): Promise<Answer<DataRequest>> {
  return answerOf(
    'catalog',
    await catalogClient().POST('/v1/data-requests/{id}/answer', {
      params: { path: { id } },
      body,
      headers: bearer({ accessToken: token }),
    }),
  );
}
