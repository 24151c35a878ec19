import type { Metadata } from 'next';
import Link from 'next/link';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { listEntriesInReview } from '../../../lib/console/approver/api.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { approverText } from '../../../lib/i18n/console/approver.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import '../../../components/console/approver/approver.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: approverText(locale).reviews.title };
}

/** 目录审核: the entries 审核中 that wait for the data authority's decision, oldest first. */
export default async function ReviewQueuePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const gate = await requireStaff('/console/reviews', 'reviews');
  if (!gate.ok) return gate.page;
  const [{ locale }, params] = await Promise.all([getPrefs(), searchParams]);
  const a = approverText(locale);
  const r = a.reviews;
  const [flash, entries] = await Promise.all([
    readFlash(params.flash),
    listEntriesInReview(gate.staff.accessToken),
  ]);
  const items = entries.ok
    ? [...entries.data].sort((x, y) => x.updatedAt.localeCompare(y.updatedAt))
    : [];
  return (
    <>
      <h1>{r.title}</h1>
      <p className="lead">{r.lead}</p>
      <FlashMessage flash={flash} />
      {!entries.ok ? (
        <p className="notice notice-error" role="alert">
          {a.loadFailed}
        </p>
      ) : items.length === 0 ? (
        <p className="approver-empty">{r.empty}</p>
      ) : (
        <table className="console-table">
          <caption className="visually-hidden">{r.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{r.name}</th>
              <th scope="col">{r.provider}</th>
              <th scope="col">{r.sharing}</th>
              <th scope="col">{r.open}</th>
              <th scope="col">{r.submittedAt}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.code}>
                <th scope="row">
                  <Link href={`/console/reviews/${e.code}`}>{e.name}</Link>
                  <div className="approver-code">{e.code}</div>
                </th>
                <td>{e.provider.name}</td>
                <td>{a.sharingTypes[e.sharingType] ?? e.sharingType}</td>
                <td>{a.openTypes[e.openType] ?? e.openType}</td>
                <td>{formatDateTime(e.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
