import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { SessionProblem, SignInPrompt } from '../../../components/developer/SignInPrompt.tsx';
import { listDepartments, type Department } from '../../../lib/api/catalog.ts';
import { currentSession } from '../../../lib/auth/currentSession.ts';
import { carriedFormData, carriedValue, unsealForm } from '../../../lib/console/carriedForm.ts';
import { dataRequestFromForm, type DataRequestField } from '../../../lib/dataRequestForm.ts';
import { fieldName } from '../../../lib/i18n/fieldName.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { single, type QueryParams } from '../../../lib/searchState.ts';

export const dynamic = 'force-dynamic';

const SELF = '/requests/new';
/** the refusal's alert, which the fields it is about point at */
const ERROR_ID = 'request-error';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.requests.askTitle };
}

/**
 * 提出数据需求: the form (works without JavaScript), for a signed-in person. A refused form
 * comes back with what was typed (`?form=`, sealed for this person, see carriedForm.ts); read
 * with the handler's own checks, the message names the fields refused and they point at it.
 */
export default async function NewRequestPage({
  searchParams,
}: {
  searchParams: Promise<QueryParams>;
}) {
  const [{ t }, session, query] = await Promise.all([getPrefs(), currentSession(), searchParams]);
  const m = t.requests;
  if (session.kind === 'signed-out')
    return <SignInPrompt t={t} next={SELF} text={t.requests.signInText} />;
  if (session.kind === 'invalid') return <SessionProblem t={t} next={SELF} />;
  if (session.kind === 'renew') redirect(`/auth/renew?next=${encodeURIComponent(SELF)}`);
  // without the list the form still works: the department is optional
  const [departments, carried] = await Promise.all([
    listDepartments().catch((): Department[] => []),
    unsealForm('portal-request-form', query.form, session.session.sub),
  ]);
  const typed = (name: string) => carriedValue(carried, name) ?? '';
  const error = single(query.error);
  // the fields the handler refused (none when the catalog refused a form it had passed)
  const checked =
    (error === 'input' || error === 'contact') && carried
      ? dataRequestFromForm(carriedFormData(carried))
      : undefined;
  const blank = checked && 'blank' in checked ? checked.blank : [];
  const unfit = checked && 'unfit' in checked ? checked.unfit : [];
  const label: Record<DataRequestField, string> = {
    title: m.fieldTitle,
    description: m.fieldDescription,
    contact: m.fieldContact,
    wantedDepartment: m.fieldDepartment,
  };
  const named = (fields: DataRequestField[]) => fields.map((f) => fieldName(label[f]));
  const errorText =
    error === 'input'
      ? t.sentences([
          m.errorInput,
          ...(blank.length > 0 ? [m.errorMissing(named(blank))] : []),
          ...(unfit.length > 0 ? [m.errorUnfit(named(unfit))] : []),
        ])
      : error === 'contact'
        ? m.errorContact
        : m.errorFailed;
  const invalid = (name: DataRequestField) =>
    blank.includes(name) || unfit.includes(name)
      ? { 'aria-invalid': true, 'aria-describedby': ERROR_ID }
      : {};

  return (
    <div className="container section narrow">
      <p className="breadcrumb">
        <Link href="/requests">{m.back}</Link>
      </p>
      <h1>{m.askTitle}</h1>
      <p className="lead">{m.askLead}</p>
      {error ? (
        <p className="notice notice-error" role="alert" id={ERROR_ID}>
          {errorText}
        </p>
      ) : null}
      <form method="post" action="/requests/action" className="key-form">
        <label htmlFor="request-title">{m.fieldTitle}</label>
        <input
          id="request-title"
          name="title"
          {...invalid('title')}
          required
          maxLength={100}
          defaultValue={typed('title')}
        />
        <label htmlFor="request-description">{m.fieldDescription}</label>
        <textarea
          id="request-description"
          name="description"
          {...invalid('description')}
          required
          maxLength={2000}
          defaultValue={typed('description')}
        />
        <label htmlFor="request-department">{m.fieldDepartment}</label>
        <select
          id="request-department"
          name="wantedDepartment"
          {...invalid('wantedDepartment')}
          defaultValue={typed('wantedDepartment')}
        >
          <option value="">{m.departmentNone}</option>
          {departments.map((d) => (
            <option key={d.code} value={d.code}>
              {d.name}
            </option>
          ))}
        </select>
        <label htmlFor="request-contact">{m.fieldContact}</label>
        <input
          id="request-contact"
          name="contact"
          {...invalid('contact')}
          required
          maxLength={100}
          autoComplete="email"
          defaultValue={typed('contact')}
        />
        <button type="submit" className="button primary">
          {m.submit}
        </button>
      </form>
    </div>
  );
}
