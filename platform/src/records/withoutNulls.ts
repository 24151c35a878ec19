/**
 * A record with its null fields left out. Record schemas admit no null: a field has a value or
 * is absent, and the records API reads an absent field back as null. What a source system
 * sends as null (SQL NULL, an empty CSV cell, a JSON null) means "no value", so it is taken as
 * absent before validation; a required field left without a value is then reported as missing
 * (必填) rather than as the wrong type. The record itself is returned when it has no null.
 */
export function withoutNulls<T extends Record<string, unknown>>(record: T): T {
  let out: Record<string, unknown> | undefined;
  for (const field in record) {
    if (record[field] !== null) continue;
    out ??= { ...record };
    delete out[field];
  }
  return (out ?? record) as T;
}
