import type { Metadata } from 'next';
import Link from 'next/link';
import { SearchForm } from '../components/SearchForm.tsx';
import { getPrefs } from '../lib/prefs.ts';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.notFound.title, robots: { index: false } };
}

/** Unknown pages and unknown, unpublished or non-open datasets alike: 404 with a way on. */
export default async function NotFound() {
  const { t } = await getPrefs();
  return (
    <div className="container narrow status-page">
      <p className="status-code" aria-hidden="true">
        404
      </p>
      <h1>{t.notFound.title}</h1>
      <p className="lead">{t.notFound.text}</p>
      <SearchForm t={t} id="not-found-q" />
      <p className="status-actions">
        <Link href="/" className="button primary">
          {t.notFound.home}
        </Link>
        <Link href="/search" className="button">
          {t.notFound.search}
        </Link>
      </p>
    </div>
  );
}
