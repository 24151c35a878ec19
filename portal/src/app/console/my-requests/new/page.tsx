import type { Metadata } from 'next';
import Link from 'next/link';
import { NotLoaded } from '../../../../components/console/approver/NotLoaded.tsx';
import { FlashMessage } from '../../../../components/console/FlashMessage.tsx';
import { listPurposes } from '../../../../lib/api/openApplications.ts';
import { getEntry, type Resource } from '../../../../lib/console/approver/api.ts';
import {
  carriedFormData,
  carriedValue,
  unsealForm,
  type CarriedForm,
} from '../../../../lib/console/carriedForm.ts';
import { searchShareable } from '../../../../lib/console/consumer/api.ts';
import { DELIVERY_MODES, requestFromForm } from '../../../../lib/console/consumer/requestForm.ts';
import { readFlash } from '../../../../lib/console/flash.ts';
import { requireStaff } from '../../../../lib/console/requireStaff.tsx';
import { listFunctions, RESOURCE_CODE } from '../../../../lib/console/steward/resources.ts';
import { approverText } from '../../../../lib/i18n/console/approver.ts';
import { consumerText, type ConsumerText } from '../../../../lib/i18n/console/consumer.ts';
import { purposeLabel } from '../../../../lib/i18n/labels.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import { queryParam } from '../../../../lib/queryParam.ts';
import '../../../../components/console/approver/approver.css';

export const dynamic = 'force-dynamic';

/** the refusal's alert, which the fields it is about point at */
const ERROR_ID = 'request-error';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: consumerText(locale).newTitle };
}

/**
 * 新建共享申请, in two steps on one page: find a shareable resource of another department in the
 * directory (`?q=`), then, once chosen (`?resource=`), say which fields, why, on which legal
 * basis, how, for how long and how much. A refused form comes back with its choices (`?form=`,
 * see carriedForm.ts).
 */
export default async function NewSharingRequestPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const code = queryParam(params.resource) ?? '';
  const q = (queryParam(params.q) ?? '').slice(0, 200);
  const gate = await requireStaff(
    code
      ? `/console/my-requests/new?resource=${encodeURIComponent(code)}`
      : '/console/my-requests/new',
    'myRequests',
  );
  if (!gate.ok) return gate.page;
  const { locale } = await getPrefs();
  const a = approverText(locale);
  const t = consumerText(locale);
  const flash = await readFlash(params.flash);
  const back = (
    <p className="breadcrumb">
      <Link href="/console/my-requests">{a.back}</Link>
    </p>
  );
  if (!RESOURCE_CODE.test(code)) {
    const found = await searchShareable(gate.staff.accessToken, q, gate.staff.departmentCode);
    const hits = found.ok ? found.data.items : [];
    return (
      <>
        {back}
        <h1>{t.newTitle}</h1>
        <p className="lead">{t.newLead}</p>
        <FlashMessage flash={flash} />
        <form method="get" action="/console/my-requests/new" className="console-form" role="search">
          <label>
            {t.searchLabel}
            <input
              type="search"
              name="q"
              defaultValue={q}
              maxLength={200}
              aria-describedby="search-hint"
            />
            <span id="search-hint" className="hint">
              {t.searchHint}
            </span>
          </label>
          <p className="inline-actions">
            <button type="submit" className="button">
              {t.searchButton}
            </button>
          </p>
        </form>
        {!found.ok ? (
          <p className="notice notice-error" role="alert">
            {t.searchFailed}
          </p>
        ) : hits.length === 0 ? (
          <p className="approver-empty">{t.noMatch}</p>
        ) : (
          <section aria-labelledby="search-results" className="approver-section">
            <h2 id="search-results">{t.found(hits.length, found.data.total)}</h2>
            <ul className="approver-choices">
              {hits.map((h) => (
                <li key={h.code}>
                  <p>
                    <strong>{h.name}</strong>（{h.code}）
                  </p>
                  <p className="hint">
                    {h.provider.name} · {a.sharingTypes[h.sharingType] ?? h.sharingType}
                  </p>
                  <p>{h.abstract}</p>
                  <Link
                    className="button small"
                    href={`/console/my-requests/new?resource=${h.code}`}
                    aria-label={t.choose(h.name)}
                  >
                    {t.chooseShort}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        )}
      </>
    );
  }

  const token = gate.staff.accessToken;
  const [entry, purposes, functions, carried] = await Promise.all([
    getEntry(token, code),
    listPurposes(),
    gate.staff.departmentCode ? listFunctions(gate.staff.departmentCode) : [],
    unsealForm('console-sharing-request-form', params.form),
  ]);
  const other = (
    <p>
      <Link href="/console/my-requests/new">{t.otherResource}</Link>
    </p>
  );
  if (!entry.ok) {
    return (
      <NotLoaded
        back={{ href: '/console/my-requests', label: a.back }}
        title={t.newTitle}
        flash={flash}
        status={entry.status}
        text={a}
      >
        {other}
      </NotLoaded>
    );
  }
  const r = entry.data;
  // a form refused for its own problems: read what it held with the handler's checks, so the
  // fields they are about point at the message (an API refusal passes them and marks none)
  const checked =
    flash?.kind === 'error' && carried
      ? requestFromForm(
          carriedFormData(carried),
          r.code,
          r.items.map((i) => i.name),
        )
      : undefined;
  const refused = checked && 'inputs' in checked ? checked.inputs : [];
  const refusal =
    r.provider.code === gate.staff.departmentCode
      ? t.ownResource
      : r.sharingType === 'none'
        ? t.notShared(r.sharingLegalBasis ?? a.none)
        : undefined;
  return (
    <>
      {back}
      <h1>{t.newTitle}</h1>
      <FlashMessage flash={flash} id={ERROR_ID} />
      <section aria-labelledby="chosen-resource" className="approver-section">
        <h2 id="chosen-resource">{t.resourceTitle}</h2>
        <p>
          <strong>{r.name}</strong>（{r.code}）· {r.provider.name}
        </p>
        <p className="hint">{r.abstract}</p>
        {refusal ? (
          <p className="notice notice-error" role="alert">
            {refusal}
          </p>
        ) : (
          <p className="notice">
            {r.sharingType === 'unconditional'
              ? t.unconditional
              : t.conditional(r.sharingConditions ?? '')}
          </p>
        )}
        {other}
      </section>
      {refusal ? null : (
        <RequestForm
          resource={r}
          purposes={purposes.map((p) => ({ ...p, name: purposeLabel(p.code, p.name, locale) }))}
          functions={functions}
          carried={carried}
          refused={refused}
          t={t}
          modes={a.modes}
          dataTypes={a.dataTypes}
          named={a.named}
        />
      )}
    </>
  );
}

function RequestForm({
  resource: r,
  purposes,
  functions,
  carried,
  refused,
  t,
  modes,
  dataTypes,
  named,
}: {
  resource: Resource;
  /** the sharing purposes, named in the page's language */
  purposes: { code: string; name: string }[];
  functions: { code: string; name: string }[];
  carried: CarriedForm | undefined;
  /** the inputs the handler refused, by name (requestFromForm's `inputs`) */
  refused: readonly string[];
  t: ConsumerText;
  modes: Record<string, string>;
  dataTypes: Record<string, string>;
  /** a name with its code, as the page's language writes it */
  named: (name: string, code: string) => string;
}) {
  const chosen = (name: string, value: string, byDefault = false) =>
    carried ? (carried[name] ?? []).includes(value) : byDefault;
  const carriedText = (name: string) => carriedValue(carried, name) ?? '';
  // a refused input says so and points at the message (before its own hint, when it has one)
  const invalid = (name: string, hint?: string) =>
    refused.includes(name)
      ? { 'aria-invalid': true, 'aria-describedby': hint ? `${ERROR_ID} ${hint}` : ERROR_ID }
      : { 'aria-describedby': hint };
  return (
    <form method="post" action="/console/my-requests/action" className="console-form">
      <input type="hidden" name="op" value="create" />
      <input type="hidden" name="resourceCode" value={r.code} />
      <fieldset>
        <legend>{t.fieldsLegend}</legend>
        <p className="hint">{t.fieldsHint}</p>
        <ul className="approver-checks">
          {r.items.map((i) => (
            <li key={i.name}>
              <label>
                <input
                  type="checkbox"
                  name="fields"
                  value={i.name}
                  {...invalid('fields')}
                  defaultChecked={chosen('fields', i.name)}
                />
                {i.label}（{i.name}，{dataTypes[i.dataType] ?? i.dataType}）
                {i.isPersonal ? <span className="badge badge-plain">{t.personal}</span> : null}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>{t.purposesLegend}</legend>
        <ul className="approver-checks">
          {purposes.map((p) => (
            <li key={p.code}>
              <label>
                <input
                  type="checkbox"
                  name="purposeCodes"
                  value={p.code}
                  {...invalid('purposeCodes')}
                  defaultChecked={chosen('purposeCodes', p.code)}
                />
                {named(p.name, p.code)}
              </label>
            </li>
          ))}
        </ul>
        <label>
          {t.purposeText}
          <textarea
            name="purposeText"
            rows={3}
            minLength={4}
            maxLength={2000}
            required
            {...invalid('purposeText', 'purpose-hint')}
            defaultValue={carriedText('purposeText')}
          />
          <span id="purpose-hint" className="hint">
            {t.purposeTextHint}
          </span>
        </label>
      </fieldset>
      <fieldset>
        <legend>{t.legalLegend}</legend>
        <p className="hint">{t.legalHint}</p>
        <label>
          {t.legalFunction}
          <select
            name="legalBasisFunctionCode"
            {...invalid('legalBasisFunctionCode')}
            defaultValue={carriedText('legalBasisFunctionCode')}
          >
            <option value="">{t.legalFunctionNone}</option>
            {functions.map((f) => (
              <option key={f.code} value={f.code}>
                {f.name}（{f.code}）
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.legalText}
          <textarea
            name="legalBasisText"
            {...invalid('legalBasisText')}
            rows={2}
            maxLength={2000}
            defaultValue={carriedText('legalBasisText')}
          />
        </label>
      </fieldset>
      <fieldset>
        <legend>{t.modesLegend}</legend>
        <ul className="approver-checks">
          {DELIVERY_MODES.map((m) => (
            <li key={m}>
              <label>
                <input
                  type="checkbox"
                  name="deliveryModes"
                  value={m}
                  {...invalid('deliveryModes')}
                  defaultChecked={chosen('deliveryModes', m, m === 'query')}
                />
                {modes[m] ?? m}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>{t.periodLegend}</legend>
        <div className="approver-grid">
          <label>
            {t.periodStart}
            <input
              type="date"
              name="periodStart"
              {...invalid('periodStart')}
              defaultValue={carriedText('periodStart')}
            />
          </label>
          <label>
            {t.periodEnd}
            <input
              type="date"
              name="periodEnd"
              {...invalid('periodEnd')}
              defaultValue={carriedText('periodEnd')}
            />
          </label>
          <label>
            {t.volume}
            <input
              type="text"
              name="expectedVolume"
              maxLength={200}
              aria-describedby="volume-hint"
              defaultValue={carriedText('expectedVolume')}
            />
            <span id="volume-hint" className="hint">
              {t.volumeHint}
            </span>
          </label>
        </div>
      </fieldset>
      <p className="inline-actions">
        <button type="submit" className="button primary">
          {t.submit}
        </button>
      </p>
    </form>
  );
}
