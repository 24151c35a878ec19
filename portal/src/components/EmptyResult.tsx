import Link from 'next/link';
import type { Messages } from '../lib/i18n/messages.ts';
import { searchHref } from '../lib/searchState.ts';

/** A search that found nothing: say so kindly and offer ways on, never an error. */
export function EmptyResult({ q, t }: { q: string; t: Messages }) {
  return (
    <div className="empty-result" role="status">
      <h2>{t.search.emptyTitle(q)}</h2>
      <ul>
        {t.search.emptyHints.map((hint) => (
          <li key={hint}>{hint}</li>
        ))}
      </ul>
      <p className="empty-actions">
        <Link href="/search" className="button primary">
          {t.search.browseAll}
        </Link>
        <Link href="/themes" className="button">
          {t.nav.themes}
        </Link>
        <Link href="/departments" className="button">
          {t.nav.departments}
        </Link>
      </p>
      <p className="hero-suggestions">
        <span>{t.home.trySearch}</span>
        {t.home.suggestions.map((word) => (
          <Link key={word} href={searchHref({ q: word })} lang="zh-CN">
            {word}
          </Link>
        ))}
      </p>
    </div>
  );
}
