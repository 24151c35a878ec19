import { Prisma, type PrismaClient } from '@gx/migrations';
import {
  groupTsquery,
  queryTsquery,
  typedTermsTsquery,
  type ParsedQuery,
  type QueryGroup,
} from './searchQuery.ts';

export const FACETS = [
  'department',
  'region',
  'theme',
  'sharingType',
  'openType',
  'format',
  'updateCycle',
] as const;
export type Facet = (typeof FACETS)[number];
export type SearchFilters = Partial<Record<Facet, readonly string[]>>;

/** Column of each facet in the `matched` set (departments and regions go by provider). */
export const FACET_COLUMNS: Readonly<Record<Facet, string>> = {
  department: 'provider_id',
  region: 'provider_id',
  theme: 'theme',
  sharingType: 'sharing_type',
  openType: 'open_type',
  format: 'format',
  updateCycle: 'update_cycle',
};

/** Entries ranked finely per query (more when a deep page asks for more). */
export const CANDIDATES = 200;
/** buckets returned per facet, largest first, unless the caller asks for more (`facetSize`) */
export const FACET_BUCKETS = 30;
/** the most buckets a caller may ask for per facet: every department of a large province */
export const MAX_FACET_BUCKETS = 1_000;

/**
 * How the query is matched: every part (`all`), any word the person typed apart (`words`), any
 * whole part, or any term (typos).
 */
export type MatchLevel = 'all' | 'words' | 'groups' | 'terms';

const tsq = (text: string) => Prisma.sql`${text}::tsquery`;

/** A one-character part (税, 证) says less than a word: it weighs a third as much. */
const groupWeight = (g: QueryGroup) => (Array.from(g.text).length > 1 ? 1 : 0.3);
/** A number computed here (never input) as an SQL float8 literal (numeric arithmetic is slow). */
const float = (n: number) => Prisma.raw(`${Number(n.toFixed(4))}::float8`);

/** `strpos(column, phrase) > 0`, case-insensitive where the phrase has Latin letters. */
function contains(column: string, phrase: string): Prisma.Sql {
  const p = phrase.toLowerCase();
  return Prisma.sql`strpos(${Prisma.raw(/[a-z]/.test(p) ? `lower(${column})` : column)}, ${p}) > 0`;
}

function containsAny(columns: readonly string[], phrases: readonly string[]): Prisma.Sql {
  return Prisma.join(
    columns.flatMap((c) => phrases.map((p) => contains(c, p))),
    ' OR ',
  );
}

const phrasesOf = (g: QueryGroup) => g.phrases;

/**
 * Whether the provider's name or short name contains a part of the query: decided once per
 * department (a hashed subquery), not once per resource — 人社局 matches every entry of a
 * hundred departments through one test each.
 */
function providerHit(g: QueryGroup): Prisma.Sql {
  return Prisma.sql`r.provider_id IN (SELECT id FROM departments d
    WHERE ${containsAny(['d.name', "coalesce(d.short_name, '')"], phrasesOf(g))})`;
}

/**
 * The coarse relevance of every match, from short columns only (never the search document,
 * whose decompression would dominate a query matching thousands of entries): for each part of
 * the query, 1 when the name contains it (or a thesaurus equivalent), 0.5 when the department's
 * name contains it or it is a keyword, else a little (it matched in the abstract or field
 * labels) — averaged over the parts by weight. When not every part matched, parts found nowhere count nothing, and
 * when matching by terms the share of the typed terms found in the name counts too (typos:
 * 空气质亮 still has 空气 and 气质).
 */
function coarseSql(parsed: ParsedQuery, level: MatchLevel): Prisma.Sql {
  const total = parsed.groups.reduce((sum, g) => sum + groupWeight(g), 0);
  const perGroup = parsed.groups.map(
    (g) => Prisma.sql`${float(groupWeight(g))} * CASE
      WHEN ${containsAny(['r.name'], phrasesOf(g))} THEN ${float(1)}
      WHEN ${providerHit(g)} OR r.keywords && ${phrasesOf(g).map((p) => p.toLowerCase())}::text[] THEN ${float(0.5)}
      ELSE ${float(level === 'all' ? 0.1 : 0)} END`,
  );
  const groups = Prisma.sql`${float(2)} * (${Prisma.join(perGroup, ' + ')}) / ${float(total)}`;
  if (level !== 'terms') return groups;
  const typed = [...new Set(parsed.terms.map((t) => t.lexeme))];
  const inName = Prisma.join(
    typed.map((t) => Prisma.sql`(${contains('r.name', t)})::int`),
    ' + ',
  );
  return Prisma.sql`(${groups} + (${inName})::float8 / ${float(typed.length)})`;
}

/**
 * The fine relevance of the best candidates: the name's trigram similarity to what was typed
 * (word order, typos), a bonus when the name contains it verbatim, ts_rank over the weighted
 * document (name A, keywords and department B, abstract and labels C), and, when not every
 * part matched, how many parts the document has.
 */
function fineSql(parsed: ParsedQuery, level: MatchLevel): Prisma.Sql {
  const doc = Prisma.raw('r.search_document');
  const total = parsed.groups.reduce((sum, g) => sum + groupWeight(g), 0);
  const coverage =
    level === 'all'
      ? Prisma.empty
      : Prisma.sql`+ ${float(1.5)} * (${Prisma.join(
          parsed.groups.map(
            (g) => Prisma.sql`${float(groupWeight(g))} * (${doc} @@ ${tsq(groupTsquery(g))})::int`,
          ),
          ' + ',
        )}) / ${float(total)}`;
  return Prisma.sql`(similarity(r.name, ${parsed.text})
    + CASE WHEN strpos(lower(r.name), ${parsed.text}) > 0 THEN 0.5 ELSE 0 END
    + 0.2 * ts_rank('{0.1, 0.2, 0.4, 1.0}', ${doc}, ${tsq(queryTsquery(parsed, 'any'))})
    ${coverage})`;
}

/**
 * At the `groups` level, what must match: two of the words as typed when there are three or
 * more (a stray word does not make every entry with one common word a match), else the only
 * word (结婚证: 结婚, the 证 aside). Thesaurus equivalents do not take part: this level is for
 * extra words, and 社保 → 社会保险 → every entry that mentions 保险 would bury the answer.
 */
function groupsTsquery(parsed: ParsedQuery): string {
  const words = parsed.groups
    .filter((g) => groupWeight(g) === 1)
    .map((g) => `(${groupTsquery(g, true)})`);
  if (words.length < 3) return words.join(' | ');
  const pairs: string[] = [];
  for (let i = 0; i < words.length; i += 1)
    for (let j = i + 1; j < words.length; j += 1) pairs.push(`(${words[i]} & ${words[j]})`);
  return pairs.join(' | ');
}

/**
 * At the `words` level: any of the words the person typed apart (医院 学校 finds the hospitals
 * and the schools when nothing is both), each with all its parts.
 */
function wordsTsquery(parsed: ParsedQuery): string {
  return parsed.words
    .map((word) => `(${word.map((i) => `(${groupTsquery(parsed.groups[i]!)})`).join(' & ')})`)
    .join(' | ');
}

/**
 * The levels a query is matched at, in order, until one matches something: every part; when
 * nothing has every part, any of the words typed apart (医院 学校); the only word among single
 * characters (结婚证); then two of the typed terms of a short query, or a name like the query
 * (typos). Never one part of a word alone: 就业登记 that an anonymous visitor may not see must
 * not turn into every entry that mentions 登记, and 低保 is not a typo because nothing visible
 * has it. Shared by the directory search and the CKAN Action API, so that both find the same
 * entries for the same words.
 */
export function matchLevels(parsed: ParsedQuery): MatchLevel[] {
  const words = parsed.groups.filter((g) => Array.from(g.text).length > 1).length;
  return [
    'all',
    ...(parsed.words.length > 1 ? (['words'] as const) : []),
    ...(words === 1 && parsed.groups.length > 1 ? (['groups'] as const) : []),
    ...(parsed.terms.length > 1 ? (['terms'] as const) : []),
  ];
}

/**
 * What matches at a level over `resources r`: the search document against the query, or a
 * similar name. Exported for the CKAN Action API, which counts and facets the same matches.
 */
export function matchSql(parsed: ParsedQuery, level: MatchLevel): Prisma.Sql {
  const doc = Prisma.raw('r.search_document');
  if (level === 'all') return Prisma.sql`${doc} @@ ${tsq(queryTsquery(parsed, 'all'))}`;
  const query =
    level === 'words'
      ? wordsTsquery(parsed)
      : level === 'groups'
        ? groupsTsquery(parsed)
        : typedTermsTsquery(parsed);
  const parts: Prisma.Sql[] = [];
  if (query) parts.push(Prisma.sql`${doc} @@ ${tsq(query)}`);
  if (Array.from(parsed.text).length >= 2) parts.push(Prisma.sql`r.name % ${parsed.text}`);
  return parts.length > 0 ? Prisma.sql`(${Prisma.join(parts, ' OR ')})` : Prisma.sql`FALSE`;
}

function facetFilter(facet: Facet, values: readonly string[]): Prisma.Sql {
  const list = [...values];
  if (facet === 'department') {
    return Prisma.sql`provider_id IN (SELECT id FROM departments WHERE code = ANY(${list}::text[]))`;
  }
  if (facet === 'region') {
    return Prisma.sql`provider_id IN (SELECT d.id FROM departments d JOIN regions g ON g.id = d.region_id
                                       WHERE g.code = ANY(${list}::text[]))`;
  }
  return Prisma.sql`${Prisma.raw(FACET_COLUMNS[facet])}::text = ANY(${list}::text[])`;
}

/** Every facet filter but `except`'s: values of one facet are alternatives, facets combine. */
export function filterSql(filters: SearchFilters, except?: Facet): Prisma.Sql {
  const parts = FACETS.filter((f) => f !== except && (filters[f]?.length ?? 0) > 0).map((f) =>
    facetFilter(f, filters[f]!),
  );
  return parts.length > 0 ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`;
}

/**
 * Facet counts in as few passes as possible. The facets without a filter of their own are all
 * counted under the full filter in one GROUPING SETS pass over `filtered` — departments and
 * regions together, by provider; a facet with a filter is counted under the other facets'
 * filters only (choosing a department keeps the other departments' counts), in a pass of its
 * own. Providers become departments and regions afterwards, on a few hundred rows.
 */
function facetSql(filters: SearchFilters): Prisma.Sql {
  const own = FACETS.filter((f) => (filters[f]?.length ?? 0) > 0);
  const shared = FACETS.filter((f) => !own.includes(f));
  // in the shared pass the provider grouping serves department and region alike
  const sharedColumns = [...new Set(shared.map((f) => FACET_COLUMNS[f]))];
  const passes: Prisma.Sql[] = own.map((f) => {
    const column = Prisma.raw(FACET_COLUMNS[f]);
    return Prisma.sql`SELECT ${`own:${f}`}::text AS pass, ${column}::text AS value, count(*)::int AS count
                        FROM matched WHERE ${filterSql(filters, f)} GROUP BY ${column}`;
  });
  if (sharedColumns.length > 0) {
    const which = Prisma.join(
      sharedColumns.map((c) => Prisma.sql`WHEN GROUPING(${Prisma.raw(c)}) = 0 THEN ${c}::text`),
      ' ',
    );
    const value = Prisma.join(
      sharedColumns.map(
        (c) => Prisma.sql`WHEN GROUPING(${Prisma.raw(c)}) = 0 THEN ${Prisma.raw(c)}::text`,
      ),
      ' ',
    );
    const sets = Prisma.join(
      sharedColumns.map((c) => Prisma.sql`(${Prisma.raw(c)})`),
      ', ',
    );
    passes.push(Prisma.sql`SELECT CASE ${which} END AS pass, CASE ${value} END AS value,
                                  count(*)::int AS count
                             FROM filtered GROUP BY GROUPING SETS (${sets})`);
  }
  const passFor = (f: Facet) => (own.includes(f) ? `own:${f}` : FACET_COLUMNS[f]);
  const enums = (['theme', 'sharingType', 'openType', 'format', 'updateCycle'] as const).map(
    (f) => Prisma.sql`SELECT ${f}::text AS facet, r.value, th.name AS label, r.count
                        FROM raw r LEFT JOIN themes th ON ${f}::text = 'theme' AND th.code = r.value
                       WHERE r.pass = ${passFor(f)}`,
  );
  return Prisma.sql`WITH raw AS (${Prisma.join(passes, ' UNION ALL ')})
    SELECT 'department'::text AS facet, dp.code AS value, dp.name AS label, sum(r.count)::int AS count
      FROM raw r JOIN departments dp ON dp.id::text = r.value
     WHERE r.pass = ${passFor('department')} GROUP BY dp.code, dp.name
    UNION ALL
    SELECT 'region'::text, rg.code, rg.name, sum(r.count)::int
      FROM raw r JOIN departments dp ON dp.id::text = r.value JOIN regions rg ON rg.id = dp.region_id
     WHERE r.pass = ${passFor('region')} GROUP BY rg.code, rg.name
    UNION ALL ${Prisma.join(enums, ' UNION ALL ')}`;
}

export interface SearchPlan {
  /** the caller's visibility over `resources r` and its provider `d` (visibilitySql) */
  visibility: Prisma.Sql;
  /** absent: browse every visible entry */
  parsed?: ParsedQuery;
  level: MatchLevel;
  filters: SearchFilters;
  sort: 'relevance' | 'recent';
  limit: number;
  offset: number;
  /** buckets per facet (FACET_BUCKETS by default) */
  facetSize: number;
}

/** One entry of the page, as the statement returns it. */
export interface PageRow {
  id: string;
  score: number;
  code: string;
  name: string;
  abstract: string;
  provider_code: string;
  provider_name: string;
  provider_short_name: string | null;
  region_code: string;
  region_name: string;
  theme_code: string;
  theme_name: string;
  theme_kind: string;
  keywords: string[];
  format: string;
  sharing_type: string;
  open_type: string;
  update_cycle: string;
  status: string;
  publish_date: string | null;
  published_at: string | null;
  data_updated_at: string | null;
}

export interface SearchRow {
  /** matches before the facet filters */
  matched: number;
  /** matches after the facet filters */
  total: number;
  page: PageRow[];
  facets: { facet: Facet; value: string; label: string | null; count: number }[];
}

/**
 * One statement: the visible matches with their coarse score and facet columns, the filtered
 * set, the best candidates ranked finely, one page with everything shown of each entry, and
 * the facet counts with their labels.
 */
export async function runSearch(prisma: PrismaClient, plan: SearchPlan): Promise<SearchRow> {
  const { parsed, level } = plan;
  const match = parsed ? matchSql(parsed, level) : Prisma.sql`TRUE`;
  const coarse = parsed ? coarseSql(parsed, level) : Prisma.sql`0`;
  const fine = parsed ? fineSql(parsed, level) : Prisma.sql`0`;
  const recent = Prisma.sql`published_at DESC NULLS LAST, id`;
  const byRelevance = plan.sort === 'relevance';
  // relevance: the best candidates by the coarse score are ranked finely, then paged;
  // recent: the page itself
  const candidates = byRelevance
    ? Prisma.sql`SELECT * FROM filtered ORDER BY coarse DESC, ${recent}
                  LIMIT ${Math.max(CANDIDATES, plan.offset + plan.limit)}`
    : Prisma.sql`SELECT * FROM filtered ORDER BY ${recent} LIMIT ${plan.limit} OFFSET ${plan.offset}`;
  const pageOrder = byRelevance ? Prisma.sql`score DESC, ${recent}` : recent;
  const hasFilters = FACETS.some((f) => (plan.filters[f]?.length ?? 0) > 0);
  const pageLimit = byRelevance
    ? Prisma.sql`LIMIT ${plan.limit} OFFSET ${plan.offset}`
    : Prisma.empty;
  const rows = await prisma.$queryRaw<SearchRow[]>`
    WITH matched AS MATERIALIZED (
      SELECT r.id, r.provider_id, r.theme_code AS theme,
             r.sharing_type, r.open_type, r.format, r.update_cycle,
             r.published_at, r.updated_at, ${coarse} AS coarse
        FROM resources r
       WHERE (${plan.visibility}) AND ${match}
    ),
    filtered AS NOT MATERIALIZED (SELECT * FROM matched WHERE ${filterSql(plan.filters)}),
    candidates AS (${candidates}),
    ranked AS (
      SELECT c.id, c.published_at, c.updated_at, c.coarse + ${fine} AS score
        FROM candidates c JOIN resources r ON r.id = c.id
    ),
    page AS (
      SELECT id, score, row_number() OVER (ORDER BY ${pageOrder}) AS ord
        FROM ranked ORDER BY ${pageOrder} ${pageLimit}
    ),
    facet_rows AS (${facetSql(plan.filters)}),
    top_facets AS (
      SELECT *, row_number() OVER (PARTITION BY facet ORDER BY count DESC, value) AS rank
        FROM facet_rows
    )
    SELECT (SELECT count(*)::int FROM matched) AS matched,
           ${hasFilters ? Prisma.sql`(SELECT count(*)::int FROM filtered)` : Prisma.sql`(SELECT count(*)::int FROM matched)`} AS total,
           (SELECT coalesce(json_agg(json_build_object(
                     'id', p.id, 'score', round(p.score::numeric, 4), 'code', r.code,
                     'name', r.name, 'abstract', r.abstract, 'provider_code', dp.code,
                     'provider_name', dp.name, 'provider_short_name', dp.short_name,
                     'region_code', rg.code, 'region_name', rg.name, 'theme_code', th.code,
                     'theme_name', th.name, 'theme_kind', th.kind, 'keywords', r.keywords,
                     'format', r.format, 'sharing_type', r.sharing_type, 'open_type', r.open_type,
                     'update_cycle', r.update_cycle, 'status', r.status,
                     'publish_date', r.publish_date, 'published_at', r.published_at,
                     'data_updated_at', r.data_updated_at) ORDER BY p.ord), '[]'::json)
              FROM page p
              JOIN resources r ON r.id = p.id
              JOIN departments dp ON dp.id = r.provider_id
              JOIN regions rg ON rg.id = dp.region_id
              JOIN themes th ON th.code = r.theme_code) AS page,
           (SELECT coalesce(json_agg(json_build_object(
                     'facet', f.facet, 'value', f.value, 'count', f.count, 'label', f.label)
                     ORDER BY f.facet, f.count DESC, f.value), '[]'::json)
              FROM top_facets f WHERE f.rank <= ${plan.facetSize}) AS facets`;
  return rows[0]!;
}
