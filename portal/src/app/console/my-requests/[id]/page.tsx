import type { Metadata } from 'next';
import Link from 'next/link';
import { NotLoaded } from '../../../../components/console/approver/NotLoaded.tsx';
import { GrantUsage } from '../../../../components/console/approver/GrantUsage.tsx';
import { RequestFacts } from '../../../../components/console/approver/RequestFacts.tsx';
import { FlashMessage } from '../../../../components/console/FlashMessage.tsx';
import { requestForPage } from '../../../../lib/console/approver/requestItems.ts';
import { getGrant } from '../../../../lib/console/consumer/api.ts';
import { grantTermsText } from '../../../../lib/console/consumer/grantTerms.ts';
import { readFlash } from '../../../../lib/console/flash.ts';
import { requireStaff } from '../../../../lib/console/requireStaff.tsx';
import { formatDate } from '../../../../lib/format.ts';
import { approverText } from '../../../../lib/i18n/console/approver.ts';
import { personLabel } from '../../../../lib/console/evidenceRows.ts';
import { consumerText } from '../../../../lib/i18n/console/consumer.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import '../../../../components/console/approver/approver.css';
import { GrantStatusBadge } from '../../../../components/console/approver/GrantStatusBadge.tsx';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: consumerText(locale).title };
}

/**
 * One of my department's sharing requests: what it asked, where it stands, and once granted what
 * the provider allowed (fields, masks, row filter, quotas, validity) and the grant's state; a
 * pending request can be withdrawn.
 */
export default async function MyRequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const gate = await requireStaff(`/console/my-requests/${encodeURIComponent(id)}`, 'myRequests');
  if (!gate.ok) return gate.page;
  const [{ locale }, query] = await Promise.all([getPrefs(), searchParams]);
  const a = approverText(locale);
  const t = consumerText(locale);
  const token = gate.staff.accessToken;
  const [flash, loaded] = await Promise.all([
    readFlash(query.flash),
    requestForPage(token, id, locale),
  ]);
  const back = (
    <p className="breadcrumb">
      <Link href="/console/my-requests">{a.back}</Link>
    </p>
  );
  if (!loaded?.ok) {
    return (
      <NotLoaded
        back={{ href: '/console/my-requests', label: a.back }}
        title={t.title}
        flash={flash}
        status={loaded?.status}
        text={a}
      />
    );
  }
  const { request: r, labels, purposes } = loaded.data;
  const grant = r.grantId ? await getGrant(token, r.grantId) : undefined;
  const terms = grant?.ok ? grantTermsText(grant.data.policy, { a, t, labels }) : undefined;
  return (
    <>
      {back}
      <h1>{t.detailTitle(r.number)}</h1>
      <FlashMessage flash={flash} />
      <section aria-labelledby="request-facts" className="approver-section">
        <h2 id="request-facts" className="visually-hidden">
          {t.detailTitle(r.number)}
        </h2>
        <RequestFacts request={r} labels={labels} purposes={purposes} party="provider" text={a} />
      </section>
      {grant && !grant.ok ? (
        <p className="notice notice-error" role="alert">
          {a.loadFailed}
        </p>
      ) : null}
      {grant?.ok && terms ? (
        <section aria-labelledby="grant-terms" className="approver-section">
          <h2 id="grant-terms">{t.grantTitle}</h2>
          <dl className="approver-facts" data-testid="grant-terms">
            <div>
              <dt>{t.grantStatus}</dt>
              <dd>
                <GrantStatusBadge grant={grant.data} statuses={a.grants.statuses} />
                {grant.data.statusReason ? `（${grant.data.statusReason}）` : ''}
              </dd>
            </div>
            <div>
              <dt>{t.grantFields}</dt>
              <dd>{terms.fields}</dd>
            </div>
            <div>
              <dt>{t.grantMasks}</dt>
              <dd>
                {terms.masks.map((m) => (
                  <span key={m} className="approver-term">
                    {m}
                  </span>
                ))}
              </dd>
            </div>
            <div>
              <dt>{t.grantFilter}</dt>
              <dd>{terms.filter}</dd>
            </div>
            <div>
              <dt>{t.grantQuotas}</dt>
              <dd>
                {terms.quotas}
                <GrantUsage grant={grant.data} text={a.grants} />
              </dd>
            </div>
            <div>
              <dt>{t.grantValidity}</dt>
              <dd>
                {a.grants.until(
                  formatDate(grant.data.validFrom),
                  grant.data.validUntil ? formatDate(grant.data.validUntil) : null,
                )}
              </dd>
            </div>
            <div>
              <dt>{a.requests.modes}</dt>
              <dd>{grant.data.deliveryModes.map((m) => a.modes[m] ?? m).join('、')}</dd>
            </div>
            <div>
              <dt>{t.grantedBy}</dt>
              <dd>
                {personLabel(grant.data.grantedBy, grant.data.grantedByName, a.automatic) ?? a.none}
              </dd>
            </div>
          </dl>
          <p className="hint">{t.callNote}</p>
        </section>
      ) : null}
      {r.status === 'pending' ? (
        <section aria-labelledby="withdraw-title" className="approver-section">
          <h2 id="withdraw-title">{t.withdrawTitle}</h2>
          <p className="hint">{t.withdrawLead}</p>
          <form method="post" action="/console/my-requests/action">
            <input type="hidden" name="op" value="withdraw" />
            <input type="hidden" name="id" value={r.id} />
            <button type="submit" className="button">
              {t.withdraw}
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}
