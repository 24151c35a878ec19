import Link from 'next/link';
import type { PopularDataset } from '../lib/api/openUsage.ts';
import type { Locale } from '../lib/i18n/locales.ts';
import type { Messages } from '../lib/i18n/messages.ts';
import { OpenBadge } from './Badges.tsx';

/**
 * 最常用数据, most used first. An ordered list, because the order is the information: screen
 * readers announce each dataset's rank.
 */
export function PopularList({
  items,
  t,
  locale,
}: {
  items: PopularDataset[];
  t: Messages;
  locale: Locale;
}) {
  return (
    <ol className="dataset-list" data-testid="popular-list">
      {items.map((item) => (
        <li key={item.code}>
          <article className="dataset-card">
            <h3 className="dataset-card-title" lang="zh-CN">
              <Link href={`/datasets/${encodeURIComponent(item.code)}`}>{item.name}</Link>
            </h3>
            <p className="dataset-card-badges">
              <OpenBadge openType={item.openType} locale={locale} />
            </p>
            <dl className="dataset-card-meta">
              <div>
                <dt>{t.search.provider}</dt>
                <dd lang="zh-CN">
                  <Link href={`/departments/${encodeURIComponent(item.providerCode)}`}>
                    {item.providerName}
                  </Link>
                </dd>
              </div>
            </dl>
            <p className="note dataset-usage">{t.home.popularUsage(item.calls, item.downloads)}</p>
          </article>
        </li>
      ))}
    </ol>
  );
}
