import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { DatasetList } from '../../../components/DatasetCard.tsx';
import { Pagination } from '../../../components/Pagination.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { getDepartment, searchResources } from '../../../lib/api/catalog.ts';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { browseState } from '../../../lib/emptySearch.ts';
import { label } from '../../../lib/i18n/labels.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { MAX_PAGE, pageNumber, searchHref, type QueryParams } from '../../../lib/searchState.ts';

export const dynamic = 'force-dynamic';

const CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const PAGE_SIZE = 10;

type Props = { params: Promise<{ code: string }>; searchParams: Promise<QueryParams> };

const getDepartmentOnce = cache(getDepartment);

/** notFound() here as in the page, so that a 404's title is 页面不存在 (not-found.tsx) */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { code } = await params;
  if (!CODE.test(code)) notFound();
  const result = await getDepartmentOnce(code).catch(() => undefined);
  if (result && result.kind !== 'ok') notFound();
  return result ? { title: result.data.name } : {};
}

/** One department: who it is, how to reach it, and the data it opens. */
export default async function DepartmentPage({ params, searchParams }: Props) {
  const [{ code }, query] = await Promise.all([params, searchParams]);
  if (!CODE.test(code)) notFound();
  const { t, locale } = await getPrefs();
  const page = pageNumber(query.page, MAX_PAGE);
  const loaded = await whenAvailable(() =>
    Promise.all([
      getDepartmentOnce(code),
      searchResources({
        ...browseState({ department: [code], page }),
        pageSize: PAGE_SIZE,
        sort: 'recent',
      }),
    ]),
  );
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  const [department, result] = loaded.value;
  if (department.kind !== 'ok') notFound();
  const d = department.data;
  const pages = Math.min(Math.ceil(result.total / PAGE_SIZE), MAX_PAGE);
  return (
    <div className="container section">
      <nav aria-label={t.dataset.breadcrumb} className="breadcrumb">
        <ol>
          <li>
            <Link href="/">{t.nav.home}</Link>
          </li>
          <li>
            <Link href="/departments">{t.nav.departments}</Link>
          </li>
          <li>
            <span aria-current="page" lang="zh-CN">
              {d.name}
            </span>
          </li>
        </ol>
      </nav>
      <h1 lang="zh-CN">{d.name}</h1>
      <dl className="key-facts">
        <div>
          <dt>{t.departments.region}</dt>
          <dd lang="zh-CN">{d.regionName}</dd>
        </div>
        <div>
          <dt>{t.departments.kind}</dt>
          <dd>{label('departmentKind', d.kind, locale)}</dd>
        </div>
        <div>
          <dt>{t.departments.datasets}</dt>
          <dd>{t.departments.datasetCount(result.total)}</dd>
        </div>
        {d.contactPhone || d.contactEmail ? (
          <div>
            <dt>{t.departments.contact}</dt>
            <dd>{[d.contactName, d.contactPhone, d.contactEmail].filter(Boolean).join(' · ')}</dd>
          </div>
        ) : null}
      </dl>
      <section aria-labelledby="department-datasets" className="section">
        <div className="section-head">
          <h2 id="department-datasets">{t.departments.list(d.name)}</h2>
          <Link href={searchHref({ department: [code] })}>{t.search.title} ›</Link>
        </div>
        <DatasetList hits={result.items} t={t} locale={locale} />
        <Pagination
          current={page}
          total={pages}
          href={(p) => `/departments/${code}${p > 1 ? `?page=${p}` : ''}`}
          t={t}
        />
      </section>
    </div>
  );
}
