/**
 * The state of a search lives in its URL (/search?q=…&sort=…&theme=…&page=…) so that a search
 * can be bookmarked and shared, and the back button works without JavaScript. This module reads
 * that URL defensively — a visitor can type anything — and writes the links that change it.
 * Values the catalog would refuse (wrong pattern, too many, too long) are dropped here rather
 * than turned into an error page.
 */

export const FACETS = ['theme', 'department', 'openType', 'updateCycle', 'format'] as const;
export type Facet = (typeof FACETS)[number];

export const OPEN_TYPES = ['open', 'conditional', 'none'] as const;
export const UPDATE_CYCLES = [
  'realtime',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
  'irregular',
] as const;
export const FORMATS = [
  'database',
  'spreadsheet',
  'document',
  'image',
  'geo',
  'stream',
  'api',
  'other',
] as const;

/**
 * The orders the catalog offers (catalog-search.yaml `sort`): by relevance to the words, or the
 * latest published first. Without words there is nothing to be relevant to: newest first.
 */
export const SORTS = ['relevance', 'recent'] as const;
export type Sort = (typeof SORTS)[number];

export interface SearchState {
  q: string;
  sort: Sort;
  theme: string[];
  department: string[];
  openType: (typeof OPEN_TYPES)[number][];
  updateCycle: (typeof UPDATE_CYCLES)[number][];
  format: (typeof FORMATS)[number][];
  page: number;
}

/** Next.js hands pages their query as this shape. */
export type QueryParams = Record<string, string | string[] | undefined>;

/** catalog-search.yaml: `q` maxLength 200; page 1…500 */
export const MAX_QUERY_LENGTH = 200;
export const MAX_PAGE = 500;

const oneOf = (values: readonly string[]) => new RegExp(`^(${values.join('|')})$`);

const FACET_RULES: Record<Facet, { pattern: RegExp; max: number }> = {
  theme: { pattern: /^[a-z][a-z-]{1,31}$/, max: 20 },
  department: { pattern: /^[a-z0-9][a-z0-9-]{0,63}$/, max: 20 },
  openType: { pattern: oneOf(OPEN_TYPES), max: OPEN_TYPES.length },
  updateCycle: { pattern: oneOf(UPDATE_CYCLES), max: UPDATE_CYCLES.length },
  format: { pattern: oneOf(FORMATS), max: FORMATS.length },
};

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The first value of a query parameter, if any. */
export function single(value: string | string[] | undefined): string | undefined {
  return list(value)[0];
}

/** A positive page number from a query parameter; 1 for anything else. */
export function pageNumber(value: string | string[] | undefined, max: number): number {
  const raw = single(value);
  if (!raw || !/^[0-9]{1,6}$/.test(raw)) return 1;
  return Math.min(Math.max(Number(raw), 1), max);
}

export function parseSearchState(params: QueryParams): SearchState {
  // the patterns admit exactly the values of each facet's type
  const facet = <T extends string>(name: Facet): T[] => {
    const { pattern, max } = FACET_RULES[name];
    return [...new Set(list(params[name]).filter((v) => pattern.test(v)))].slice(0, max) as T[];
  };
  const q = (single(params.q) ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_LENGTH);
  return {
    q,
    sort: q && single(params.sort) !== 'recent' ? 'relevance' : 'recent',
    theme: facet('theme'),
    department: facet('department'),
    openType: facet('openType'),
    updateCycle: facet('updateCycle'),
    format: facet('format'),
    page: pageNumber(params.page, MAX_PAGE),
  };
}

/**
 * The sort a search's URL must say: 最新发布 with words, nothing otherwise (relevance is the
 * default with words, and without words newest first is the only order).
 */
function sortParam(state: Partial<SearchState>): Sort | undefined {
  return state.q && state.sort === 'recent' ? 'recent' : undefined;
}

/** The /search URL of a state (empty parts and default sort left out, page 1 implied). */
export function searchHref(state: Partial<SearchState>): string {
  const query = new URLSearchParams();
  if (state.q) query.set('q', state.q);
  const sort = sortParam(state);
  if (sort) query.set('sort', sort);
  for (const facet of FACETS) for (const value of state[facet] ?? []) query.append(facet, value);
  if (state.page && state.page > 1) query.set('page', String(state.page));
  const text = query.toString();
  return text ? `/search?${text}` : '/search';
}

/** The link that adds a facet value to the search, or removes it when chosen; back to page 1. */
export function toggleFacetHref(state: SearchState, facet: Facet, value: string): string {
  const current: readonly string[] = state[facet];
  const values = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  return searchHref({ ...state, [facet]: values, page: 1 });
}

/** The link that orders the same search another way; back to page 1. */
export function sortHref(state: SearchState, sort: Sort): string {
  return searchHref({ ...state, sort, page: 1 });
}

/**
 * What the search box must carry along when the words change: the chosen facets and the
 * chosen order (new words keep being sorted as the visitor asked).
 */
export function carriedFields(state: SearchState): [string, string][] {
  const sort = sortParam(state);
  return [
    ...(sort ? [['sort', sort] as [string, string]] : []),
    ...FACETS.flatMap((facet) => state[facet].map((value): [string, string] => [facet, value])),
  ];
}

export function isFiltered(state: SearchState): boolean {
  return FACETS.some((facet) => state[facet].length > 0);
}
