import Link from 'next/link';
import type { Messages } from '../lib/i18n/messages.ts';
import { SORTS, sortHref, type SearchState } from '../lib/searchState.ts';

/**
 * 排序 of a search with words: 相关度 or 最新发布, as links that keep the words and the facets
 * (the order lives in the URL like the rest of the search, and works without JavaScript). The
 * order in use is text marked as current, not a link to the page itself.
 */
export function SearchSort({ state, t }: { state: SearchState; t: Messages }) {
  return (
    <div className="search-sort" role="group" aria-labelledby="search-sort-label">
      <span id="search-sort-label">{t.search.sort}</span>
      <ul>
        {SORTS.map((sort) => (
          <li key={sort}>
            {sort === state.sort ? (
              <span className="current" aria-current="true">
                {t.search.sortBy[sort]}
              </span>
            ) : (
              <Link href={sortHref(state, sort)} rel="nofollow">
                {t.search.sortBy[sort]}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
