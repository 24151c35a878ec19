import { isContact } from './contact.ts';

const DEPARTMENT = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** control characters (the title and contact are one line), NUL, lone surrogates */
const LINE_UNSAFE = /[\u0000-\u001f\p{Cs}]/u;
const TEXT_UNSAFE = /[\u0000\p{Cs}]/u;

/** The 提出数据需求 form's inputs, by name. */
export type DataRequestField = 'title' | 'description' | 'contact' | 'wantedDepartment';

/** What `POST /v1/data-requests` is sent from the form. */
export interface DataRequestDraft {
  title: string;
  description: string;
  contact: string;
  wantedDepartment?: string;
}

/**
 * The data request the form describes, or why it is refused and which inputs: `input` when a
 * text is blank (`blank`), or too long or holding what cannot be stored, or the department is
 * not a code (`unfit`); `contact`, once everything else is fine, when the contact is neither a
 * mobile number nor an e-mail address. The route refuses with it and the page, reading the
 * carried form with it, marks the same inputs.
 */
export function dataRequestFromForm(
  form: FormData,
):
  | { body: DataRequestDraft }
  | { error: 'input' | 'contact'; blank: DataRequestField[]; unfit: DataRequestField[] } {
  const blank: DataRequestField[] = [];
  const unfit: DataRequestField[] = [];
  const text = (name: DataRequestField, max: number, unsafe: RegExp) => {
    const value = String(form.get(name) ?? '').trim();
    if (!value) blank.push(name);
    else if (value.length > max || unsafe.test(value)) unfit.push(name);
    return value;
  };
  const title = text('title', 100, LINE_UNSAFE);
  const description = text('description', 2000, TEXT_UNSAFE);
  const contact = text('contact', 100, LINE_UNSAFE);
  const wanted = String(form.get('wantedDepartment') ?? '');
  if (wanted && !DEPARTMENT.test(wanted)) unfit.push('wantedDepartment');
  if (blank.length > 0 || unfit.length > 0) return { error: 'input', blank, unfit };
  if (!isContact(contact)) return { error: 'contact', blank: [], unfit: ['contact'] };
  return { body: { title, description, contact, ...(wanted ? { wantedDepartment: wanted } : {}) } };
}
