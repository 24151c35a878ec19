import type { Metadata } from 'next';
import Link from 'next/link';
import { StatusFilters } from '../../../components/console/approver/StatusFilters.tsx';
import { ObjectionCard } from '../../../components/console/steward/ObjectionCard.tsx';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { entriesByCode } from '../../../lib/console/approver/api.ts';
import { carriedValue, unsealForm, type CarriedForm } from '../../../lib/console/carriedForm.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import {
  correctionName,
  correctionProblem,
  readableValue,
  shownValue,
} from '../../../lib/console/steward/correctionForm.ts';
import {
  getDisputedRecord,
  listProviderObjections,
  listRaisedObjections,
  RAISER_STEPS_FROM,
  type DisputedRecord,
  type Objection,
} from '../../../lib/console/steward/feedback.ts';
import { raisedText, type RaisedText } from '../../../lib/i18n/console/raised.ts';
import { stewardText, type StewardText } from '../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import '../../../components/console/approver/approver.css';
import '../resources/steward.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: stewardText(locale).objectionsTitle };
}

/**
 * 更正记录: the disputed fields of the record with their present values (and the raiser's value
 * beside, when it gave one), to correct from the objection itself. A refusal comes back with
 * what was typed and the exchange's problem beside each field it refused.
 */
function CorrectRecordForm({
  o,
  record,
  t,
  carried,
}: {
  o: Objection;
  record: DisputedRecord;
  t: StewardText;
  carried?: CarriedForm;
}) {
  const mine = carriedValue(carried, 'card') === `${o.id}:record` ? carried : undefined;
  const claimed = o.claimedValues ?? {};
  return (
    <form
      method="post"
      action="/console/objections/action"
      className="console-form steward-answer-form"
      aria-labelledby={`cr-${o.id}`}
    >
      <h3 id={`cr-${o.id}`}>{t.correctRecordTitle}</h3>
      <p className="hint">{t.correctRecordLead}</p>
      <input type="hidden" name="op" value="correct-record" />
      <input type="hidden" name="id" value={o.id} />
      {/* carried back with a refusal (op and id are not): whose card, which step */}
      <input type="hidden" name="card" value={`${o.id}:record`} />
      {record.fields.map((f) => {
        const inputId = `cr-${o.id}-${f.name}`;
        const problem = correctionProblem(mine, f.name);
        const described = problem ? `${inputId}-error ${inputId}-hint` : `${inputId}-hint`;
        const value = carriedValue(mine, correctionName.value(f.name)) ?? shownValue(f.value);
        const common = {
          id: inputId,
          name: correctionName.value(f.name),
          defaultValue: value,
          'aria-describedby': described,
          ...(problem ? { 'aria-invalid': true } : {}),
        };
        return (
          <p key={f.name} className="steward-correct-field">
            <input type="hidden" name={correctionName.type(f.name)} value={f.type} />
            <label htmlFor={inputId}>
              {f.label}（{f.name}）
            </label>
            {f.type === 'boolean' ? (
              <select {...common}>
                <option value="">{t.correctRecordEmpty}</option>
                <option value="true">{t.booleanTrue}</option>
                <option value="false">{t.booleanFalse}</option>
              </select>
            ) : (
              <input type="text" {...common} maxLength={f.maxLength ?? 2000} />
            )}
            {problem ? (
              <span className="field-error" id={`${inputId}-error`}>
                {problem}
              </span>
            ) : null}
            <span className="hint" id={`${inputId}-hint`}>
              {t.correctRecordCurrent(readableValue(f.value, t) || t.correctRecordEmpty)}
              {f.name in claimed
                ? `；${t.correctRecordClaimed(readableValue(claimed[f.name], t))}`
                : ''}
              {f.required ? '' : `；${t.correctRecordBlank}`}
            </span>
          </p>
        );
      })}
      <label htmlFor={`cr-${o.id}-note`}>
        {t.correctRecordNote}
        <textarea
          id={`cr-${o.id}-note`}
          name="note"
          rows={2}
          maxLength={4000}
          defaultValue={carriedValue(mine, 'note') ?? ''}
        />
      </label>
      <p>
        <button type="submit" className="button primary">
          {t.correctRecord}
        </button>
      </p>
    </form>
  );
}

/** The forms a provider's steward has for the objection in its present state. */
function Forms({
  o,
  t,
  carried,
  record,
}: {
  o: Objection;
  t: StewardText;
  carried?: CarriedForm;
  /** the disputed record, for 更正记录; 'unavailable' when it could not be read just now */
  record?: DisputedRecord | 'unavailable';
}) {
  const typed = (name: string) => carriedValue(carried, name) ?? '';
  if (o.state === 'open' || o.state === 'reopened') {
    return (
      <form
        method="post"
        action="/console/objections/action"
        className="console-form steward-answer-form"
      >
        <input type="hidden" name="op" value="answer" />
        <input type="hidden" name="id" value={o.id} />
        {/* carried back with a refusal (op and id are not): whose card, which step */}
        <input type="hidden" name="card" value={o.id} />
        <fieldset className="steward-radios">
          <legend>{t.decisionLabel}</legend>
          <label>
            <input
              type="radio"
              name="decision"
              value="accept"
              defaultChecked={typed('decision') !== 'reject'}
            />
            {t.decisionAccept}
          </label>
          <label>
            <input
              type="radio"
              name="decision"
              value="reject"
              defaultChecked={typed('decision') === 'reject'}
            />
            {t.decisionReject}
          </label>
        </fieldset>
        <label htmlFor={`reply-${o.id}`}>
          {t.replyLabel}
          <textarea
            id={`reply-${o.id}`}
            name="reply"
            rows={3}
            maxLength={4000}
            defaultValue={typed('reply')}
          />
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
      <>
        {record === 'unavailable' ? (
          <p className="hint">{t.correctRecordUnavailable}</p>
        ) : record ? (
          <CorrectRecordForm o={o} record={record} t={t} carried={carried} />
        ) : null}
        <form
          method="post"
          action="/console/objections/action"
          className="console-form steward-answer-form"
        >
          <input type="hidden" name="op" value="correct" />
          <input type="hidden" name="id" value={o.id} />
          {/* carried back with a refusal (op and id are not): whose card, which step */}
          <input type="hidden" name="card" value={o.id} />
          <label htmlFor={`correct-${o.id}`}>
            {t.correctLabel}
            <textarea
              id={`correct-${o.id}`}
              name="comment"
              rows={2}
              maxLength={4000}
              defaultValue={typed('comment')}
            />
          </label>
          <p>
            <button type="submit" className="button">
              {t.markCorrected}
            </button>
          </p>
        </form>
      </>
    );
  }
  return null;
}

/**
 * The disputed records of the accepted objections that name one, by objection id: what the
 * 更正记录 forms start from. An objection the exchange will not correct from (no record, or the
 * record is gone) has none and keeps 标记已更正 alone.
 */
async function disputedRecords(
  token: string,
  objections: readonly Objection[],
): Promise<Map<string, DisputedRecord | 'unavailable'>> {
  const wanted = objections.filter((o) => o.state === 'accepted' && o.recordKey !== null);
  const read = await Promise.all(
    wanted.map(async (o) => {
      const answer = await whenAvailable(() => getDisputedRecord(token, o.id));
      if (!answer.ok) return [o.id, 'unavailable'] as const;
      return answer.value.ok ? ([o.id, answer.value.data] as const) : undefined;
    }),
  );
  return new Map<string, DisputedRecord | 'unavailable'>(read.filter((r) => r !== undefined));
}

/** The raising department's forms for the objection in its present state (one per step). */
function RaiserForms({ o, t, carried }: { o: Objection; t: RaisedText; carried?: CarriedForm }) {
  return (RAISER_STEPS_FROM[o.state] ?? []).map((step) => (
    <form
      key={step}
      method="post"
      action="/console/objections/action"
      className="console-form steward-answer-form"
    >
      <input type="hidden" name="op" value={step} />
      <input type="hidden" name="id" value={o.id} />
      <input type="hidden" name="card" value={`${o.id}:${step}`} />
      <input type="hidden" name="number" value={o.number} />
      <label htmlFor={`${step}-${o.id}`}>
        {t.stepComment[step]}
        <textarea
          id={`${step}-${o.id}`}
          name="comment"
          rows={2}
          maxLength={4000}
          required={step === 'reopen'}
          defaultValue={
            carriedValue(carried, 'op') === step ? carriedValue(carried, 'comment') : ''
          }
        />
      </label>
      <p>
        <button type="submit" className={step === 'close' ? 'button primary' : 'button'}>
          {t.stepButton[step]}
        </button>
      </p>
    </form>
  ));
}

/**
 * The labels of the objected resources' information items, by resource code and field name, from
 * the catalog with the viewer's token (objections carry field names only). A resource the
 * catalog does not show, or a catalog that does not answer, leaves its field names to stand.
 */
async function itemLabels(
  token: string,
  objections: readonly Objection[],
): Promise<Map<string, Map<string, string>>> {
  const entries = await entriesByCode(
    token,
    objections.filter((o) => o.fields.length > 0 || o.claimedValues).map((o) => o.resource.code),
  );
  return new Map(
    [...entries].map(([code, entry]) => [code, new Map(entry.items.map((i) => [i.name, i.label]))]),
  );
}

const NO_LABELS: ReadonlyMap<string, string> = new Map();

const SIDES = ['received', 'raised'] as const;
type Side = (typeof SIDES)[number];

/**
 * 数据异议, both ways: objections against my department's data, with 答复, 更正记录 and 已更正 forms
 * (`?side=received`, the default), and those my department raised against others' data, with
 * 撤回, 确认关闭 and 重新打开 (`?side=raised`).
 */
export default async function ObjectionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const side: Side = params.side === 'raised' ? 'raised' : 'received';
  const gate = await requireStaff(`/console/objections?side=${side}`, 'objections');
  if (!gate.ok) return gate.page;
  const { locale, t: site } = await getPrefs();
  const t = stewardText(locale);
  const r = raisedText(locale);
  const token = gate.staff.accessToken;
  const [loaded, flash, carried] = await Promise.all([
    whenAvailable(() =>
      side === 'raised' ? listRaisedObjections(token) : listProviderObjections(token),
    ),
    readFlash(params.flash),
    unsealForm('console-objection-step', params.form),
  ]);
  // a refused step's text, for the card it was typed on
  const typedFor = (o: Objection) =>
    carriedValue(carried, 'card')?.split(':')[0] === o.id ? carried : undefined;
  if (!loaded.ok || !loaded.value.ok) return <ServiceUnavailable t={site} />;
  const objections = loaded.value.data;
  const [labels, records] = await Promise.all([
    itemLabels(token, objections),
    side === 'received' ? disputedRecords(token, objections) : new Map<string, never>(),
  ]);
  return (
    <>
      <h1>{t.objectionsTitle}</h1>
      <StatusFilters
        label={r.tabsLabel}
        base="/console/objections"
        param="side"
        filters={SIDES}
        current={side}
        names={{ received: r.tabReceived, raised: r.tabRaised }}
      />
      <p className="lead">{side === 'raised' ? r.raisedLead : t.objectionsLead}</p>
      <FlashMessage flash={flash} />
      {side === 'raised' ? (
        <p className="inline-actions">
          <Link className="button primary" href="/console/objections/new">
            {r.raise}
          </Link>
        </p>
      ) : null}
      {objections.length === 0 ? (
        <p className="empty-result">{side === 'raised' ? r.noRaised : t.noObjections}</p>
      ) : (
        <ul className="steward-cards">
          {objections.map((o) =>
            side === 'raised' ? (
              <ObjectionCard
                key={o.id}
                objection={o}
                labels={labels.get(o.resource.code) ?? NO_LABELS}
                party={{ kind: 'provider', label: r.provider, answerLabel: r.providerAnswer }}
                text={t}
              >
                <RaiserForms o={o} t={r} carried={typedFor(o)} />
              </ObjectionCard>
            ) : (
              <ObjectionCard
                key={o.id}
                objection={o}
                labels={labels.get(o.resource.code) ?? NO_LABELS}
                party={{ kind: 'raiser' }}
                text={t}
              >
                <Forms o={o} t={t} carried={typedFor(o)} record={records.get(o.id)} />
              </ObjectionCard>
            ),
          )}
        </ul>
      )}
    </>
  );
}
