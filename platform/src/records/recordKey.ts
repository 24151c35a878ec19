/**
 * A record's key in the hosted record store: the value of its one key field, or, with several
 * key fields, the JSON array of their values (unambiguous whatever the values contain).
 * Undefined when a key value is missing.
 */
export function recordKey(
  record: Record<string, unknown>,
  keyFields: readonly string[],
): string | undefined {
  const values = keyFields.map((f) => record[f]);
  if (values.length === 0 || values.some((v) => v === undefined || v === null || v === ''))
    return undefined;
  return values.length === 1 ? String(values[0]) : JSON.stringify(values);
}
