import { Prisma } from '@gx/migrations';
import { MAX_QUERY_LENGTH } from '../../search/searchResources.ts';
import { parseSearchQuery, type ParsedQuery } from '../../search/searchQuery.ts';
import { matchLevels, matchSql, runSearch, type MatchLevel } from '../../search/searchSql.ts';
import { visibilitySql } from '../../search/visibilitySql.ts';
import { publishedWhere } from '../publishedCatalog.ts';
import { loadPackages, type CkanContext } from './ckanContext.ts';
import { CkanSearchError, CkanSearchQueryError } from './ckanErrors.ts';
import { ckanFilter, type CkanFilter } from './ckanFilter.ts';
import {
  asBool,
  integer,
  jsonListOfStrings,
  naturalNumber,
  ParamProblems,
  stringList,
  text,
  wholeStrings,
  type DataDict,
} from './ckanParams.ts';
import { licenseIdSql, licenseTitle, resourceFormatsSql } from './ckanVocabulary.ts';
import { parseLuceneQuery } from './luceneQuery.ts';

/** CKAN's `ckan.search.rows_max` default: more rows are silently capped, as CKAN does. */
export const ROWS_MAX = 1000;
export const DEFAULT_ROWS = 10;
/** CKAN's `search.facets.limit` default. */
export const DEFAULT_FACET_LIMIT = 50;
export const DEFAULT_SORT = 'score desc, metadata_modified desc';
/** Solr reads `start` as a 32-bit integer and refuses more. */
const MAX_START = 2_147_483_647;

/** The parameters CKAN passes to Solr (ckan/lib/search/query.py VALID_SOLR_PARAMETERS)… */
const SOLR_PARAMETERS = new Set([
  'q',
  'fl',
  'fq',
  'rows',
  'sort',
  'start',
  'wt',
  'qf',
  'bf',
  'boost',
  'facet',
  'facet.mincount',
  'facet.limit',
  'facet.field',
  'extras',
  'fq_list',
  'tie',
  'defType',
  'mm',
  'df',
]);
/** …and those package_search itself takes off before (accepted, no effect here). */
const ACTION_PARAMETERS = new Set([
  'include_private',
  'include_drafts',
  'include_deleted',
  'use_default_schema',
  'include_group_types',
]);

export const FACET_FIELDS = ['organization', 'groups', 'tags', 'res_format', 'license_id'] as const;
type FacetField = (typeof FACET_FIELDS)[number];

/** Sort fields and their column in the matched set `m`. */
const SORT_COLUMNS: Record<string, string> = {
  metadata_modified: 'm.updated_at',
  metadata_created: 'm.created_at',
  name: 'lower(m.code) COLLATE "C"',
  title_string: 'm.name COLLATE "C"',
  id: 'm.id',
};

interface SortKey {
  field: string;
  direction: 'asc' | 'desc';
}

/** CKAN's sort string, as Solr reads it: `field asc|desc` separated by commas. */
export function parseSort(sort: string): SortKey[] {
  const keys = sort
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const m = /^(\S+)\s+(asc|desc)$/i.exec(part);
      // Solr: "Can't determine a Sort Order (asc or desc)" → CKAN's Search Query Error
      if (!m) throw new CkanSearchQueryError('Invalid "sort" parameter');
      const field = m[1]!;
      if (field !== 'score' && !Object.hasOwn(SORT_COLUMNS, field)) {
        throw new CkanSearchError(
          `无法按字段 ${field} 排序（可用: score, ${Object.keys(SORT_COLUMNS).join(', ')}）`,
        );
      }
      return { field, direction: m[2]!.toLowerCase() as 'asc' | 'desc' };
    });
  if (keys.length === 0) throw new CkanSearchQueryError('Invalid "sort" parameter');
  return keys;
}

const LOCAL_PARAMS = /(?<!\\)\{!/;

function checkLocalParams(param: string, value: string): void {
  if (LOCAL_PARAMS.test(value)) {
    throw new CkanSearchQueryError(`Local parameters are not supported in param "${param}".`);
  }
}

const ALL: CkanFilter = { where: Prisma.sql`TRUE`, texts: [] };

/**
 * `q` as CKAN reads it: empty, `*:*` and `""` mean everything; with a colon it is Lucene
 * syntax (fields, operators); without, it is text for the search (CKAN's dismax), here the
 * directory's Chinese search.
 */
function parseQ(q: string | undefined): CkanFilter {
  const value = q?.trim() ?? '';
  if (!value || value === '""' || value === "''" || value === '*:*' || value === '*') return ALL;
  checkLocalParams('q', value);
  if (!value.includes(':')) return { where: ALL.where, texts: [value] };
  return ckanFilter(parseLuceneQuery(value));
}

function parseFq(name: string, fq: string): CkanFilter {
  if (!fq.trim()) return ALL;
  checkLocalParams(name, fq);
  return ckanFilter(parseLuceneQuery(fq));
}

interface SearchParams {
  q?: string;
  fq: string[];
  rows: number;
  start: number;
  sort: string;
  facet: boolean;
  facetFields: string[];
  facetLimit: number;
  facetMincount: number;
  fl?: string[];
}

/** Validate like CKAN's default_package_search_schema, then refuse what Solr would not get. */
function readParams(dict: DataDict): SearchParams {
  const problems = new ParamProblems();
  const q = text(dict, 'q', problems);
  const fq = dict.fq === undefined ? [] : (wholeStrings(dict, 'fq', problems) ?? []);
  const fqList = jsonOrList(dict, 'fq_list', problems);
  const rows = naturalNumber(dict, 'rows', problems);
  const start = naturalNumber(dict, 'start', problems);
  const sort = text(dict, 'sort', problems);
  const facetMincount = naturalNumber(dict, 'facet.mincount', problems);
  const facetLimit = integer(dict, 'facet.limit', problems);
  const facetFields = jsonListOfStrings(dict, 'facet.field', problems);
  problems.throwIfAny();

  const unknown = Object.keys(dict).filter(
    (k) => !SOLR_PARAMETERS.has(k) && !ACTION_PARAMETERS.has(k) && !k.startsWith('ext_'),
  );
  if (unknown.length > 0) {
    throw new CkanSearchQueryError(`Invalid search parameters: ${JSON.stringify(unknown)}`);
  }
  if ((start ?? 0) > MAX_START) throw new CkanSearchError(`start 超出范围（最大 ${MAX_START}）`);
  for (const field of facetFields ?? []) {
    if (!(FACET_FIELDS as readonly string[]).includes(field)) {
      throw new CkanSearchQueryError(`不支持按 ${field} 分面（支持: ${FACET_FIELDS.join(', ')}）`);
    }
  }
  return {
    q,
    fq: [...fq, ...fqList],
    rows: Math.min(rows ?? DEFAULT_ROWS, ROWS_MAX),
    start: start ?? 0,
    sort: !sort?.trim() || sort.trim() === 'rank' ? DEFAULT_SORT : sort,
    facet: dict.facet === undefined ? true : asBool(dict.facet),
    facetFields: [...new Set(facetFields ?? [])],
    facetLimit: facetLimit ?? DEFAULT_FACET_LIMIT,
    facetMincount: facetMincount ?? 1,
    fl: stringList(dict, 'fl'),
  };
}

/** `fq_list`: a list, repeated parameters, or one JSON list in a string. */
function jsonOrList(dict: DataDict, key: string, problems: ParamProblems): string[] {
  const value = dict[key];
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    return jsonListOfStrings(dict, key, problems) ?? [];
  }
  return wholeStrings(dict, key, problems) ?? [];
}

const FACET_SQL: Record<FacetField, Prisma.Sql> = {
  organization: Prisma.sql`SELECT 'organization'::text AS field, d.code AS value, d.name AS label,
      count(*)::int AS count FROM m JOIN departments d ON d.id = m.provider_id GROUP BY d.code, d.name`,
  groups: Prisma.sql`SELECT 'groups'::text, t.code, t.name, count(*)::int
      FROM m JOIN themes t ON t.code = m.theme_code GROUP BY t.code, t.name`,
  tags: Prisma.sql`SELECT 'tags'::text, k, NULL::text, count(DISTINCT m.id)::int
      FROM m CROSS JOIN LATERAL unnest(m.keywords) k GROUP BY k`,
  res_format: Prisma.sql`SELECT 'res_format'::text, f, NULL::text, count(*)::int
      FROM m CROSS JOIN LATERAL unnest(${resourceFormatsSql('m.open_type')}) f GROUP BY f`,
  license_id: Prisma.sql`SELECT 'license_id'::text, l, NULL::text, count(*)::int
      FROM (SELECT ${licenseIdSql('m.open_type')} AS l FROM m) x GROUP BY l`,
};

interface FacetRow {
  field: FacetField;
  value: string;
  label: string | null;
  count: number;
}

interface MatchRow {
  count: number;
  page: string[] | null;
  facets: FacetRow[];
}

/**
 * One statement over the matches: their number, one page of codes in the requested order
 * (unless the search ranks them), and the requested facets, each limited as Solr limits them
 * (most frequent first, ties in value order).
 */
async function runMatch(
  ctx: CkanContext,
  where: Prisma.Sql,
  params: SearchParams,
  order: Prisma.Sql | undefined,
  facetFields: readonly FacetField[],
): Promise<MatchRow> {
  const page = order
    ? Prisma.sql`(SELECT coalesce(json_agg(p.code ORDER BY p.ord), '[]'::json) FROM (
          SELECT m.code, row_number() OVER (ORDER BY ${order}) AS ord FROM m
           ORDER BY ${order} LIMIT ${params.rows} OFFSET ${params.start}) p)`
    : Prisma.sql`NULL::json`;
  const facets =
    facetFields.length > 0
      ? Prisma.sql`(SELECT coalesce(json_agg(json_build_object(
            'field', f.field, 'value', f.value, 'label', f.label, 'count', f.count)
            ORDER BY f.field, f.count DESC, f.value COLLATE "C"), '[]'::json)
          FROM (SELECT x.*, row_number() OVER (PARTITION BY x.field
                        ORDER BY x.count DESC, x.value COLLATE "C") AS rank
                  FROM (${Prisma.join(
                    facetFields.map((f) => FACET_SQL[f]),
                    ' UNION ALL ',
                  )}) x) f
         WHERE f.count >= ${params.facetMincount}
           AND (${params.facetLimit} < 0 OR f.rank <= ${params.facetLimit}))`
      : Prisma.sql`'[]'::json`;
  const rows = await ctx.prisma.$queryRaw<MatchRow[]>`
    WITH m AS MATERIALIZED (
      SELECT r.id, r.code, r.name, r.provider_id, r.theme_code, r.keywords, r.open_type,
             r.updated_at, r.created_at
        FROM resources r WHERE ${where}
    )
    SELECT (SELECT count(*)::int FROM m) AS count, ${page} AS page, ${facets} AS facets`;
  return rows[0]!;
}

function orderSql(keys: readonly SortKey[]): Prisma.Sql {
  const parts = keys
    .filter((k) => k.field !== 'score')
    .map((k) => Prisma.raw(`${SORT_COLUMNS[k.field]} ${k.direction.toUpperCase()}`));
  // the code last, so that pages never overlap or skip
  return Prisma.join([...parts, Prisma.raw('m.code')], ', ');
}

/** The facets as CKAN returns them: `facets` (deprecated) and `search_facets`. */
function facetResult(fields: readonly FacetField[], rows: readonly FacetRow[]) {
  const facets: Record<string, Record<string, number>> = {};
  const searchFacets: Record<
    string,
    { title: string; items: { name: string; display_name: string; count: number }[] }
  > = {};
  for (const field of fields) {
    const mine = rows.filter((r) => r.field === field);
    facets[field] = Object.fromEntries(mine.map((r) => [r.value, r.count]));
    const items = mine.map((r) => ({
      name: r.value,
      display_name: field === 'license_id' ? licenseTitle(r.value) : (r.label ?? r.value),
      count: r.count,
    }));
    // CKAN sorts the items by display name, descending (ckan/logic/action/get.py)
    items.sort((a, b) =>
      a.display_name < b.display_name ? 1 : a.display_name > b.display_name ? -1 : 0,
    );
    searchFacets[field] = { title: field, items };
  }
  return { facets, search_facets: searchFacets };
}

/**
 * CKAN's package_search over the published entries the caller may see. Free text goes to the
 * directory's Chinese search (segmentation, thesaurus, similar names), matched level by level
 * as the portal's search does; fields and filters become SQL; counts and facets are exact over
 * every match. Ranked by relevance when the sort starts with `score desc` and there is text,
 * else by the sort's fields, the code breaking ties.
 */
export async function packageSearch(ctx: CkanContext, dict: DataDict) {
  const params = readParams(dict);
  const query = parseQ(params.q);
  const filters = params.fq.map((fq, i) => parseFq(i === 0 ? 'fq' : 'fq_list', fq));
  const sortKeys = parseSort(params.sort);
  const visibility = visibilitySql(await publishedWhere(ctx.prisma, ctx.actor));
  const where = Prisma.join(
    [Prisma.sql`(${visibility})`, query.where, ...filters.map((f) => f.where)],
    ' AND ',
  );
  const texts = [...query.texts, ...filters.flatMap((f) => f.texts)];
  const facetFields = params.facet ? (params.facetFields as FacetField[]) : [];

  let parsed: ParsedQuery | undefined;
  if (texts.length > 0) {
    const joined = texts.join(' ').trim();
    if (joined.length > MAX_QUERY_LENGTH) {
      throw new CkanSearchQueryError(`检索词不能超过 ${MAX_QUERY_LENGTH} 个字符`);
    }
    if (joined) parsed = parseSearchQuery(joined);
  }
  const byRelevance = parsed !== undefined && sortKeys[0]!.field === 'score';
  const order = byRelevance ? undefined : orderSql(sortKeys);

  let row: MatchRow = { count: 0, page: [], facets: [] };
  let level: MatchLevel = 'all';
  if (!parsed) {
    row = await runMatch(ctx, where, params, order, facetFields);
  } else if (parsed.groups.length > 0) {
    // as the directory search: every part first; only when nothing matches, looser levels
    for (level of matchLevels(parsed)) {
      const matched = Prisma.sql`${where} AND ${matchSql(parsed, level)}`;
      row = await runMatch(ctx, matched, params, order, facetFields);
      if (row.count > 0) break;
    }
  }

  let codes = row.page ?? [];
  if (byRelevance && parsed && row.count > params.start && params.rows > 0) {
    const ranked = await runSearch(ctx.prisma, {
      visibility: where,
      parsed,
      level,
      filters: {},
      sort: 'relevance',
      limit: params.rows,
      offset: params.start,
      // only the ranked page is used here; CKAN's facets are counted by runMatch
      facetSize: 1,
    });
    codes = ranked.page.map((p) => p.code);
  }

  const packages = await loadPackages(ctx, codes);
  const results = params.fl
    ? packages.map((p) =>
        Object.fromEntries(
          params.fl!.filter((k) => Object.hasOwn(p, k)).map((k) => [k, p[k as keyof typeof p]]),
        ),
      )
    : packages;
  const { facets, search_facets } = facetResult(facetFields, row.facets);
  return { count: row.count, facets, results, sort: params.sort, search_facets };
}
