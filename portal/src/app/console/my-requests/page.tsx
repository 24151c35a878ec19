import type { Metadata } from 'next';
import Link from 'next/link';
import { Deadline } from '../../../components/console/approver/Deadline.tsx';
import { GrantScope } from '../../../components/console/approver/GrantUsage.tsx';
import { partyName } from '../../../components/console/approver/RequestFacts.tsx';
import { StatusFilters } from '../../../components/console/approver/StatusFilters.tsx';
import { ListTable } from '../../../components/console/approver/ListTable.tsx';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import type { RequestStatus } from '../../../lib/console/approver/api.ts';
import { urgentFirst } from '../../../lib/console/approver/deadline.ts';
import { listHeldGrants, listMyRequests } from '../../../lib/console/consumer/api.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { approverText } from '../../../lib/i18n/console/approver.ts';
import { consumerText } from '../../../lib/i18n/console/consumer.ts';
import { raisedText } from '../../../lib/i18n/console/raised.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import '../../../components/console/approver/approver.css';
import { GrantStatusBadge } from '../../../components/console/approver/GrantStatusBadge.tsx';

export const dynamic = 'force-dynamic';

const FILTERS = ['all', 'pending', 'approved', 'rejected'] as const;
type Filter = (typeof FILTERS)[number];

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: consumerText(locale).title };
}

/**
 * 本部门申请: the sharing requests the steward's department made (pending first, by deadline),
 * and the grants it holds, with the way to a new request.
 */
export default async function MyRequestsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const filter: Filter = FILTERS.includes(params.status as Filter)
    ? (params.status as Filter)
    : 'all';
  const gate = await requireStaff(`/console/my-requests?status=${filter}`, 'myRequests');
  if (!gate.ok) return gate.page;
  const { locale } = await getPrefs();
  const a = approverText(locale);
  const t = consumerText(locale);
  const raised = raisedText(locale);
  const q = a.requests;
  const token = gate.staff.accessToken;
  const [flash, requests, grants] = await Promise.all([
    readFlash(params.flash),
    listMyRequests(token, filter === 'all' ? undefined : (filter as RequestStatus)),
    listHeldGrants(token),
  ]);
  const items = requests.ok ? [...requests.data].sort(urgentFirst) : [];
  const held = grants.ok
    ? [...grants.data].sort((x, y) => (y.createdAt ?? '').localeCompare(x.createdAt ?? ''))
    : [];
  return (
    <>
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <FlashMessage flash={flash} />
      <p className="inline-actions">
        <Link className="button primary" href="/console/my-requests/new">
          {t.newRequest}
        </Link>
      </p>
      <section aria-labelledby="my-requests" className="approver-section">
        <h2 id="my-requests">{t.requestsTitle}</h2>
        <StatusFilters
          label={t.filterLabel}
          base="/console/my-requests"
          filters={FILTERS}
          current={filter}
          names={q.filters}
        />
        <ListTable
          ok={requests.ok}
          rows={items.length}
          text={{ loadFailed: a.loadFailed, empty: t.empty }}
          caption={t.caption}
          head={[q.number, q.resource, t.provider, q.createdAt, q.status, q.deadline]}
        >
          {items.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                <Link href={`/console/my-requests/${r.id}`}>{r.number}</Link>
              </th>
              <td>{partyName(r.resource)}</td>
              <td>{partyName(r.provider)}</td>
              <td>{formatDateTime(r.createdAt)}</td>
              <td>
                <span className={`approver-status approver-status-${r.status}`}>
                  {q.statuses[r.status] ?? r.status}
                </span>
              </td>
              <td>
                {r.status === 'pending' ? <Deadline deadlineAt={r.deadlineAt} text={q} /> : a.none}
              </td>
            </tr>
          ))}
        </ListTable>
      </section>
      <section aria-labelledby="held-grants" className="approver-section">
        <h2 id="held-grants">{t.grantsTitle}</h2>
        <p className="hint">{t.grantsLead}</p>
        <ListTable
          ok={grants.ok}
          rows={held.length}
          text={{ loadFailed: a.loadFailed, empty: t.grantsEmpty }}
          caption={t.grantsCaption}
          head={[
            a.grants.request,
            a.grants.resource,
            t.provider,
            a.grants.policy,
            a.grants.validity,
            a.grants.status,
          ]}
        >
          {held.map((g) => (
            <tr key={g.id} id={`grant-${g.id}`}>
              <th scope="row">
                <Link href={`/console/my-requests/${g.requestNumber}`}>{g.requestNumber}</Link>
              </th>
              <td>{partyName(g.resource)}</td>
              <td>{partyName(g.provider)}</td>
              <td>
                <GrantScope grant={g} text={a.grants} />
              </td>
              <td>
                {a.grants.until(
                  formatDate(g.validFrom),
                  g.validUntil ? formatDate(g.validUntil) : null,
                )}
              </td>
              <td>
                <GrantStatusBadge grant={g} statuses={a.grants.statuses} />
                {g.statusReason ? <span className="hint"> {g.statusReason}</span> : null}
                {g.status === 'active' ? (
                  <>
                    {' '}
                    <Link
                      href={`/console/objections/new?grant=${g.id}`}
                      aria-label={raised.choose(partyName(g.resource))}
                    >
                      {raised.chooseShort}
                    </Link>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </ListTable>
        <p className="note">{a.grants.usageNote}</p>
      </section>
    </>
  );
}
