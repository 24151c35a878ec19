import type { paths as CatalogPaths } from '@gx/schemas/generated/catalog';
import type { paths as ExchangePaths } from '@gx/schemas/generated/exchange-api';
import { catalogClient, exchangeClient } from '../../api/clients.ts';
import { required } from '../../api/errors.ts';
import { bearer } from '../staff.ts';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Region = Json<CatalogPaths['/v1/regions']['get']['responses']['200']>['items'][number];
export type Department = Json<
  CatalogPaths['/v1/departments']['get']['responses']['200']
>['items'][number];
export type StatutoryFunction = Json<
  CatalogPaths['/v1/functions']['get']['responses']['200']
>['items'][number];
export type ServiceSystem = Json<
  ExchangePaths['/v1/systems']['get']['responses']['200']
>['items'][number];
export type SystemCredentials = Json<ExchangePaths['/v1/systems']['post']['responses']['201']>;
export type DepartmentChanges = NonNullable<
  CatalogPaths['/v1/departments/{code}']['patch']['requestBody']
>['content']['application/json'];
export type RegisterSystemBody = NonNullable<
  ExchangePaths['/v1/systems']['post']['requestBody']
>['content']['application/json'];

/** What an organisation write answers: the result, or the API's problem for the flash message. */
export type WriteResult<T> = { ok: true; data: T } | { ok: false; problem: unknown };

function written<T>(answer: { data?: T; error?: unknown; response: Response }): WriteResult<T> {
  if (answer.response.ok && answer.data !== undefined) return { ok: true, data: answer.data };
  if (answer.response.status >= 500) return required('api', answer) as never;
  return { ok: false, problem: answer.error };
}

/** 组织机构 as the platform admin sees it: regions, departments, functions, systems. */
export async function organisationOverview(token: { accessToken: string }) {
  const [regions, departments, functions, systems] = await Promise.all([
    catalogClient().GET('/v1/regions'),
    catalogClient().GET('/v1/departments'),
    catalogClient().GET('/v1/functions'),
    exchangeClient().GET('/v1/systems', { headers: bearer(token) }),
  ]);
  return {
    regions: required('catalog', regions).items,
    departments: required('catalog', departments).items,
    functions: required('catalog', functions).items,
    systems: required('exchange-api', systems).items,
  };
}

export async function updateDepartment(
  accessToken: string,
  code: string,
  changes: DepartmentChanges,
): Promise<WriteResult<Department>> {
  return written(
    await catalogClient().PATCH('/v1/departments/{code}', {
      params: { path: { code } },
      body: changes,
      headers: bearer({ accessToken }),
    }),
  );
}

export async function registerSystem(
  accessToken: string,
  body: RegisterSystemBody,
): Promise<WriteResult<SystemCredentials>> {
  return written(
    await exchangeClient().POST('/v1/systems', { body, headers: bearer({ accessToken }) }),
  );
}

export async function rotateSystemSecret(
  accessToken: string,
  clientId: string,
): Promise<WriteResult<SystemCredentials>> {
  return written(
    await exchangeClient().POST('/v1/systems/{clientId}/secret', {
      params: { path: { clientId } },
      headers: bearer({ accessToken }),
    }),
  );
}

export async function disableSystem(
  accessToken: string,
  clientId: string,
): Promise<WriteResult<ServiceSystem>> {
  return written(
    await exchangeClient().POST('/v1/systems/{clientId}/disable', {
      params: { path: { clientId } },
      headers: bearer({ accessToken }),
    }),
  );
}
