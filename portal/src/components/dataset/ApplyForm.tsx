import Link from 'next/link';
import type { Resource } from '../../lib/api/catalog.ts';
import type { Purpose } from '../../lib/api/openApplications.ts';
import { carriedValue, type CarriedForm } from '../../lib/console/carriedForm.ts';
import { fieldName } from '../../lib/i18n/fieldName.ts';
import { purposeLabel } from '../../lib/i18n/labels.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { Messages } from '../../lib/i18n/messages.ts';
import type { ApplicationState } from '../../lib/liveApplication.ts';

/** The fields the apply handler refuses blank (route.ts's applicationBody). */
const REQUIRED = ['purpose', 'realName', 'organisation', 'contact', 'intendedUse'] as const;

/** What the apply handler reports back on the dataset page (`?apply=…#apply`). */
export type ApplyError = 'input' | 'conflict' | 'failed';

/**
 * 申请使用: the 开放申请 form of a 有条件开放 dataset, posted to the applications' route handler
 * (works without JavaScript). A signed-out visitor gets a sign-in link back to this form; a
 * developer whose application for it is live (待审核 or 已批准) is told so, with a link to it,
 * instead of a form the exchange would refuse; a refused form comes back with what was typed.
 */
export function ApplyForm({
  resource,
  signedIn,
  purposes,
  error,
  live,
  carried,
  locale,
  t,
}: {
  resource: Resource;
  signedIn: boolean;
  /** 开放数据用途 (GET /v1/purposes?for=open-data) */
  purposes: Purpose[];
  error?: ApplyError;
  /** the developer's live application for this dataset, when there is one */
  live?: ApplicationState;
  /** what a refused form held (see carriedForm.ts) */
  carried?: CarriedForm;
  locale: Locale;
  t: Messages;
}) {
  const a = t.applications;
  const next = `/datasets/${resource.code}#apply`;
  const typed = (name: string) => carriedValue(carried, name) ?? '';
  // nothing carried: 读取 is ticked; carried: exactly what the person had ticked
  const ticked = (action: string) =>
    carried ? (carried.actions ?? []).includes(action) : action === 'read';
  if (signedIn && live) {
    return (
      <section id="apply" aria-labelledby="apply-title">
        <h2 id="apply-title">{a.applyTitle}</h2>
        <p className="notice" role="status">
          {a.live[live.status] ?? a.errorConflict}
        </p>
        <p>
          <Link href="/developer/applications">{a.liveLink}</Link>
        </p>
      </section>
    );
  }
  // a refused form names what it left blank, and those fields point at the message
  const blank = error === 'input' && carried ? REQUIRED.filter((name) => !typed(name).trim()) : [];
  const noAction = error === 'input' && carried !== undefined && !carried.actions?.length;
  const missing = [...blank.map((name) => a[name]), ...(noAction ? [a.actions] : [])].map(
    fieldName,
  );
  const invalid = (name: (typeof REQUIRED)[number]) =>
    blank.includes(name) ? { 'aria-invalid': true, 'aria-describedby': 'apply-error' } : {};
  const errorText =
    error === 'input'
      ? t.sentences([a.errorInput, ...(missing.length > 0 ? [a.errorMissing(missing)] : [])])
      : error === 'conflict'
        ? a.errorConflict
        : error
          ? a.errorFailed
          : undefined;
  return (
    <section id="apply" aria-labelledby="apply-title">
      <h2 id="apply-title">{a.applyTitle}</h2>
      <p>
        {resource.openConditions ? a.applyLead(resource.openConditions) : a.applyLeadNoConditions}
      </p>
      {errorText ? (
        <p className="notice notice-error" role="alert" id="apply-error">
          {errorText}
        </p>
      ) : null}
      {signedIn ? (
        <form method="post" action="/developer/applications/action" className="key-form">
          <input type="hidden" name="op" value="apply" />
          <input type="hidden" name="resourceCode" value={resource.code} />
          <label htmlFor="apply-purpose">{a.purpose}</label>
          <textarea
            id="apply-purpose"
            name="purpose"
            {...invalid('purpose')}
            required
            maxLength={4000}
            defaultValue={typed('purpose')}
          />
          {purposes.length > 0 ? (
            <>
              <label htmlFor="apply-purpose-code">{a.purposeCode}</label>
              <select
                id="apply-purpose-code"
                name="purposeCode"
                defaultValue={typed('purposeCode')}
              >
                <option value="">{a.purposeNone}</option>
                {purposes.map((p) => (
                  <option key={p.code} value={p.code}>
                    {purposeLabel(p.code, p.name, locale)}
                  </option>
                ))}
              </select>
            </>
          ) : null}
          <label htmlFor="apply-real-name">{a.realName}</label>
          <input
            id="apply-real-name"
            name="realName"
            {...invalid('realName')}
            required
            maxLength={100}
            autoComplete="name"
            defaultValue={typed('realName')}
          />
          <label htmlFor="apply-organisation">{a.organisation}</label>
          <input
            id="apply-organisation"
            name="organisation"
            {...invalid('organisation')}
            required
            maxLength={100}
            autoComplete="organization"
            defaultValue={typed('organisation')}
          />
          <label htmlFor="apply-contact">{a.contact}</label>
          <input
            id="apply-contact"
            name="contact"
            {...invalid('contact')}
            required
            maxLength={100}
            autoComplete="email"
            defaultValue={typed('contact')}
          />
          <label htmlFor="apply-use">{a.intendedUse}</label>
          <textarea
            id="apply-use"
            name="intendedUse"
            {...invalid('intendedUse')}
            required
            maxLength={4000}
            defaultValue={typed('intendedUse')}
          />
          <fieldset>
            <legend>{a.actions}</legend>
            {(['read', 'download'] as const).map((action) => (
              <label key={action} className="check">
                <input
                  type="checkbox"
                  name="actions"
                  value={action}
                  defaultChecked={ticked(action)}
                />{' '}
                {t.developer.action[action]}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button primary">
            {a.submit}
          </button>
        </form>
      ) : (
        <p>
          {a.signInText}{' '}
          <a className="button primary" href={`/auth/login?next=${encodeURIComponent(next)}`}>
            {a.signInButton}
          </a>
        </p>
      )}
    </section>
  );
}
