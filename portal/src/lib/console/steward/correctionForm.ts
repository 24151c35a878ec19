// no imports: the form's logic stands alone, and its unit test runs outside Next's types

/** The corrected values the exchange takes: null removes a value. */
export type CorrectedValues = Record<string, string | number | boolean | null>;

/**
 * The 更正记录 form's names: each field's value as `value:<field>`, its record-schema type as
 * `type:<field>` (so a number goes to the exchange as a number), and, carried back with a
 * refusal, the exchange's problem with that field as `problem:<field>`.
 */
export const correctionName = {
  value: (field: string) => `value:${field}`,
  type: (field: string) => `type:${field}`,
  problem: (field: string) => `problem:${field}`,
};

/** A record value as text in a form or on a card: a string as it is, absent as empty. */
export const shownValue = (value: unknown): string =>
  value === null || value === undefined
    ? ''
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/**
 * A value as people read it beside a form or in a record of changes: 是 / 否 for a yes-or-no
 * field (the form offers those words, not true and false), otherwise as `shownValue` gives it.
 */
export const readableValue = (
  value: unknown,
  words: { booleanTrue: string; booleanFalse: string },
): string =>
  typeof value === 'boolean' ? (value ? words.booleanTrue : words.booleanFalse) : shownValue(value);

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * The corrected values typed in the form, in the record schema's types: an empty input removes
 * the value (null); a number or a boolean that does not read as one goes as typed, for the
 * exchange to refuse by field in its own words.
 */
export function correctedValuesFromForm(form: FormData): CorrectedValues {
  const values: CorrectedValues = {};
  for (const [name, raw] of form.entries()) {
    if (!name.startsWith('value:') || typeof raw !== 'string') continue;
    const field = name.slice('value:'.length);
    const text = raw.trim();
    const type = form.get(correctionName.type(field));
    if (text === '') values[field] = null;
    else if ((type === 'integer' || type === 'number') && NUMBER.test(text))
      values[field] = Number(text);
    else if (type === 'boolean' && (text === 'true' || text === 'false'))
      values[field] = text === 'true';
    else values[field] = type === 'string' ? raw : text;
  }
  return values;
}

/**
 * The refused form with the exchange's field problems added (`/values/<field>` → its message),
 * so the page marks each field it refused; a problem about no one field stays in the flash only.
 */
export function formWithProblems(form: FormData, problem: unknown): FormData {
  const copy = new FormData();
  for (const [name, value] of form.entries())
    if (typeof value === 'string') copy.append(name, value);
  const errors = (problem as { errors?: { path?: unknown; message?: unknown }[] } | null)?.errors;
  for (const e of Array.isArray(errors) ? errors : []) {
    const field = typeof e.path === 'string' ? /^\/values\/([^/]+)$/.exec(e.path)?.[1] : undefined;
    if (field && typeof e.message === 'string')
      copy.append(correctionName.problem(field), e.message);
  }
  return copy;
}

/** The exchange's problem with `field`, carried back with a refused correction. */
export function correctionProblem(
  carried: Readonly<Record<string, readonly string[]>> | undefined,
  field: string,
): string | undefined {
  return carried?.[correctionName.problem(field)]?.[0];
}
