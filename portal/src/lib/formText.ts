/** what the exchange's schema refuses in text (PostgreSQL stores neither NUL nor lone surrogates) */
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** The form's text field, trimmed ('' when absent); undefined when too long or unstorable. */
export function formText(form: FormData, name: string, max: number): string | undefined {
  const value = String(form.get(name) ?? '').trim();
  return value.length <= max && !UNSTORABLE.test(value) ? value : undefined;
}
