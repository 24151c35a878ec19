import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import {
  NotADeveloper,
  SessionProblem,
  SignInPrompt,
} from '../../../components/developer/SignInPrompt.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { listMyObjections, type Objection } from '../../../lib/api/objections.ts';
import { RAISER_STEPS_FROM } from '../../../lib/console/steward/feedback.ts';
import { currentSession } from '../../../lib/auth/currentSession.ts';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import type { Messages } from '../../../lib/i18n/messages.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { queryParam } from '../../../lib/queryParam.ts';

export const dynamic = 'force-dynamic';

const SELF = '/developer/reports';
/** the exchange's objection number, as the handler passes it on */
const NUMBER = /^YY[0-9]{8,20}$/;

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.reports.title };
}

/** The provider's latest answer: its decision and reply, or that none has come yet. */
function Answer({ objection: o, t }: { objection: Objection; t: Messages }) {
  const r = t.reports;
  if (!o.answer)
    return (
      <>
        {r.noAnswer}
        {o.overdue ? <span className="badge badge-plain">{r.overdue}</span> : null}
      </>
    );
  return (
    <div className="application-result">
      <p>{r.decision[o.answer.decision] ?? o.answer.decision}</p>
      {o.answer.reply ? <p lang="zh-CN">{o.answer.reply}</p> : null}
      <p className="note">{formatDateTime(o.answer.at)}</p>
    </div>
  );
}

/**
 * What the developer may do with a report in its present state: withdraw it while the provider
 * has not declined or corrected it; close it, or reopen it with a reason, once it has.
 */
function Steps({ objection: o, t }: { objection: Objection; t: Messages }) {
  const r = t.reports;
  const steps = RAISER_STEPS_FROM[o.state] ?? [];
  if (steps.length === 0) return <>—</>;
  return (
    <div className="report-steps" role="group" aria-label={r.stepsLabel(o.number)}>
      {steps.map((step) => (
        <form key={step} method="post" action="/developer/reports/action">
          <input type="hidden" name="op" value={step} />
          <input type="hidden" name="id" value={o.id} />
          <input type="hidden" name="number" value={o.number} />
          {step === 'reopen' ? (
            <label>
              {r.reopenReason}
              <textarea name="comment" rows={2} maxLength={4000} required />
            </label>
          ) : null}
          <button type="submit" className="button small">
            {r.steps[step] ?? step}
          </button>
        </form>
      ))}
    </div>
  );
}

/**
 * 我的纠错: the error reports the developer sent from dataset pages (data objections they
 * raised), newest first, with their state, the provider's answer and what the developer may do next.
 */
export default async function ReportsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ t }, session, params] = await Promise.all([getPrefs(), currentSession(), searchParams]);
  const r = t.reports;
  if (session.kind === 'signed-out')
    return <SignInPrompt t={t} next={SELF} text={t.reports.signInText} />;
  if (session.kind === 'invalid') return <SessionProblem t={t} next={SELF} />;
  if (session.kind === 'renew') redirect(`/auth/renew?next=${encodeURIComponent(SELF)}`);
  const loaded = await whenAvailable(() => listMyObjections(session.session.accessToken));
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  if (loaded.value.kind !== 'ok') return <NotADeveloper t={t} next={SELF} answer={loaded.value} />;
  const reports = loaded.value.data;
  const submitted = queryParam(params.submitted);
  const done = queryParam(params.done);
  // own keys only: `constructor` and the like are no step
  const doneText = done && Object.hasOwn(r.stepDone, done) ? r.stepDone[done] : undefined;
  const doneNumber = queryParam(params.n);
  const error = queryParam(params.error);

  return (
    <div className="container section">
      <p className="breadcrumb">
        <Link href="/developer">{t.developer.title}</Link>
      </p>
      <h1>{r.title}</h1>
      <p className="lead">{r.lead}</p>
      {submitted && NUMBER.test(submitted) ? (
        <p className="notice" role="status">
          {r.submitted(submitted)}
        </p>
      ) : null}
      {doneText && doneNumber && NUMBER.test(doneNumber) ? (
        <p className="notice" role="status">
          {doneText(doneNumber)}
        </p>
      ) : null}
      {error ? (
        <p className="notice notice-error" role="alert">
          {error === 'reason' ? r.reasonNeeded : error === 'changed' ? r.changed : r.errorFailed}
        </p>
      ) : null}
      <section aria-labelledby="reports-title" className="section">
        <h2 id="reports-title" className="visually-hidden">
          {r.title}
        </h2>
        {reports.length === 0 ? (
          <p>{r.none}</p>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label={r.title}>
            <table className="data-table applications-table">
              <caption className="visually-hidden">{r.title}</caption>
              <thead>
                <tr>
                  <th scope="col">{r.colNumber}</th>
                  <th scope="col">{r.colDataset}</th>
                  <th scope="col">{r.colProvider}</th>
                  <th scope="col">{r.colSubmitted}</th>
                  <th scope="col">{r.colDue}</th>
                  <th scope="col">{r.colStatus}</th>
                  <th scope="col">{r.colAnswer}</th>
                  <th scope="col">{r.colActions}</th>
                </tr>
              </thead>
              <tbody>
                {reports.map((o) => (
                  <tr key={o.id} data-objection-number={o.number}>
                    <th scope="row">{o.number}</th>
                    <td>
                      <Link href={`/datasets/${encodeURIComponent(o.resource.code)}`} lang="zh-CN">
                        {o.resource.name}
                      </Link>
                      <p className="note" lang="zh-CN">
                        {o.description}
                      </p>
                    </td>
                    <td lang="zh-CN">{o.provider.name}</td>
                    <td>{formatDateTime(o.createdAt)}</td>
                    <td>{formatDate(o.dueAt)}</td>
                    <td>
                      <span className="badge badge-plain">{r.state[o.state] ?? o.stateLabel}</span>
                    </td>
                    <td>
                      <Answer objection={o} t={t} />
                    </td>
                    {/* what the developer can do, apart from the answer it heads */}
                    <td>
                      <Steps objection={o} t={t} />
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
