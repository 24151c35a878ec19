import type { paths } from '@gx/schemas/generated/catalog';
import { catalogClient } from '../../api/clients.ts';
import { bearer } from '../staff.ts';
import { answerOf, type Answer } from './answer.ts';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type Resource = Json<paths['/v1/resources/{code}']['get']['responses']['200']>;
export type ResourceInput = Json<paths['/v1/resources']['post']['requestBody']>;
export type ResourceStatus = NonNullable<
  NonNullable<paths['/v1/resources']['get']['parameters']['query']>['status']
>;
export type SchemaPreview = Json<paths['/v1/resources/{code}/schema']['get']['responses']['200']>;
export type SchemaVersion = Json<
  paths['/v1/resources/{code}/schema-versions']['get']['responses']['200']
>['items'][number];
export type HistoryEntry = Json<
  paths['/v1/resources/{code}/history']['get']['responses']['200']
>['items'][number];
/** a 主题分类; `classCode` is the 类项 that the codes of entries catalogued under it start with */
export type Theme = { code: string; name: string; classCode: string };
export type StatutoryFunction = { code: string; name: string };

const C = 'catalog';
const STATUSES: readonly ResourceStatus[] = ['draft', 'in_review', 'published', 'retired'];

export function isResourceStatus(value: string | undefined): value is ResourceStatus {
  return (STATUSES as readonly string[]).includes(value ?? '');
}

/** The resource-code pattern of the catalog API (a path segment checked before any call). */
export const RESOURCE_CODE = /^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/;

/** At most this many entries are listed (5 pages of 100): a department's directory fits. */
const MAX_PAGES = 5;

/**
 * My department's entries, every status (the steward's token lets the catalog show drafts),
 * newest change first as the catalog orders them.
 */
export async function listDepartmentResources(
  token: string,
  department: string,
  status?: ResourceStatus,
): Promise<Answer<{ total: number; items: Resource[] }>> {
  const items: Resource[] = [];
  let total = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = answerOf(
      C,
      await catalogClient().GET('/v1/resources', {
        params: { query: { department, ...(status ? { status } : {}), page, pageSize: 100 } },
        headers: bearer({ accessToken: token }),
      }),
    );
    if (!answer.ok) return answer;
    total = answer.data.total;
    items.push(...answer.data.items);
    if (items.length >= total || answer.data.items.length === 0) break;
  }
  return { ok: true, data: { total, items } };
}

export async function getResource(token: string, code: string): Promise<Answer<Resource>> {
  return answerOf(
    C,
    await catalogClient().GET('/v1/resources/{code}', {
      params: { path: { code } },
      headers: bearer({ accessToken: token }),
    }),
  );
}

export async function getSchemaPreview(
  token: string,
  code: string,
): Promise<Answer<SchemaPreview>> {
  return answerOf(
    C,
    await catalogClient().GET('/v1/resources/{code}/schema', {
      params: { path: { code } },
      headers: bearer({ accessToken: token }),
    }),
  );
}

export async function getSchemaVersions(
  token: string,
  code: string,
): Promise<Answer<SchemaVersion[]>> {
  const answer = answerOf(
    C,
    await catalogClient().GET('/v1/resources/{code}/schema-versions', {
      params: { path: { code } },
      headers: bearer({ accessToken: token }),
    }),
  );
  return answer.ok ? { ok: true, data: answer.data.items } : answer;
}

export async function getHistory(token: string, code: string): Promise<Answer<HistoryEntry[]>> {
  const answer = answerOf(
    C,
    await catalogClient().GET('/v1/resources/{code}/history', {
      params: { path: { code } },
      headers: bearer({ accessToken: token }),
    }),
  );
  return answer.ok ? { ok: true, data: answer.data.items } : answer;
}

export async function createResource(
  token: string,
  body: ResourceInput,
): Promise<Answer<Resource>> {
  return answerOf(
    C,
    await catalogClient().POST('/v1/resources', { body, headers: bearer({ accessToken: token }) }),
  );
}

/** Replaces a draft; `revision` is the one the editor was opened at (a newer one answers 409). */
export async function updateResource(
  token: string,
  code: string,
  body: ResourceInput,
  revision: number | undefined,
): Promise<Answer<Resource>> {
  return answerOf(
    C,
    await catalogClient().PUT('/v1/resources/{code}', {
      params: {
        path: { code },
        header: revision ? { 'If-Match': `"${revision}"` } : {},
      },
      body,
      headers: bearer({ accessToken: token }),
    }),
  );
}

/** A workflow step of the steward: submit for review, or reopen as a draft (revise). */
export async function stepResource(
  token: string,
  code: string,
  step: 'submit' | 'revise' | 'retire',
  comment: string,
): Promise<Answer<Resource>> {
  const init = {
    params: { path: { code } },
    body: comment ? { comment } : {},
    headers: bearer({ accessToken: token }),
  };
  const client = catalogClient();
  return answerOf(
    C,
    step === 'submit'
      ? await client.POST('/v1/resources/{code}/submit', init)
      : step === 'revise'
        ? await client.POST('/v1/resources/{code}/revise', init)
        : await client.POST('/v1/resources/{code}/retire', init),
  );
}

export async function listThemes(): Promise<Theme[]> {
  const answer = answerOf(C, await catalogClient().GET('/v1/themes'));
  return answer.ok
    ? answer.data.items.map((t) => ({ code: t.code, name: t.name, classCode: t.classCode }))
    : [];
}

/** The department's statutory functions (三定职责), for the editor's drop-down. */
export async function listFunctions(department: string): Promise<StatutoryFunction[]> {
  const answer = answerOf(
    C,
    await catalogClient().GET('/v1/functions', { params: { query: { department } } }),
  );
  return answer.ok ? answer.data.items.map((f) => ({ code: f.code, name: f.name })) : [];
}
