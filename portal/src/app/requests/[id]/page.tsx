import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { RequestAnswer, RequestStatus } from '../../../components/requests/RequestAnswer.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { getDataRequest } from '../../../lib/api/dataRequests.ts';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { currentSession } from '../../../lib/auth/currentSession.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { single, type QueryParams } from '../../../lib/searchState.ts';
import { UUID } from '../../../lib/ids.ts';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<QueryParams> };

/** notFound() here as in the page, so that a 404's title is 页面不存在 (not-found.tsx) */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  // the request is public: read without the session, as the page does when its token is refused
  const result = await getDataRequest(id).catch(() => undefined);
  if (result?.kind === 'not-found') notFound();
  const { t } = await getPrefs();
  return { title: t.requests.title };
}

/**
 * One 数据需求 with the department's answer. The requester, signed in, also sees the contact they
 * left (the catalog shows it to nobody else but the answering department).
 */
export default async function RequestPage({ params, searchParams }: Props) {
  const [{ id }, query, { t }, session] = await Promise.all([
    params,
    searchParams,
    getPrefs(),
    currentSession(),
  ]);
  if (!UUID.test(id)) notFound();
  const m = t.requests;
  const token = session.kind === 'active' ? session.session.accessToken : undefined;
  const loaded = await whenAvailable(() => getDataRequest(id, token));
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  // a stale token is refused: the page is public, so read it again without one
  const result =
    loaded.value.kind === 'refused'
      ? await getDataRequest(id).catch(() => undefined)
      : loaded.value;
  if (!result || result.kind !== 'ok') notFound();
  const r = result.data;

  return (
    <div className="container section">
      <p className="breadcrumb">
        <Link href="/requests">{m.back}</Link>
      </p>
      {single(query.created) ? (
        <p className="notice" role="status">
          {m.created}
        </p>
      ) : null}
      <h1 lang="zh-CN">{r.title}</h1>
      <p>
        <RequestStatus request={r} t={t} />
      </p>
      <p className="abstract request-description" lang="zh-CN">
        {r.description}
      </p>
      <dl className="key-facts">
        <div>
          <dt>{m.wanted}</dt>
          <dd lang="zh-CN">{r.wantedDepartment?.name ?? m.anyDepartment}</dd>
        </div>
        <div>
          <dt>{m.askedAt}</dt>
          <dd>{formatDateTime(r.createdAt)}</dd>
        </div>
        {r.contact ? (
          <div>
            <dt>{m.contact}</dt>
            <dd>{r.contact}</dd>
          </div>
        ) : null}
      </dl>
      <section aria-labelledby="answer-title" className="section">
        <h2 id="answer-title">{m.answerTitle}</h2>
        <RequestAnswer request={r} t={t} />
      </section>
    </div>
  );
}
