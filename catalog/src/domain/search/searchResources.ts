import type { PrismaClient } from '@gx/migrations';
import { InputError, type Actor, type FieldProblem } from '@gx/platform';
import {
  FORMAT_LABELS,
  OPEN_TYPE_LABELS,
  SHARING_TYPE_LABELS,
  UPDATE_CYCLE_LABELS,
} from '../excel/labels.ts';
import { dataAuthorityCodes } from '../resources/loadResource.ts';
import { visibleResources } from '../resources/visibility.ts';
import { highlight } from './highlight.ts';
import { highlightTerms, parseSearchQuery } from './searchQuery.ts';
import {
  FACET_BUCKETS,
  FACETS,
  MAX_FACET_BUCKETS,
  matchLevels,
  runSearch,
  type Facet,
  type SearchFilters,
  type SearchRow,
} from './searchSql.ts';
import { visibilitySql } from './visibilitySql.ts';

export { FACETS, type Facet, type SearchFilters } from './searchSql.ts';

export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export const OPEN_TYPES = ['open', 'conditional', 'none'] as const;
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
export const UPDATE_CYCLES = [
  'realtime',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
  'irregular',
] as const;

/**
 * Chinese labels of the enumerated facets: the directory's own words, as the Excel template,
 * the console and the public pages use them (excel/labels.ts).
 */
export const FACET_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  sharingType: SHARING_TYPE_LABELS,
  openType: OPEN_TYPE_LABELS,
  format: FORMAT_LABELS,
  updateCycle: UPDATE_CYCLE_LABELS,
};

export const MAX_QUERY_LENGTH = 200;
export const MAX_PAGE_SIZE = 100;
export const MAX_PAGE = 500;
export const MAX_FILTER_VALUES = 20;

export interface SearchResourcesOptions {
  prisma: PrismaClient;
  actor: Actor;
  q?: string;
  filters?: SearchFilters;
  /** default `relevance` when there is a query, `recent` otherwise */
  sort?: 'relevance' | 'recent';
  page?: number;
  pageSize?: number;
  /** buckets per facet, largest first (default 30): the portal's list of every department asks for all */
  facetSize?: number;
}

/** The pattern each facet's filter values must match. */
const FACET_PATTERNS: Record<Facet, RegExp> = {
  department: /^[a-z0-9][a-z0-9-]{0,63}$/,
  region: /^[0-9]{12}$/,
  theme: /^[a-z][a-z-]{1,31}$/,
  sharingType: new RegExp(`^(${SHARING_TYPES.join('|')})$`),
  openType: new RegExp(`^(${OPEN_TYPES.join('|')})$`),
  format: new RegExp(`^(${FORMATS.join('|')})$`),
  updateCycle: new RegExp(`^(${UPDATE_CYCLES.join('|')})$`),
};

function checkOptions(options: SearchResourcesOptions) {
  const problems: FieldProblem[] = [];
  const { q, page = 1, pageSize = 20, facetSize = FACET_BUCKETS, filters = {} } = options;
  if (q !== undefined && (typeof q !== 'string' || q.length > MAX_QUERY_LENGTH)) {
    problems.push({ path: '/q', message: `检索词不能超过 ${MAX_QUERY_LENGTH} 个字符` });
  }
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
    problems.push({ path: '/page', message: `页码应为 1–${MAX_PAGE} 的整数` });
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    problems.push({ path: '/pageSize', message: `每页条数应为 1–${MAX_PAGE_SIZE} 的整数` });
  }
  if (!Number.isInteger(facetSize) || facetSize < 1 || facetSize > MAX_FACET_BUCKETS) {
    problems.push({
      path: '/facetSize',
      message: `每个分面的条目数应为 1–${MAX_FACET_BUCKETS} 的整数`,
    });
  }
  for (const [facet, values] of Object.entries(filters)) {
    const pattern = FACET_PATTERNS[facet as Facet];
    if (!pattern) {
      problems.push({ path: `/${facet}`, message: '不支持的筛选条件' });
      continue;
    }
    if (!Array.isArray(values) || values.length > MAX_FILTER_VALUES) {
      problems.push({ path: `/${facet}`, message: `最多 ${MAX_FILTER_VALUES} 个取值` });
      continue;
    }
    values.forEach((v, i) => {
      if (typeof v !== 'string' || !pattern.test(v)) {
        problems.push({ path: `/${facet}/${i}`, message: '取值无效' });
      }
    });
  }
  if (problems.length > 0) throw new InputError('检索条件无效', problems);
}

export type SearchResult = Awaited<ReturnType<typeof searchResources>>;

/**
 * Full-text search of the directory for one caller: only entries the caller may see
 * (visibility.ts), matched against the segmented search documents — every part of the query
 * present, or, when nothing has them all, any of them or a name like the query (typos) —
 * ranked by relevance or recency, with facet counts (each facet counted under the other
 * facets' filters, so that choosing a value does not hide its alternatives), one page of
 * results and their highlights.
 */
export async function searchResources(options: SearchResourcesOptions) {
  checkOptions(options);
  const {
    prisma,
    actor,
    filters = {},
    page = 1,
    pageSize = 20,
    facetSize = FACET_BUCKETS,
  } = options;
  const q = options.q?.trim() ? options.q : undefined;
  const parsed = q !== undefined ? parseSearchQuery(q) : undefined;
  const sort = options.sort ?? (parsed ? 'relevance' : 'recent');
  const visibility = visibilitySql(visibleResources(actor, await dataAuthorityCodes(prisma)));
  const limit = pageSize;
  const offset = (page - 1) * pageSize;

  const plan = { visibility, parsed, filters, sort, limit, offset, facetSize };
  let mode: 'all' | 'any' | 'browse' = 'browse';
  let row: SearchRow;
  if (!parsed) {
    row = await runSearch(prisma, { ...plan, parsed: undefined, level: 'all' });
  } else if (parsed.groups.length === 0) {
    // nothing searchable in the query (punctuation, emoji, operators): nothing matches
    mode = 'all';
    row = { matched: 0, total: 0, page: [], facets: [] };
  } else {
    // level by level (matchLevels) until something visible matches, before the facet
    // filters, which may rightly leave nothing
    row = { matched: 0, total: 0, page: [], facets: [] };
    for (const level of matchLevels(parsed)) {
      mode = level === 'all' ? 'all' : 'any';
      row = await runSearch(prisma, { ...plan, level });
      if (row.matched > 0) break;
    }
  }

  const terms = parsed ? highlightTerms(parsed) : [];
  const iso = (value: string | null) => (value ? new Date(value).toISOString() : null);
  const items = row.page.map((r) => ({
    code: r.code,
    name: r.name,
    abstract: r.abstract,
    provider: { code: r.provider_code, name: r.provider_name, shortName: r.provider_short_name },
    region: { code: r.region_code, name: r.region_name },
    theme: { code: r.theme_code, name: r.theme_name, kind: r.theme_kind },
    keywords: r.keywords,
    format: r.format,
    sharingType: r.sharing_type,
    openType: r.open_type,
    updateCycle: r.update_cycle,
    status: r.status,
    publishDate: r.publish_date,
    publishedAt: iso(r.published_at),
    dataUpdatedAt: iso(r.data_updated_at),
    score: parsed ? Number(r.score) : null,
    highlights: parsed
      ? {
          name: highlight(r.name, terms),
          abstract: highlight(r.abstract, terms, { maxLength: 120 }),
        }
      : null,
  }));

  const facets = Object.fromEntries(
    FACETS.map((facet) => [
      facet,
      row.facets
        .filter((f) => f.facet === facet)
        .map((f) => ({
          value: f.value,
          label: f.label ?? FACET_LABELS[facet]?.[f.value] ?? f.value,
          count: f.count,
          selected: filters[facet]?.includes(f.value) ?? false,
        })),
    ]),
  ) as Record<Facet, { value: string; label: string; count: number; selected: boolean }[]>;

  return { query: q ?? null, mode, sort, total: row.total, page, pageSize, items, facets };
}
