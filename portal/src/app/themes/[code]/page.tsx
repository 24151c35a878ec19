import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { DatasetList } from '../../../components/DatasetCard.tsx';
import { EmptyResult } from '../../../components/EmptyResult.tsx';
import { Pagination } from '../../../components/Pagination.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { listThemes, searchResources } from '../../../lib/api/catalog.ts';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { browseState } from '../../../lib/emptySearch.ts';
import { label } from '../../../lib/i18n/labels.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { MAX_PAGE, pageNumber, searchHref, type QueryParams } from '../../../lib/searchState.ts';

export const dynamic = 'force-dynamic';

const PAGE_SIZE = 10;

type Props = { params: Promise<{ code: string }>; searchParams: Promise<QueryParams> };

const findTheme = cache(async (code: string) =>
  (await listThemes()).find((theme) => theme.code === code),
);

/** notFound() here as in the page, so that a 404's title is 页面不存在 (not-found.tsx) */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const theme = await findTheme((await params).code).catch(() => null);
  if (theme === undefined) notFound();
  return theme ? { title: theme.name } : {};
}

/** One theme's open datasets, newest first. */
export default async function ThemePage({ params, searchParams }: Props) {
  const [{ code }, query] = await Promise.all([params, searchParams]);
  const { t, locale } = await getPrefs();
  const page = pageNumber(query.page, MAX_PAGE);
  const loaded = await whenAvailable(async () => {
    const theme = await findTheme(code);
    if (!theme) notFound();
    const result = await searchResources({
      ...browseState({ theme: [code], page }),
      pageSize: PAGE_SIZE,
      sort: 'recent',
    });
    return { theme, result };
  });
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  const { theme, result } = loaded.value;
  const pages = Math.min(Math.ceil(result.total / PAGE_SIZE), MAX_PAGE);
  return (
    <div className="container section">
      <nav aria-label={t.dataset.breadcrumb} className="breadcrumb">
        <ol>
          <li>
            <Link href="/">{t.nav.home}</Link>
          </li>
          <li>
            <Link href="/themes">{t.nav.themes}</Link>
          </li>
          <li>
            <span aria-current="page" lang="zh-CN">
              {theme.name}
            </span>
          </li>
        </ol>
      </nav>
      <h1 lang="zh-CN">{theme.name}</h1>
      <p className="lead">
        {label('themeKind', theme.kind, locale)} · {t.themes.datasetCount(result.total)}
      </p>
      <section aria-labelledby="theme-datasets" className="section">
        <div className="section-head">
          <h2 id="theme-datasets">{t.themes.list(theme.name)}</h2>
          <Link href={searchHref({ theme: [code] })}>{t.search.title} ›</Link>
        </div>
        {result.total === 0 ? (
          <EmptyResult q="" t={t} />
        ) : (
          <>
            <DatasetList hits={result.items} t={t} locale={locale} />
            <Pagination
              current={page}
              total={pages}
              href={(p) => `/themes/${code}${p > 1 ? `?page=${p}` : ''}`}
              t={t}
            />
          </>
        )}
      </section>
    </div>
  );
}
