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

/**
 * The order a record is read in (`records.key_order`): its key fields' values, typed, as a JSON
 * array, which PostgreSQL's jsonb compares element by element and numbers as numbers (站序 2
 * before 10). The record key's text, which it accompanies, orders 10 before 2.
 */
export function recordKeyOrder(
  record: Record<string, unknown>,
  keyFields: readonly string[],
): unknown[] {
  return keyFields.map((f) => record[f] ?? null);
}
