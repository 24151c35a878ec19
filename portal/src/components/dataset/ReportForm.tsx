import type { Resource } from '../../lib/api/catalog.ts';
import { carriedValue, type CarriedForm } from '../../lib/console/carriedForm.ts';
import type { Messages } from '../../lib/i18n/messages.ts';

/** What the report handler says back on the dataset page (`?report=…#report`). */
export type ReportError = 'input' | 'failed';

/**
 * 数据纠错: a signed-in developer tells the provider that a field or a record is wrong. The form
 * posts to /developer/reports/action, which raises a data objection through the exchange (works
 * without JavaScript); a signed-out visitor gets a sign-in link back to this form. A refused
 * report comes back with the field, record key, description and value the developer had typed
 * (`carried`, see carriedForm.ts).
 */
export function ReportForm({
  resource,
  signedIn,
  error,
  carried,
  t,
}: {
  resource: Resource;
  signedIn: boolean;
  error?: ReportError;
  /** what a refused form held (see carriedForm.ts) */
  carried?: CarriedForm;
  t: Messages;
}) {
  const r = t.reports;
  const typed = (name: string) => carriedValue(carried, name) ?? '';
  const next = `/datasets/${resource.code}#report`;
  const errorText = error === 'input' ? r.errorInput : error ? r.errorFailed : undefined;
  return (
    <section id="report" aria-labelledby="report-title">
      <h2 id="report-title">{r.formTitle}</h2>
      <p>{r.formLead}</p>
      {errorText ? (
        <p className="notice notice-error" role="alert">
          {errorText}
        </p>
      ) : null}
      {signedIn ? (
        <form method="post" action="/developer/reports/action" className="key-form">
          <input type="hidden" name="resourceCode" value={resource.code} />
          <label htmlFor="report-field">{r.field}</label>
          <select id="report-field" name="field" defaultValue={typed('field')}>
            <option value="">{r.fieldNone}</option>
            {resource.items.map((item) => (
              <option key={item.name} value={item.name}>
                {item.label}（{item.name}）
              </option>
            ))}
          </select>
          <label htmlFor="report-record-key">{r.recordKey}</label>
          <input
            id="report-record-key"
            name="recordKey"
            maxLength={500}
            defaultValue={typed('recordKey')}
          />
          <label htmlFor="report-description">{r.description}</label>
          <textarea
            id="report-description"
            name="description"
            required
            maxLength={4000}
            defaultValue={typed('description')}
          />
          <label htmlFor="report-claimed">{r.claimedValue}</label>
          <input
            id="report-claimed"
            name="claimedValue"
            maxLength={2000}
            defaultValue={typed('claimedValue')}
          />
          <button type="submit" className="button primary">
            {r.submit}
          </button>
        </form>
      ) : (
        <p>
          {r.signInText}{' '}
          <a className="button primary" href={`/auth/login?next=${encodeURIComponent(next)}`}>
            {r.signInButton}
          </a>
        </p>
      )}
    </section>
  );
}
