import type { ObjectionBody } from './api/objections.ts';
import { formText } from './formText.ts';

const FIELD = /^[a-z][a-z0-9_]{0,63}$/;

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
