import type { Metadata } from 'next';
import Link from 'next/link';
import { Deadline } from '../../../components/console/approver/Deadline.tsx';
import { StatusFilters } from '../../../components/console/approver/StatusFilters.tsx';
import { ListTable } from '../../../components/console/approver/ListTable.tsx';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { listInbox, type RequestStatus } from '../../../lib/console/approver/api.ts';
import { urgentFirst } from '../../../lib/console/approver/deadline.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { approverText } from '../../../lib/i18n/console/approver.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import '../../../components/console/approver/approver.css';

export const dynamic = 'force-dynamic';

const FILTERS = ['pending', 'approved', 'rejected', 'all'] as const;
type Filter = (typeof FILTERS)[number];

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: approverText(locale).requests.title };
}

/**
 * 共享申请 inbox: requests addressed to the approver's department. Pending ones come first by
 * deadline, so the most urgent is on top; the deadline counts working days as the exchange does.
 */
export default async function SharingInboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const filter: Filter = FILTERS.includes(params.status as Filter)
    ? (params.status as Filter)
    : 'pending';
  const gate = await requireStaff(`/console/sharing-requests?status=${filter}`, 'sharingRequests');
  if (!gate.ok) return gate.page;
  const { locale } = await getPrefs();
  const a = approverText(locale);
  const q = a.requests;
  const [flash, inbox] = await Promise.all([
    readFlash(params.flash),
    listInbox(gate.staff.accessToken, filter === 'all' ? undefined : (filter as RequestStatus)),
  ]);
  const items = inbox.ok ? [...inbox.data].sort(urgentFirst) : [];
  return (
    <>
      <h1>{q.title}</h1>
      <p className="lead">{q.lead}</p>
      <FlashMessage flash={flash} />
      <StatusFilters
        label={q.filterLabel}
        base="/console/sharing-requests"
        filters={FILTERS}
        current={filter}
        names={q.filters}
      />
      <ListTable
        ok={inbox.ok}
        rows={items.length}
        text={{ loadFailed: a.loadFailed, empty: q.empty }}
        caption={q.caption}
        head={[q.number, q.resource, q.consumer, q.purpose, q.createdAt, q.deadline, q.status]}
      >
        {items.map((r) => (
          <tr key={r.id}>
            <th scope="row">
              <Link href={`/console/sharing-requests/${r.id}`}>{r.number}</Link>
            </th>
            <td>{String((r.resource as { name?: unknown }).name ?? '')}</td>
            <td>{String((r.consumer as { name?: unknown }).name ?? '')}</td>
            <td>{r.purposeText}</td>
            <td>{formatDateTime(r.createdAt)}</td>
            <td>
              {r.status === 'pending' ? <Deadline deadlineAt={r.deadlineAt} text={q} /> : a.none}
            </td>
            <td>
              <span className={`approver-status approver-status-${r.status}`}>
                {q.statuses[r.status] ?? r.status}
              </span>
            </td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}
