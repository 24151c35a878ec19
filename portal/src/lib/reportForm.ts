import type { ObjectionBody } from './api/objections.ts';

export const FIELD = /^[a-z][a-z0-9_]{0,63}$/;
/** what the exchange's schema refuses in text (PostgreSQL stores neither NUL nor lone surrogates) */
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** The form's text field, trimmed ('' when absent); undefined when too long or unstorable. */
export function formText(form: FormData, name: string, max: number): string | undefined {
  const value = String(form.get(name) ?? '').trim();
  return value.length <= max && !UNSTORABLE.test(value) ? value : undefined;
}

/** The objection the form describes, or undefined when it cannot be one. */
export function reportBody(form: FormData, resourceCode: string): ObjectionBody | undefined {
  const field = formText(form, 'field', 64);
  const recordKey = formText(form, 'recordKey', 500);
  const description = formText(form, 'description', 4000);
  const claimed = formText(form, 'claimedValue', 2000);
  if (field === undefined || recordKey === undefined || claimed === undefined) return undefined;
  if (!description || (field && !FIELD.test(field)) || (claimed && !field)) return undefined;
  return {
    resourceCode,
    description,
    ...(recordKey ? { recordKey } : {}),
    ...(field ? { fields: [field] } : {}),
    ...(field && claimed ? { claimedValues: { [field]: claimed } } : {}),
  };
}
