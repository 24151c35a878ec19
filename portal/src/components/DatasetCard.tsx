import Link from 'next/link';
import type { SearchHit } from '../lib/api/catalog.ts';
import { formatDate } from '../lib/format.ts';
import { label } from '../lib/i18n/labels.ts';
import type { Locale } from '../lib/i18n/locales.ts';
import type { Messages } from '../lib/i18n/messages.ts';
import { OpenBadge, PlainBadge } from './Badges.tsx';

/**
 * One dataset in a list. Search highlights come from the catalog HTML-escaped with only
 * `<em>` added (catalog-search.yaml says they are safe to insert as HTML).
 */
export function DatasetCard({
  hit,
  t,
  locale,
  headingLevel = 3,
}: {
  hit: SearchHit;
  t: Messages;
  locale: Locale;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const href = `/datasets/${encodeURIComponent(hit.code)}`;
  return (
    <article className="dataset-card">
      <Heading className="dataset-card-title" lang="zh-CN">
        {hit.highlights ? (
          <Link href={href}>
            <span dangerouslySetInnerHTML={{ __html: hit.highlights.name }} />
          </Link>
        ) : (
          <Link href={href}>{hit.name}</Link>
        )}
      </Heading>
      <p className="dataset-card-badges">
        <OpenBadge openType={hit.openType} locale={locale} />
        <PlainBadge>{label('updateCycle', hit.updateCycle, locale)}</PlainBadge>
        <PlainBadge>{label('format', hit.format, locale)}</PlainBadge>
      </p>
      {hit.highlights ? (
        <p
          lang="zh-CN"
          className="dataset-card-abstract"
          dangerouslySetInnerHTML={{ __html: hit.highlights.abstract }}
        />
      ) : (
        <p className="dataset-card-abstract" lang="zh-CN">
          {hit.abstract}
        </p>
      )}
      <dl className="dataset-card-meta">
        <div>
          <dt>{t.search.provider}</dt>
          <dd lang="zh-CN">
            <Link href={`/departments/${encodeURIComponent(hit.provider.code)}`}>
              {hit.provider.name}
            </Link>
          </dd>
        </div>
        <div>
          <dt>{t.search.theme}</dt>
          <dd lang="zh-CN">
            <Link href={`/themes/${encodeURIComponent(hit.theme.code)}`}>{hit.theme.name}</Link>
          </dd>
        </div>
        <div>
          {/* no data yet: the publication day, named as such (the dataset page says 尚无数据) */}
          <dt>{hit.dataUpdatedAt ? t.search.updated : t.search.published}</dt>
          <dd>{formatDate(hit.dataUpdatedAt ?? hit.publishedAt)}</dd>
        </div>
      </dl>
    </article>
  );
}

export function DatasetList({
  hits,
  t,
  locale,
  headingLevel,
}: {
  hits: SearchHit[];
  t: Messages;
  locale: Locale;
  headingLevel?: 2 | 3;
}) {
  return (
    <ul className="dataset-list">
      {hits.map((hit) => (
        <li key={hit.code}>
          <DatasetCard hit={hit} t={t} locale={locale} headingLevel={headingLevel} />
        </li>
      ))}
    </ul>
  );
}
