import type { components, paths } from '@gx/schemas/generated/catalog';
import type { SearchState } from '../searchState.ts';
import { catalogClient } from './clients.ts';
import { outcome, required, type Outcome } from './errors.ts';

export type SearchResult = components['schemas']['SearchResult'];
export type SearchHit = components['schemas']['SearchHit'];
export type FacetBucket = components['schemas']['FacetBucket'];
export type Resource = components['schemas']['Resource'];
export type Department = components['schemas']['Department'];
export type Theme =
  paths['/v1/themes']['get']['responses']['200']['content']['application/json']['items'][number];
export type ResourceChange =
  paths['/v1/resources/{code}/history']['get']['responses']['200']['content']['application/json']['items'][number];

/** Full-text search of the open directory, as an anonymous visitor sees it. */
/** buckets per facet for pages that list every providing department (the catalog's maximum) */
export const EVERY_BUCKET = 1_000;

export async function searchResources(
  state: SearchState & {
    pageSize?: number;
    /** buckets per facet (the catalog's default 30); lists of every provider ask for all */
    facetSize?: number;
  },
): Promise<SearchResult> {
  const result = await catalogClient().GET('/v1/search', {
    params: {
      query: {
        q: state.q || undefined,
        theme: state.theme.length ? state.theme : undefined,
        department: state.department.length ? state.department : undefined,
        openType: state.openType.length ? state.openType : undefined,
        updateCycle: state.updateCycle.length ? state.updateCycle : undefined,
        format: state.format.length ? state.format : undefined,
        page: state.page,
        pageSize: state.pageSize ?? 10,
        sort: state.sort,
        facetSize: state.facetSize,
      },
    },
  });
  // a query the catalog refuses (it cannot match anything) is an empty result, not an outage
  if (result.response.status === 400) return emptySearchResult(state);
  return required('catalog', result);
}

function emptySearchResult(state: SearchState & { pageSize?: number }): SearchResult {
  return {
    query: state.q || null,
    mode: 'any',
    sort: 'relevance',
    total: 0,
    page: 1,
    pageSize: state.pageSize ?? 10,
    items: [],
    facets: {
      department: [],
      region: [],
      theme: [],
      sharingType: [],
      openType: [],
      format: [],
      updateCycle: [],
    },
  };
}

export async function getResource(code: string): Promise<Outcome<Resource>> {
  return outcome(
    'catalog',
    await catalogClient().GET('/v1/resources/{code}', { params: { path: { code } } }),
  );
}

export async function getResourceHistory(code: string): Promise<ResourceChange[]> {
  const result = outcome(
    'catalog',
    await catalogClient().GET('/v1/resources/{code}/history', { params: { path: { code } } }),
  );
  return result.kind === 'ok' ? result.data.items : [];
}

export async function listThemes(): Promise<Theme[]> {
  return required('catalog', await catalogClient().GET('/v1/themes')).items;
}

export async function listDepartments(): Promise<Department[]> {
  return required('catalog', await catalogClient().GET('/v1/departments')).items;
}

export async function getDepartment(code: string): Promise<Outcome<Department>> {
  return outcome(
    'catalog',
    await catalogClient().GET('/v1/departments/{code}', { params: { path: { code } } }),
  );
}
