import Link from 'next/link';
import { DatasetList } from '../components/DatasetCard.tsx';
import { PopularList } from '../components/PopularList.tsx';
import { SearchForm } from '../components/SearchForm.tsx';
import { ServiceUnavailable } from '../components/ServiceUnavailable.tsx';
import { EVERY_BUCKET, listThemes, searchResources } from '../lib/api/catalog.ts';
import { whenAvailable } from '../lib/api/errors.ts';
import { listPopularDatasets } from '../lib/api/openUsage.ts';
import { browseState } from '../lib/emptySearch.ts';
import { formatNumber } from '../lib/format.ts';
import { label } from '../lib/i18n/labels.ts';
import { getPrefs } from '../lib/prefs.ts';
import { searchHref } from '../lib/searchState.ts';

export const dynamic = 'force-dynamic';

/**
 * 首页: search first, then the platform's figures, themes, the newest datasets, the most used
 * ones (API calls and downloads in the last 30 days, from the exchange's evidence log; the
 * newest stand in, saying so, while nothing has been used), and departments.
 */
export default async function HomePage() {
  const { t, locale } = await getPrefs();
  const [loaded, usage] = await Promise.all([
    whenAvailable(() =>
      Promise.all([
        searchResources({ ...browseState(), pageSize: 6, sort: 'recent', facetSize: EVERY_BUCKET }),
        listThemes(),
      ]),
    ),
    // the usage figures come from the exchange: without it the home page still shows
    whenAvailable(() => listPopularDatasets(6)),
  ]);
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  const [browse, themes] = loaded.value;
  const popular = usage.ok ? usage.value : [];
  const themeCounts = new Map(browse.facets.theme.map((b) => [b.value, b.count]));
  const shownThemes = themes.filter((theme) => (themeCounts.get(theme.code) ?? 0) > 0);
  const departments = browse.facets.department
    .filter((b) => b.count > 0)
    .sort((a, b) => b.count - a.count);
  const openCount = browse.facets.openType.find((b) => b.value === 'open')?.count ?? 0;
  const figures = [
    { label: t.home.figureDatasets, value: browse.total },
    { label: t.home.figureOpen, value: openCount },
    { label: t.home.figureDepartments, value: departments.length },
    { label: t.home.figureThemes, value: shownThemes.length },
  ];

  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <div className="container">
          <h1 id="hero-title">{t.home.title}</h1>
          <p className="hero-lead">{t.home.lead}</p>
          <SearchForm t={t} large id="home-q" />
          <p className="hero-suggestions">
            <span>{t.home.trySearch}</span>
            {t.home.suggestions.map((word) => (
              <Link key={word} href={searchHref({ q: word })} lang="zh-CN">
                {word}
              </Link>
            ))}
          </p>
        </div>
      </section>

      <section className="container section" aria-labelledby="figures-title">
        <h2 id="figures-title" className="visually-hidden">
          {t.home.figures}
        </h2>
        <ul className="figures">
          {figures.map((figure) => (
            <li key={figure.label}>
              <span className="figure-value">{formatNumber(figure.value, locale)}</span>
              <span className="figure-label">{figure.label}</span>
            </li>
          ))}
        </ul>
      </section>

      <section className="container section" aria-labelledby="themes-title">
        <div className="section-head">
          <h2 id="themes-title">{t.home.themes}</h2>
          <Link href="/themes">{t.home.allThemes} ›</Link>
        </div>
        <ul className="theme-grid">
          {shownThemes.map((theme) => (
            <li key={theme.code}>
              <Link href={`/themes/${theme.code}`} className="theme-tile">
                <span className="theme-name" lang="zh-CN">
                  {theme.name}
                </span>
                <span className="theme-meta">
                  {label('themeKind', theme.kind, locale)} ·{' '}
                  {t.themes.datasetCount(themeCounts.get(theme.code) ?? 0)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <div className="container two-columns section">
        <section aria-labelledby="newest-title">
          <div className="section-head">
            <h2 id="newest-title">{t.home.newest}</h2>
            <Link href="/search">{t.home.more} ›</Link>
          </div>
          <DatasetList hits={browse.items} t={t} locale={locale} />
        </section>
        <section aria-labelledby="popular-title">
          <div className="section-head">
            <h2 id="popular-title">{t.home.popular}</h2>
          </div>
          {popular.length > 0 ? (
            <>
              <p className="note">{t.home.popularNote}</p>
              <PopularList items={popular} t={t} locale={locale} />
            </>
          ) : (
            <>
              <p className="note">{usage.ok ? t.home.popularEmpty : t.home.popularUnavailable}</p>
              <DatasetList hits={browse.items} t={t} locale={locale} />
            </>
          )}
        </section>
      </div>

      <section className="container section" aria-labelledby="departments-title">
        <div className="section-head">
          <h2 id="departments-title">{t.home.departments}</h2>
          <Link href="/departments">{t.home.allDepartments} ›</Link>
        </div>
        <ul className="department-grid">
          {departments.slice(0, 16).map((department) => (
            <li key={department.value}>
              <Link href={`/departments/${department.value}`}>
                <span lang="zh-CN">{department.label}</span>
                <span className="count">{department.count}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
