import Link from 'next/link';
import type { FacetBucket, SearchResult } from '../lib/api/catalog.ts';
import { label, type LabelGroup } from '../lib/i18n/labels.ts';
import type { Locale } from '../lib/i18n/locales.ts';
import type { Messages } from '../lib/i18n/messages.ts';
import { toggleFacetHref, type Facet, type SearchState } from '../lib/searchState.ts';

const SHOWN = 8;

/** Facets whose values the portal names itself (the rest come named from the catalog). */
const LABELLED: Partial<Record<Facet, LabelGroup>> = {
  openType: 'openType',
  updateCycle: 'updateCycle',
  format: 'format',
};

function BucketLink({
  bucket,
  facet,
  state,
  t,
  locale,
}: {
  bucket: FacetBucket;
  facet: Facet;
  state: SearchState;
  t: Messages;
  locale: Locale;
}) {
  const group = LABELLED[facet];
  const name = group ? label(group, bucket.value, locale) : bucket.label;
  return (
    <li>
      <Link
        href={toggleFacetHref(state, facet, bucket.value)}
        className={bucket.selected ? 'facet-link selected' : 'facet-link'}
        rel="nofollow"
      >
        <span className="facet-check" aria-hidden="true">
          {bucket.selected ? '✓' : ''}
        </span>
        <span className="facet-name" lang={group ? undefined : 'zh-CN'}>
          {name}
        </span>
        {bucket.selected ? <span className="visually-hidden">（{t.search.selected}）</span> : null}
        <span className="facet-count">{bucket.count}</span>
      </Link>
    </li>
  );
}

/**
 * The search's facets as links that add or remove one value each; the state stays in the URL.
 * Values with no match are left out unless chosen (a chosen value must stay removable).
 */
export function Facets({
  facets,
  state,
  t,
  locale,
}: {
  facets: SearchResult['facets'];
  state: SearchState;
  t: Messages;
  locale: Locale;
}) {
  const order: Facet[] = ['theme', 'department', 'openType', 'updateCycle', 'format'];
  // nothing to narrow down (an empty result): no heading over an empty column
  if (order.every((facet) => !facets[facet].some((b) => b.count > 0 || b.selected))) return null;
  return (
    <section className="facets" aria-labelledby="facets-title">
      <h2 id="facets-title" className="facets-title">
        {t.search.filters}
      </h2>
      {order.map((facet) => {
        const buckets = facets[facet]
          .filter((b) => b.count > 0 || b.selected)
          .sort((a, b) => Number(b.selected) - Number(a.selected) || b.count - a.count);
        if (buckets.length === 0) return null;
        const shown = buckets.slice(0, SHOWN);
        const rest = buckets.slice(SHOWN);
        return (
          <div className="facet-group" key={facet}>
            <h3>{t.search.facet[facet]}</h3>
            <ul>
              {shown.map((bucket) => (
                <BucketLink
                  key={bucket.value}
                  bucket={bucket}
                  facet={facet}
                  state={state}
                  t={t}
                  locale={locale}
                />
              ))}
            </ul>
            {rest.length > 0 ? (
              <details>
                <summary>
                  {t.home.more}（{rest.length}）
                </summary>
                <ul>
                  {rest.map((bucket) => (
                    <BucketLink
                      key={bucket.value}
                      bucket={bucket}
                      facet={facet}
                      state={state}
                      t={t}
                      locale={locale}
                    />
                  ))}
                </ul>
              </details>
            ) : null}
          </div>
        );
      })}
    </section>
  );
}
