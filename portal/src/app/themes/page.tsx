import type { Metadata } from 'next';
import Link from 'next/link';
import { ServiceUnavailable } from '../../components/ServiceUnavailable.tsx';
import { listThemes, searchResources } from '../../lib/api/catalog.ts';
import { whenAvailable } from '../../lib/api/errors.ts';
import { browseState } from '../../lib/emptySearch.ts';
import { label } from '../../lib/i18n/labels.ts';
import { getPrefs } from '../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.themes.title };
}

/** 数据主题: the five base databases, then the thematic domains, with their open datasets. */
export default async function ThemesPage() {
  const { t, locale } = await getPrefs();
  const loaded = await whenAvailable(() =>
    Promise.all([listThemes(), searchResources({ ...browseState(), pageSize: 1 })]),
  );
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  const [themes, browse] = loaded.value;
  const counts = new Map(browse.facets.theme.map((b) => [b.value, b.count]));
  const groups = (['base', 'domain'] as const).map((kind) => ({
    kind,
    themes: themes.filter((theme) => theme.kind === kind),
  }));
  return (
    <div className="container section">
      <h1>{t.themes.title}</h1>
      <p className="lead">{t.themes.lead}</p>
      {groups.map((group) =>
        group.themes.length ? (
          <section key={group.kind} aria-labelledby={`themes-${group.kind}`} className="section">
            <h2 id={`themes-${group.kind}`}>{label('themeKind', group.kind, locale)}</h2>
            <ul className="theme-grid">
              {group.themes.map((theme) => (
                <li key={theme.code}>
                  <Link href={`/themes/${theme.code}`} className="theme-tile">
                    <span className="theme-name" lang="zh-CN">
                      {theme.name}
                    </span>
                    <span className="theme-meta">
                      {t.themes.datasetCount(counts.get(theme.code) ?? 0)}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ) : null,
      )}
    </div>
  );
}
