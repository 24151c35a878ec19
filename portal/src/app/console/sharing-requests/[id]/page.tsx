import type { Metadata } from 'next';
import Link from 'next/link';
import { NotLoaded } from '../../../../components/console/approver/NotLoaded.tsx';
import { PolicyEditor } from '../../../../components/console/approver/PolicyEditor.tsx';
import { RequestFacts } from '../../../../components/console/approver/RequestFacts.tsx';
import { FlashMessage } from '../../../../components/console/FlashMessage.tsx';
import { requestForPage } from '../../../../lib/console/approver/requestItems.ts';
import { readFlash } from '../../../../lib/console/flash.ts';
import { carriedValue, unsealForm } from '../../../../lib/console/carriedForm.ts';
import { requireStaff } from '../../../../lib/console/requireStaff.tsx';
import { approverText } from '../../../../lib/i18n/console/approver.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import '../../../../components/console/approver/approver.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: approverText(locale).requests.title };
}

/**
 * One sharing request as the provider's approver decides it: who asks, why, on which legal
 * basis, for which fields, how, for how long and how much; then the policy editor (approve) or
 * a reason (reject).
 */
export default async function SharingRequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const gate = await requireStaff(
    `/console/sharing-requests/${encodeURIComponent(id)}`,
    'sharingRequests',
  );
  if (!gate.ok) return gate.page;
  const [{ locale }, query] = await Promise.all([getPrefs(), searchParams]);
  const a = approverText(locale);
  const q = a.requests;
  const [flash, carried, loaded] = await Promise.all([
    readFlash(query.flash),
    unsealForm('console-policy-form', query.policy),
    requestForPage(gate.staff.accessToken, id, locale),
  ]);
  const back = (
    <p className="breadcrumb">
      <Link href="/console/sharing-requests">{a.back}</Link>
    </p>
  );
  if (!loaded?.ok) {
    return (
      <NotLoaded
        back={{ href: '/console/sharing-requests', label: a.back }}
        title={q.title}
        flash={flash}
        status={loaded?.status}
        text={a}
      />
    );
  }
  const { request: r, items, labels, purposes } = loaded.data;
  return (
    <>
      {back}
      <h1>{q.detailTitle(r.number)}</h1>
      <FlashMessage flash={flash} />
      <section aria-labelledby="request-facts" className="approver-section">
        <h2 id="request-facts" className="visually-hidden">
          {q.detailTitle(r.number)}
        </h2>
        <RequestFacts request={r} labels={labels} purposes={purposes} party="consumer" text={a} />
        {r.grantId ? (
          <p>
            <Link href={`/console/grants#grant-${r.grantId}`}>{q.grantLink}</Link>
          </p>
        ) : null}
      </section>
      {r.status === 'pending' ? (
        <>
          <section aria-labelledby="approve-title" className="approver-section approver-decide">
            <h2 id="approve-title">{q.approveTitle}</h2>
            <p className="hint">{q.approveLead}</p>
            <form method="post" action="/console/sharing-requests/action">
              <input type="hidden" name="op" value="approve" />
              <input type="hidden" name="id" value={r.id} />
              <PolicyEditor locale={locale} requestId={r.id} items={items} initial={carried} />
              <div className="approver-editor">
                <fieldset>
                  <legend>{a.editor.quotasLegend}</legend>
                  <div className="approver-grid">
                    <label>
                      {a.editor.recordsPerDay}（{a.editor.optional}）
                      <input
                        type="number"
                        name="recordsPerDay"
                        min={1}
                        step={1}
                        defaultValue={carriedValue(carried, 'recordsPerDay')}
                      />
                    </label>
                    <label>
                      {a.editor.requestsPerSecond}（{a.editor.optional}）
                      <input
                        type="number"
                        name="requestsPerSecond"
                        min={1}
                        max={10000}
                        step={1}
                        defaultValue={carriedValue(carried, 'requestsPerSecond')}
                      />
                    </label>
                    <label>
                      {a.editor.validFrom}（{a.editor.optional}）
                      <input
                        type="date"
                        name="validFrom"
                        defaultValue={carriedValue(carried, 'validFrom') ?? r.periodStart ?? ''}
                      />
                    </label>
                    <label>
                      {a.editor.validUntil}（{a.editor.optional}）
                      <input
                        type="date"
                        name="validUntil"
                        defaultValue={carriedValue(carried, 'validUntil') ?? r.periodEnd ?? ''}
                      />
                    </label>
                  </div>
                </fieldset>
                <label className="approver-stack">
                  {a.editor.comment}
                  <textarea
                    name="comment"
                    rows={3}
                    maxLength={4000}
                    defaultValue={carriedValue(carried, 'comment')}
                  />
                </label>
              </div>
              <p className="inline-actions">
                <button type="submit" className="button primary">
                  {q.approve}
                </button>
              </p>
            </form>
          </section>
          <section aria-labelledby="reject-title" className="approver-section">
            <h2 id="reject-title">{q.rejectTitle}</h2>
            <form method="post" action="/console/sharing-requests/action" className="console-form">
              <input type="hidden" name="op" value="reject" />
              <input type="hidden" name="id" value={r.id} />
              <label>
                {q.rejectReason}
                <textarea
                  name="reason"
                  rows={3}
                  maxLength={4000}
                  required
                  aria-describedby="reject-hint"
                />
                <span id="reject-hint" className="hint">
                  {q.rejectHint}
                </span>
              </label>
              <p className="inline-actions">
                <button type="submit" className="button">
                  {q.reject}
                </button>
              </p>
            </form>
          </section>
        </>
      ) : null}
    </>
  );
}
