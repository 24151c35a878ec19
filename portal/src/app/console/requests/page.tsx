import type { Metadata } from 'next';
import Link from 'next/link';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import { listDepartmentRequests } from '../../../lib/console/steward/feedback.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { stewardText } from '../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import '../resources/steward.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: stewardText(locale).requestsTitle };
}

const OUTCOMES = ['answered', 'opened', 'declined'] as const;

/**
 * 数据需求: requests addressed to my department or to none, pending first, each with the public
 * answer form (已答复 / 已开放 + the published dataset / 暂不开放 + the reason).
 */
export default async function RequestsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const gate = await requireStaff('/console/requests', 'requests');
  if (!gate.ok) return gate.page;
  const [{ locale, t: site }, params] = await Promise.all([getPrefs(), searchParams]);
  const t = stewardText(locale);
  const [loaded, flash] = await Promise.all([
    whenAvailable(() =>
      listDepartmentRequests(gate.staff.accessToken, gate.staff.departmentCode ?? ''),
    ),
    readFlash(params.flash),
  ]);
  if (!loaded.ok || !loaded.value.ok) return <ServiceUnavailable t={site} />;
  const requests = [...loaded.value.data].sort(
    (a, b) => Number(b.status === 'pending') - Number(a.status === 'pending'),
  );
  return (
    <>
      <h1>{t.requestsTitle}</h1>
      <p className="lead">{t.requestsLead}</p>
      <FlashMessage flash={flash} />
      {requests.length === 0 ? (
        <p className="empty-result">{t.noRequests}</p>
      ) : (
        <ul className="steward-cards">
          {requests.map((r) => (
            <li key={r.id} aria-labelledby={`r-${r.id}`}>
              <h2 id={`r-${r.id}`}>
                {r.title}{' '}
                <span className="badge badge-plain">
                  {t.requestStatus[r.status] ?? r.statusLabel}
                </span>
              </h2>
              <dl className="steward-facts">
                <dt>{t.requestWanted}</dt>
                <dd>{r.wantedDepartment?.name ?? t.requestNoDepartment}</dd>
                <dt>{t.requestAsked}</dt>
                <dd>{formatDateTime(r.createdAt)}</dd>
                {r.contact ? (
                  <>
                    <dt>{t.requestContact}</dt>
                    <dd>{r.contact}</dd>
                  </>
                ) : null}
                <dt>{t.objectionDescription}</dt>
                <dd>{r.description}</dd>
                {r.answer ? (
                  <>
                    <dt>{t.requestAnswer}</dt>
                    <dd>
                      {r.answer.text}
                      {r.answer.datasetCode ? (
                        <>
                          {' '}
                          <Link href={`/datasets/${r.answer.datasetCode}`}>
                            {r.answer.datasetCode}
                          </Link>
                        </>
                      ) : null}
                      （{formatDateTime(r.answer.at)}）
                    </dd>
                  </>
                ) : null}
              </dl>
              <p>
                <Link href={`/requests/${r.id}`}>{t.viewPublic}</Link>
              </p>
              <form
                method="post"
                action="/console/requests/action"
                className="console-form steward-answer-form"
              >
                <input type="hidden" name="id" value={r.id} />
                <fieldset className="steward-radios">
                  <legend>{t.answerStatus}</legend>
                  {OUTCOMES.map((s) => (
                    <label key={s}>
                      <input
                        type="radio"
                        name="status"
                        value={s}
                        defaultChecked={s === (r.status === 'pending' ? 'answered' : r.status)}
                      />
                      {t.requestStatus[s]}
                    </label>
                  ))}
                </fieldset>
                <label htmlFor={`answer-${r.id}`}>
                  {t.answerText}
                  <textarea
                    id={`answer-${r.id}`}
                    name="answer"
                    rows={3}
                    maxLength={2000}
                    defaultValue={r.answer?.text ?? ''}
                  />
                </label>
                <label htmlFor={`dataset-${r.id}`}>
                  {t.datasetCode}
                  <input
                    id={`dataset-${r.id}`}
                    name="datasetCode"
                    defaultValue={r.answer?.datasetCode ?? ''}
                    pattern="[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}"
                    aria-describedby={`dataset-hint-${r.id}`}
                  />
                  <span className="hint" id={`dataset-hint-${r.id}`}>
                    {t.datasetHint}
                  </span>
                </label>
                <p>
                  <button type="submit" className="button primary">
                    {t.answerRequest}
                  </button>
                </p>
              </form>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
