import type { Metadata } from 'next';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import { listProviderObjections, type Objection } from '../../../lib/console/steward/feedback.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { stewardText, type StewardText } from '../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import '../resources/steward.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: stewardText(locale).objectionsTitle };
}

/** The forms a provider's steward has for the objection in its present state. */
function Forms({ o, t }: { o: Objection; t: StewardText }) {
  if (o.state === 'open' || o.state === 'reopened') {
    return (
      <form
        method="post"
        action="/console/objections/action"
        className="console-form steward-answer-form"
      >
        <input type="hidden" name="op" value="answer" />
        <input type="hidden" name="id" value={o.id} />
        <fieldset className="steward-radios">
          <legend>{t.decisionLabel}</legend>
          <label>
            <input type="radio" name="decision" value="accept" defaultChecked />
            {t.decisionAccept}
          </label>
          <label>
            <input type="radio" name="decision" value="reject" />
            {t.decisionReject}
          </label>
        </fieldset>
        <label htmlFor={`reply-${o.id}`}>
          {t.replyLabel}
          <textarea id={`reply-${o.id}`} name="reply" rows={3} maxLength={4000} />
        </label>
        <p>
          <button type="submit" className="button primary">
            {t.answer}
          </button>
        </p>
      </form>
    );
  }
  if (o.state === 'accepted') {
    return (
      <form
        method="post"
        action="/console/objections/action"
        className="console-form steward-answer-form"
      >
        <input type="hidden" name="op" value="correct" />
        <input type="hidden" name="id" value={o.id} />
        <label htmlFor={`correct-${o.id}`}>
          {t.correctLabel}
          <textarea id={`correct-${o.id}`} name="comment" rows={2} maxLength={4000} />
        </label>
        <p>
          <button type="submit" className="button primary">
            {t.markCorrected}
          </button>
        </p>
      </form>
    );
  }
  return null;
}

/** 数据异议: objections against my department's data, with 答复 and 已更正 forms. */
export default async function ObjectionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const gate = await requireStaff('/console/objections', 'objections');
  if (!gate.ok) return gate.page;
  const [{ locale, t: site }, params] = await Promise.all([getPrefs(), searchParams]);
  const t = stewardText(locale);
  const [loaded, flash] = await Promise.all([
    whenAvailable(() => listProviderObjections(gate.staff.accessToken)),
    readFlash(params.flash),
  ]);
  if (!loaded.ok || !loaded.value.ok) return <ServiceUnavailable t={site} />;
  const objections = loaded.value.data;
  return (
    <>
      <h1>{t.objectionsTitle}</h1>
      <p className="lead">{t.objectionsLead}</p>
      <FlashMessage flash={flash} />
      {objections.length === 0 ? (
        <p className="empty-result">{t.noObjections}</p>
      ) : (
        <ul className="steward-cards">
          {objections.map((o) => (
            <li key={o.id} aria-labelledby={`o-${o.id}`}>
              <h2 id={`o-${o.id}`}>
                {o.resource.name}{' '}
                <span className="badge badge-plain">
                  {t.objectionState[o.state] ?? o.stateLabel}
                </span>{' '}
                {o.overdue ? (
                  <span className="badge steward-overdue">{t.objectionOverdue}</span>
                ) : null}
              </h2>
              <dl className="steward-facts">
                <dt>{t.objectionNumber}</dt>
                <dd className="steward-code">{o.number}</dd>
                <dt>{t.objectionRaiser}</dt>
                <dd>{o.raiser.department?.name ?? t.raiserKind[o.raiser.kind] ?? o.raiser.kind}</dd>
                <dt>{t.objectionDue}</dt>
                <dd>{formatDateTime(o.dueAt)}</dd>
                {o.recordKey ? (
                  <>
                    <dt>{t.objectionRecord}</dt>
                    <dd className="steward-code">{o.recordKey}</dd>
                  </>
                ) : null}
                {o.fields.length > 0 ? (
                  <>
                    <dt>{t.objectionFields}</dt>
                    <dd>{o.fields.join('、')}</dd>
                  </>
                ) : null}
                <dt>{t.objectionDescription}</dt>
                <dd>{o.description}</dd>
                {o.claimedValues ? (
                  <>
                    <dt>{t.objectionClaimed}</dt>
                    <dd>
                      {Object.entries(o.claimedValues)
                        .map(([k, v]) => `${k}：${typeof v === 'string' ? v : JSON.stringify(v)}`)
                        .join('；')}
                    </dd>
                  </>
                ) : null}
                {o.answer ? (
                  <>
                    <dt>{t.objectionAnswer}</dt>
                    <dd>
                      {t.decisions[o.answer.decision] ?? o.answer.decision}
                      {o.answer.reply ? `：${o.answer.reply}` : ''}（{formatDateTime(o.answer.at)}）
                    </dd>
                  </>
                ) : null}
              </dl>
              <Forms o={o} t={t} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
