import type { Metadata } from 'next';
import Link from 'next/link';
import { Pagination } from '../../components/Pagination.tsx';
import { RequestAnswer, RequestStatus } from '../../components/requests/RequestAnswer.tsx';
import { ServiceUnavailable } from '../../components/ServiceUnavailable.tsx';
import { listDataRequests } from '../../lib/api/dataRequests.ts';
import { whenAvailable } from '../../lib/api/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { getPrefs } from '../../lib/prefs.ts';
import { pageNumber, type QueryParams } from '../../lib/searchState.ts';

export const dynamic = 'force-dynamic';

const PAGE_SIZE = 10;
/** the catalog pages up to 10 000; nobody reads that far back in a list */
const MAX_PAGE = 1000;

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.requests.title };
}

/** 数据需求: every request, newest first, with the departments' public answers. */
export default async function RequestsPage({
  searchParams,
}: {
  searchParams: Promise<QueryParams>;
}) {
  const [{ t }, query] = await Promise.all([getPrefs(), searchParams]);
  const m = t.requests;
  const page = pageNumber(query.page, MAX_PAGE);
  const loaded = await whenAvailable(() => listDataRequests(page, PAGE_SIZE));
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  const { items, total } = loaded.value;
  const pages = Math.min(MAX_PAGE, Math.max(1, Math.ceil(total / PAGE_SIZE)));

  return (
    <div className="container section">
      <h1>{m.title}</h1>
      <p className="lead">{m.lead}</p>
      <p>
        <Link href="/requests/new" className="button primary">
          {m.ask}
        </Link>
      </p>
      <p className="count-note" role="status">
        {m.total(total)}
      </p>
      {items.length === 0 ? (
        <p>{m.none}</p>
      ) : (
        <ol className="request-list">
          {items.map((r) => (
            <li key={r.id}>
              <article className="dataset-card" data-request-id={r.id}>
                <h2 className="dataset-card-title" lang="zh-CN">
                  <Link href={`/requests/${r.id}`}>{r.title}</Link>
                </h2>
                <p className="dataset-card-badges">
                  <RequestStatus request={r} t={t} />
                </p>
                <p className="dataset-card-abstract" lang="zh-CN">
                  {r.description}
                </p>
                <dl className="dataset-card-meta">
                  <div>
                    <dt>{m.wanted}</dt>
                    <dd lang="zh-CN">{r.wantedDepartment?.name ?? m.anyDepartment}</dd>
                  </div>
                  <div>
                    <dt>{m.askedAt}</dt>
                    <dd>{formatDate(r.createdAt)}</dd>
                  </div>
                </dl>
                <section aria-label={`${m.answerTitle}：${r.title}`}>
                  <RequestAnswer request={r} t={t} />
                </section>
              </article>
            </li>
          ))}
        </ol>
      )}
      <Pagination
        current={page}
        total={pages}
        href={(p) => (p > 1 ? `/requests?page=${p}` : '/requests')}
        t={t}
        label={m.pagination}
      />
    </div>
  );
}
