import type { Metadata } from 'next';
import Link from 'next/link';
import { GrantScope } from '../../../components/console/approver/GrantUsage.tsx';
import { ListTable } from '../../../components/console/approver/ListTable.tsx';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { listGivenGrants, type Grant } from '../../../lib/console/approver/api.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import { formatDate } from '../../../lib/format.ts';
import { approverText } from '../../../lib/i18n/console/approver.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { UUID } from '../../../lib/ids.ts';
import '../../../components/console/approver/approver.css';
import { GrantStatusBadge } from '../../../components/console/approver/GrantStatusBadge.tsx';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: approverText(locale).grants.title };
}

const nameOf = (party: unknown) => String((party as { name?: unknown }).name ?? '');

/**
 * 共享授权: the grants the approver's department gave, with suspend / resume and a revocation
 * that first asks for confirmation on its own page state (`?confirm=<id>`), so it works as a
 * plain form and a misclick never revokes.
 */
export default async function GrantsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const gate = await requireStaff('/console/grants', 'grants');
  if (!gate.ok) return gate.page;
  const [{ locale }, params] = await Promise.all([getPrefs(), searchParams]);
  const a = approverText(locale);
  const g = a.grants;
  const [flash, grants] = await Promise.all([
    readFlash(params.flash),
    listGivenGrants(gate.staff.accessToken),
  ]);
  const items = grants.ok
    ? [...grants.data].sort((x, y) => (y.createdAt ?? '').localeCompare(x.createdAt ?? ''))
    : [];
  const confirmId =
    typeof params.confirm === 'string' && UUID.test(params.confirm) ? params.confirm : '';
  const change = params.change === 'suspend' ? 'suspend' : 'revoke';
  const confirming: Grant | undefined = items.find(
    (x) =>
      x.id === confirmId &&
      (x.status === 'active' || (change === 'revoke' && x.status === 'suspended')),
  );
  return (
    <>
      <h1>{g.title}</h1>
      <p className="lead">{g.lead}</p>
      <FlashMessage flash={flash} />
      {confirming ? (
        <section className="approver-confirm" aria-labelledby="confirm-title" role="alertdialog">
          <h2 id="confirm-title">{change === 'revoke' ? g.confirmTitle : g.suspendTitle}</h2>
          <p>
            {(change === 'revoke' ? g.confirmText : g.suspendText)(
              nameOf(confirming.consumer),
              nameOf(confirming.resource),
            )}
          </p>
          <form method="post" action="/console/grants/action" className="console-form">
            <input type="hidden" name="id" value={confirming.id} />
            <input type="hidden" name="op" value={change} />
            <input type="hidden" name="confirmed" value="yes" />
            <label>
              {change === 'revoke' ? g.reason : g.suspendReason}
              <textarea name="reason" rows={2} maxLength={4000} required />
            </label>
            <p className="inline-actions">
              <button type="submit" className="button primary">
                {change === 'revoke' ? g.confirm : g.suspendConfirm}
              </button>
              <Link className="button" href="/console/grants">
                {g.cancel}
              </Link>
            </p>
          </form>
        </section>
      ) : null}
      <ListTable
        ok={grants.ok}
        rows={items.length}
        text={{ loadFailed: a.loadFailed, empty: g.empty }}
        caption={g.caption}
        head={[g.request, g.consumer, g.resource, g.policy, g.validity, g.status, g.actions]}
        after={<p className="note">{g.usageNote}</p>}
      >
        {items.map((x) => {
          const live = x.status === 'active' || x.status === 'suspended';
          return (
            <tr key={x.id} id={`grant-${x.id}`}>
              <th scope="row">{x.requestNumber}</th>
              <td>{nameOf(x.consumer)}</td>
              <td>{nameOf(x.resource)}</td>
              <td>
                <GrantScope grant={x} text={g} />
              </td>
              <td>
                {g.until(formatDate(x.validFrom), x.validUntil ? formatDate(x.validUntil) : null)}
              </td>
              <td>
                <GrantStatusBadge grant={x} statuses={g.statuses} />
              </td>
              <td>
                {live ? (
                  <div className="approver-row-actions">
                    {x.status === 'active' ? (
                      <Link
                        className="button small"
                        href={`/console/grants?confirm=${x.id}&change=suspend`}
                        aria-label={`${g.suspend} ${x.requestNumber}`}
                      >
                        {g.suspend}
                      </Link>
                    ) : (
                      <form method="post" action="/console/grants/action">
                        <input type="hidden" name="id" value={x.id} />
                        <input type="hidden" name="op" value="resume" />
                        <button
                          type="submit"
                          className="button small"
                          aria-label={`${g.resume} ${x.requestNumber}`}
                        >
                          {g.resume}
                        </button>
                      </form>
                    )}
                    <Link
                      className="button small"
                      href={`/console/grants?confirm=${x.id}&change=revoke`}
                      aria-label={`${g.revoke} ${x.requestNumber}`}
                    >
                      {g.revoke}
                    </Link>
                  </div>
                ) : (
                  a.none
                )}
              </td>
            </tr>
          );
        })}
      </ListTable>
    </>
  );
}
