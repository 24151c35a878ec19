import { canonicalJson } from '@gx/platform';

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A field-level diff of two JSON values: one entry per changed leaf, addressed by JSON pointer.
 * Arrays of objects with a `name` (information items) are matched by name, so inserting an item
 * reads as one addition rather than a change to every item after it.
 */
export function fieldDiff(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (canonicalJson(before) === canonicalJson(after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldDiff(before[key], after[key], `${path}/${key}`));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const named = (list: unknown[]) =>
      list.every((e) => isObject(e) && typeof e.name === 'string')
        ? new Map(list.map((e) => [(e as { name: string }).name, e]))
        : undefined;
    const a = named(before);
    const b = named(after);
    if (a && b) {
      const names = [...new Set([...a.keys(), ...b.keys()])];
      return names.flatMap((name) => fieldDiff(a.get(name), b.get(name), `${path}/${name}`));
    }
  }
  return [{ path: path || '/', before: before ?? null, after: after ?? null }];
}
