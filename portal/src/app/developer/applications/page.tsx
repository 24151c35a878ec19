import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { CopyButton } from '../../../components/CopyButton.tsx';
import { ConfirmStep } from '../../../components/developer/ConfirmStep.tsx';
import {
  NotADeveloper,
  SessionProblem,
  SignInPrompt,
} from '../../../components/developer/SignInPrompt.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { listMyApplications, type OpenApplication } from '../../../lib/api/openApplications.ts';
import { currentSession } from '../../../lib/auth/currentSession.ts';
import { takeSecret } from '../../../lib/auth/revealOnce.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import type { Messages } from '../../../lib/i18n/messages.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { queryParam } from '../../../lib/queryParam.ts';

export const dynamic = 'force-dynamic';

const SELF = '/developer/applications';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.applications.title };
}

const STATUS_BADGE: Record<string, string> = {
  submitted: 'badge badge-plain',
  approved: 'badge badge-open-open',
  rejected: 'badge badge-plain',
  cancelled: 'badge badge-plain',
  expired: 'badge badge-plain',
};

/** The decision: what was approved (and whether its key was claimed), or why it was not. */
function Result({ application: a, t }: { application: OpenApplication; t: Messages }) {
  const m = t.applications;
  if (a.status === 'rejected' && a.rejectReason)
    return (
      <div className="application-result">
        <p>{m.reason(a.rejectReason)}</p>
      </div>
    );
  if (a.status !== 'approved') return <>—</>;
  const actions = t.list(a.grantedActions.map((x) => t.developer.action[x] ?? x));
  return (
    <div className="application-result">
      <p>{m.granted(actions)}</p>
      {a.dailyQuota ? <p>{m.quota(a.dailyQuota)}</p> : null}
      {a.validUntil ? <p>{m.validUntil(formatDate(a.validUntil))}</p> : null}
      {a.keyClaimed ? (
        <p>
          <Link href="/developer/keys">{m.claimed}</Link>
        </p>
      ) : null}
    </div>
  );
}

/**
 * What the developer can do with the application: withdraw it while it waits, claim the key
 * once it is approved. In a column of their own, so that 审核结果 heads only the decision.
 */
function Actions({ application: a, t }: { application: OpenApplication; t: Messages }) {
  const m = t.applications;
  if (a.status === 'submitted')
    // a link to the confirmation step, so that withdrawing works without JavaScript
    return (
      <Link
        href={`${SELF}?withdraw=${a.id}#confirm`}
        className="button small danger"
        aria-label={t.labelled(m.withdraw, a.resourceName)}
      >
        {m.withdraw}
      </Link>
    );
  if (a.status !== 'approved' || a.keyClaimed) return <>—</>;
  return (
    <form method="post" action={`${SELF}/action`}>
      <input type="hidden" name="op" value="claim" />
      <input type="hidden" name="id" value={a.id} />
      <button
        type="submit"
        className="button small primary"
        aria-label={t.labelled(m.claim, a.resourceName)}
      >
        {m.claim}
      </button>
    </form>
  );
}

/**
 * 我的开放申请: the developer's applications for 有条件开放 data with their status (待审核, 已批准,
 * 已驳回 with the reason), and on an approved one the button that claims its key, shown once on
 * the page the claim redirects to.
 */
export default async function ApplicationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ t }, session, params] = await Promise.all([getPrefs(), currentSession(), searchParams]);
  const m = t.applications;
  if (session.kind === 'signed-out')
    return <SignInPrompt t={t} next={SELF} text={t.applications.signInText} />;
  if (session.kind === 'invalid') return <SessionProblem t={t} next={SELF} />;
  if (session.kind === 'renew') {
    const back = new URLSearchParams(
      Object.entries(params).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
    ).toString();
    redirect(`/auth/renew?next=${encodeURIComponent(back ? `${SELF}?${back}` : SELF)}`);
  }
  const { accessToken, sub } = session.session;
  const loaded = await whenAvailable(() => listMyApplications(accessToken));
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  if (loaded.value.kind !== 'ok') return <NotADeveloper t={t} next={SELF} answer={loaded.value} />;
  const applications = loaded.value.data;
  const revealed = takeSecret(queryParam(params.reveal), sub);
  // sealed by the form's action: a link cannot make this page say anything
  const flash = await readFlash(params.flash);
  const error = queryParam(params.error);
  const withdrawing = applications.find(
    (a) => a.id === queryParam(params.withdraw) && a.status === 'submitted',
  );

  return (
    <div className="container section">
      <p className="breadcrumb">
        <Link href="/developer">{t.developer.title}</Link>
      </p>
      <h1>{m.title}</h1>
      <p className="lead">{m.lead}</p>

      {revealed ? (
        <section className="secret-box" aria-labelledby="secret-title" role="status">
          <h2 id="secret-title">{m.keyTitle}</h2>
          <p>{m.keyText(revealed.keyName)}</p>
          <div className="code-sample">
            <div className="code-head">
              <span>API key</span>
              <CopyButton
                text={revealed.secret}
                label={t.developer.copy}
                done={t.developer.copied}
              />
            </div>
            <pre tabIndex={0}>
              <code id="new-key-secret">{revealed.secret}</code>
            </pre>
          </div>
          <p className="note">{t.developer.newSecretHint}</p>
        </section>
      ) : null}
      <FlashMessage flash={flash} />
      {withdrawing ? (
        <ConfirmStep
          t={t}
          title={m.withdrawTitle(withdrawing.resourceName)}
          text={m.withdrawText}
          action={`${SELF}/action`}
          fields={{ op: 'cancel', id: withdrawing.id }}
          button={m.withdrawButton}
          back={SELF}
        />
      ) : null}
      {error ? (
        <p className="notice notice-error" role="alert">
          {error === 'claimed' ? m.errorClaimed : m.errorFailed}
        </p>
      ) : null}

      <section aria-labelledby="applications-title" className="section">
        <h2 id="applications-title" className="visually-hidden">
          {m.title}
        </h2>
        {applications.length === 0 ? (
          <p>{m.none}</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table applications-table">
              <caption className="visually-hidden">{m.title}</caption>
              <thead>
                <tr>
                  <th scope="col">{m.colDataset}</th>
                  <th scope="col">{m.colProvider}</th>
                  <th scope="col">{m.colSubmitted}</th>
                  <th scope="col">{m.colStatus}</th>
                  <th scope="col">{m.colResult}</th>
                  <th scope="col">{m.colActions}</th>
                </tr>
              </thead>
              <tbody>
                {applications.map((a) => (
                  <tr key={a.id} data-application-id={a.id}>
                    <th scope="row">
                      <Link href={`/datasets/${encodeURIComponent(a.resourceCode)}`} lang="zh-CN">
                        {a.resourceName}
                      </Link>
                    </th>
                    <td lang="zh-CN">{a.providerName}</td>
                    <td>{formatDateTime(a.createdAt)}</td>
                    <td>
                      <span className={STATUS_BADGE[a.status] ?? 'badge badge-plain'}>
                        {m.status[a.status] ?? a.status}
                      </span>
                    </td>
                    <td>
                      <Result application={a} t={t} />
                    </td>
                    <td>
                      <Actions application={a} t={t} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
