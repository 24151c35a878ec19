import type { Metadata } from 'next';
import Link from 'next/link';
import { NotLoaded } from '../../../../components/console/approver/NotLoaded.tsx';
import { partyName } from '../../../../components/console/approver/RequestFacts.tsx';
import { FlashMessage } from '../../../../components/console/FlashMessage.tsx';
import { getEntry, type Resource } from '../../../../lib/console/approver/api.ts';
import {
  carriedFormData,
  carriedValue,
  unsealForm,
  type CarriedForm,
} from '../../../../lib/console/carriedForm.ts';
import { getGrant, listHeldGrants } from '../../../../lib/console/consumer/api.ts';
import { grantBasis, objectionFromForm } from '../../../../lib/console/consumer/objectionForm.ts';
import { readFlash } from '../../../../lib/console/flash.ts';
import { requireStaff } from '../../../../lib/console/requireStaff.tsx';
import { approverText } from '../../../../lib/i18n/console/approver.ts';
import { raisedText, type RaisedText } from '../../../../lib/i18n/console/raised.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import { UUID } from '../../../../lib/ids.ts';
import { queryParam } from '../../../../lib/queryParam.ts';
import '../../../../components/console/approver/approver.css';

export const dynamic = 'force-dynamic';

/** the refusal's alert, which the fields it is about point at */
const ERROR_ID = 'objection-error';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: raisedText(locale).newTitle };
}

/**
 * 提出数据异议, in two steps on one page: choose one of my department's active grants, then
 * (`?grant=`) say which record and fields are wrong, what is right, and why. Only the grant's
 * fields are offered, and a record can be named by its key only when the grant shows the key
 * unmasked (the exchange refuses anything else). A refused form comes back with its choices
 * (`?form=`, see carriedForm.ts).
 */
export default async function NewObjectionPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const grantId = queryParam(params.grant) ?? '';
  const gate = await requireStaff(
    UUID.test(grantId) ? `/console/objections/new?grant=${grantId}` : '/console/objections/new',
    'objections',
  );
  if (!gate.ok) return gate.page;
  const { locale } = await getPrefs();
  const a = approverText(locale);
  const r = raisedText(locale);
  const token = gate.staff.accessToken;
  const flash = await readFlash(params.flash);
  const back = { href: '/console/objections?side=raised', label: r.back };
  const breadcrumb = (
    <p className="breadcrumb">
      <Link href={back.href}>{back.label}</Link>
    </p>
  );

  if (!UUID.test(grantId)) {
    const held = await listHeldGrants(token);
    const active = held.ok ? held.data.filter((g) => g.status === 'active') : [];
    return (
      <>
        {breadcrumb}
        <h1>{r.newTitle}</h1>
        <p className="lead">{r.newLead}</p>
        <FlashMessage flash={flash} />
        {!held.ok ? (
          <p className="notice notice-error" role="alert">
            {a.loadFailed}
          </p>
        ) : active.length === 0 ? (
          <p className="approver-empty">{r.noGrants}</p>
        ) : (
          <section aria-labelledby="choose-grant" className="approver-section">
            <h2 id="choose-grant">{r.chooseLead}</h2>
            <ul className="approver-choices">
              {active.map((g) => (
                <li key={g.id}>
                  <p>
                    <strong>{partyName(g.resource)}</strong> · {partyName(g.provider)}
                  </p>
                  <p className="hint">{g.requestNumber}</p>
                  <Link
                    className="button small"
                    href={`/console/objections/new?grant=${g.id}`}
                    aria-label={r.choose(partyName(g.resource))}
                  >
                    {r.chooseShort}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        )}
      </>
    );
  }

  const grant = await getGrant(token, grantId);
  if (!grant.ok) {
    return (
      <NotLoaded back={back} title={r.newTitle} flash={flash} status={grant.status} text={a} />
    );
  }
  const basis = grantBasis(grant.data);
  const [entry, carried] = await Promise.all([
    getEntry(token, basis.resourceCode),
    unsealForm('console-objection-form', params.form),
  ]);
  if (!entry.ok) {
    return (
      <NotLoaded back={back} title={r.newTitle} flash={flash} status={entry.status} text={a} />
    );
  }
  // a form refused for its own problems: read what it held with the handler's checks, so the
  // fields they are about point at the message (an exchange refusal passes them and marks none)
  const refused =
    flash?.kind === 'error' && carried
      ? (objectionFromForm(carriedFormData(carried), basis.resourceCode, basis.fields).inputs ?? [])
      : [];
  return (
    <>
      {breadcrumb}
      <h1>{r.newTitle}</h1>
      <p className="lead">{r.newLead}</p>
      <FlashMessage flash={flash} id={ERROR_ID} />
      <section aria-labelledby="objection-grant" className="approver-section">
        <h2 id="objection-grant">{r.grantTitle}</h2>
        <p>
          <strong>{basis.resourceName}</strong>（{basis.resourceCode}）· {basis.providerName} ·{' '}
          {grant.data.requestNumber}
        </p>
        {grant.data.status !== 'active' ? (
          <p className="notice notice-error" role="alert">
            {r.grantNotActive}
          </p>
        ) : null}
      </section>
      {grant.data.status === 'active' ? (
        <ObjectionForm
          grantId={grantId}
          basis={basis}
          resource={entry.data}
          carried={carried}
          refused={refused}
          t={r}
        />
      ) : null}
    </>
  );
}

function ObjectionForm({
  grantId,
  basis,
  resource,
  carried,
  refused,
  t,
}: {
  grantId: string;
  basis: ReturnType<typeof grantBasis>;
  resource: Resource;
  carried: CarriedForm | undefined;
  /** the inputs the handler refused, by name (objectionFromForm's `inputs`) */
  refused: readonly string[];
  t: RaisedText;
}) {
  const text = (name: string) => carriedValue(carried, name) ?? '';
  // a refused input says so and points at the message (before its own hint, when it has one)
  const invalid = (name: string, hint?: string) =>
    refused.includes(name)
      ? { 'aria-invalid': true, 'aria-describedby': hint ? `${ERROR_ID} ${hint}` : ERROR_ID }
      : { 'aria-describedby': hint };
  const labels = new Map(resource.items.map((i) => [i.name, i.label]));
  const keys = resource.items.filter((i) => i.isKey);
  // the exchange finds a record by key only for a raiser who sees the key as it is
  const keyNamable =
    keys.length > 0 &&
    keys.every((k) => basis.fields.includes(k.name) && !basis.masked.has(k.name));
  return (
    <form method="post" action="/console/objections/action" className="console-form">
      <input type="hidden" name="op" value="raise" />
      <input type="hidden" name="grant" value={grantId} />
      {keyNamable ? (
        <label>
          {t.recordKey}
          <input
            type="text"
            name="recordKey"
            maxLength={500}
            {...invalid('recordKey', 'record-key-hint')}
            defaultValue={text('recordKey')}
          />
          <span id="record-key-hint" className="hint">
            {t.recordKeyHint(keys.map((k) => k.label).join('、'))}
          </span>
        </label>
      ) : (
        <p className="notice">{t.recordKeyMasked}</p>
      )}
      <fieldset>
        <legend>{t.fieldsLegend}</legend>
        <p className="hint">{t.fieldsHint}</p>
        <ul className="approver-checks objection-fields">
          {basis.fields.map((f) => {
            const label = labels.get(f) ?? f;
            return (
              <li key={f}>
                <label>
                  <input
                    type="checkbox"
                    name="fields"
                    value={f}
                    {...invalid('fields')}
                    defaultChecked={(carried?.fields ?? []).includes(f)}
                  />
                  {label}（{f}）
                  {basis.masked.has(f) ? (
                    <span className="badge badge-plain">{t.masked}</span>
                  ) : null}
                </label>
                <input
                  type="text"
                  name={`claimed.${f}`}
                  maxLength={2000}
                  {...invalid(`claimed.${f}`)}
                  aria-label={t.claimed(label)}
                  placeholder={t.claimed(label)}
                  defaultValue={text(`claimed.${f}`)}
                />
              </li>
            );
          })}
        </ul>
      </fieldset>
      <label>
        {t.description}
        <textarea
          name="description"
          rows={4}
          maxLength={4000}
          required
          {...invalid('description', 'description-hint')}
          defaultValue={text('description')}
        />
        <span id="description-hint" className="hint">
          {t.descriptionHint}
        </span>
      </label>
      <label>
        {t.linksLabel}
        <textarea name="links" rows={2} {...invalid('links')} defaultValue={text('links')} />
      </label>
      <p className="inline-actions">
        <button type="submit" className="button primary">
          {t.submit}
        </button>
      </p>
    </form>
  );
}
