import type { Metadata } from 'next';
import Link from 'next/link';
import { DatasetList } from '../../components/DatasetCard.tsx';
import { EmptyResult } from '../../components/EmptyResult.tsx';
import { Facets } from '../../components/Facets.tsx';
import { Pagination } from '../../components/Pagination.tsx';
import { SearchForm } from '../../components/SearchForm.tsx';
import { SearchSort } from '../../components/SearchSort.tsx';
import { ServiceUnavailable } from '../../components/ServiceUnavailable.tsx';
import { searchResources } from '../../lib/api/catalog.ts';
import { whenAvailable } from '../../lib/api/errors.ts';
import { label, type LabelGroup } from '../../lib/i18n/labels.ts';
import { getPrefs } from '../../lib/prefs.ts';
import {
  carriedFields,
  FACETS,
  isFiltered,
  MAX_PAGE,
  parseSearchState,
  searchHref,
  toggleFacetHref,
  type Facet,
  type QueryParams,
} from '../../lib/searchState.ts';

export const dynamic = 'force-dynamic';

const PAGE_SIZE = 10;
/**
 * Buckets per facet: every providing department of a city or a province fits (the first few
 * shown, the rest under 更多), where the catalog's default of 30 left departments out.
 */
const FACET_SIZE = 300;

type Props = { searchParams: Promise<QueryParams> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { t } = await getPrefs();
  const state = parseSearchState(await searchParams);
  return { title: state.q ? `${state.q} · ${t.search.title}` : t.search.title };
}

const LABELLED: Partial<Record<Facet, LabelGroup>> = {
  openType: 'openType',
  updateCycle: 'updateCycle',
  format: 'format',
};

/** 数据目录: Chinese full-text search with facets, an order and pages; all of it in the URL. */
export default async function SearchPage({ searchParams }: Props) {
  const { t, locale } = await getPrefs();
  const state = parseSearchState(await searchParams);
  const loaded = await whenAvailable(() =>
    searchResources({ ...state, pageSize: PAGE_SIZE, facetSize: FACET_SIZE }),
  );
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  const result = loaded.value;
  const pages = Math.min(Math.ceil(result.total / PAGE_SIZE), MAX_PAGE);
  const chosen = FACETS.flatMap((facet) =>
    state[facet].map((value) => {
      const group = LABELLED[facet];
      const bucket = result.facets[facet].find((b) => b.value === value);
      return { facet, value, name: group ? label(group, value, locale) : (bucket?.label ?? value) };
    }),
  );

  return (
    <div className="container section">
      <h1>{t.search.title}</h1>
      <SearchForm t={t} q={state.q} hidden={carriedFields(state)} id="search-page-q" />
      <div className="search-layout">
        <aside className="search-aside">
          <Facets facets={result.facets} state={state} t={t} locale={locale} />
        </aside>
        <section className="search-results" aria-labelledby="results-title">
          <h2 id="results-title" className="results-summary" aria-live="polite">
            {state.q
              ? t.search.resultCountFor(state.q, result.total)
              : t.search.resultCount(result.total)}
          </h2>
          {state.q && result.total > 0 ? <SearchSort state={state} t={t} /> : null}
          {chosen.length > 0 ? (
            <ul className="chosen-filters" aria-label={t.search.filters}>
              {chosen.map((c) => (
                <li key={`${c.facet}=${c.value}`}>
                  <Link
                    href={toggleFacetHref(state, c.facet, c.value)}
                    aria-label={t.search.removeFilter(c.name)}
                  >
                    {t.labelled(t.search.facet[c.facet], c.name)} <span aria-hidden="true">×</span>
                  </Link>
                </li>
              ))}
              {isFiltered(state) ? (
                <li>
                  <Link
                    href={searchHref({ q: state.q, sort: state.sort })}
                    className="clear-filters"
                  >
                    {t.search.clearFilters}
                  </Link>
                </li>
              ) : null}
            </ul>
          ) : null}
          {result.mode === 'any' && result.total > 0 ? (
            <p className="notice">{t.search.partialMatch}</p>
          ) : null}
          {result.total === 0 ? (
            <EmptyResult q={state.q} t={t} />
          ) : (
            <>
              {result.items.length === 0 ? (
                // a page number past the end (an old link, a hand-typed address)
                <p className="notice">
                  {t.search.pageBeyond(pages)}{' '}
                  <Link href={searchHref({ ...state, page: pages })}>{t.search.lastPage}</Link>
                </p>
              ) : null}
              <DatasetList hits={result.items} t={t} locale={locale} />
              <Pagination
                current={Math.min(state.page, Math.max(pages, 1))}
                total={pages}
                href={(page) => searchHref({ ...state, page })}
                t={t}
              />
            </>
          )}
        </section>
      </div>
    </div>
  );
}
