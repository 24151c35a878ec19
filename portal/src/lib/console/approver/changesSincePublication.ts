import type { DiffRow } from '../../diffText.ts';

/** What this reads of the catalog's history (`GET /v1/resources/{code}/history`), oldest first. */
export interface HistoryChange {
  action: string;
  diff: readonly DiffRow[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** `value` with the field at `keys` (below it) set to `to`; a copy, the original is kept. */
function setIn(value: unknown, keys: readonly string[], to: unknown): unknown {
  if (keys.length === 0) return to;
  const [key, ...rest] = keys;
  const base = isRecord(value) ? value : {};
  return { ...base, [key!]: setIn(base[key!], rest, to) };
}

const under = (path: string, ancestor: string) => path.startsWith(`${ancestor}/`);
const keysBelow = (path: string, ancestor: string) =>
  path
    .slice(ancestor.length + 1)
    .split('/')
    .filter(Boolean);

/**
 * What the entry would change on approval: its edits since the last publication (审核通过), as
 * one diff from the published entry to the entry under review. The history's diffs are of one
 * save each (fieldDiff: a field by JSON pointer, an information item by its name as a whole or
 * by its attributes); here each field is compared once, from the value it was published with
 * to the value it has now, and a field changed and changed back is no change. Undefined when
 * the entry was never published: then all of it is new.
 */
export function changesSincePublication(history: readonly HistoryChange[]): DiffRow[] | undefined {
  const published = history.findLastIndex((h) => h.action === 'approve' || h.action === 'publish');
  if (published < 0) return undefined;
  const net = new Map<string, { before: unknown; after: unknown }>();
  for (const change of history.slice(published + 1)) {
    if (change.action !== 'update' && change.action !== 'import') continue;
    for (const { path, before, after } of change.diff) {
      const ancestor = [...net.keys()].find((p) => under(path, p));
      if (ancestor) {
        // an item added (or replaced) since, then one of its attributes changed
        const entry = net.get(ancestor)!;
        entry.after = setIn(entry.after, keysBelow(path, ancestor), after);
        continue;
      }
      // an item whose attributes changed since, now removed or replaced as a whole: as published
      // it had the attributes' first values
      let original = net.has(path) ? net.get(path)!.before : before;
      for (const [p, entry] of [...net]) {
        if (!under(p, path)) continue;
        original = setIn(original, keysBelow(p, path), entry.before);
        net.delete(p);
      }
      net.set(path, { before: original, after });
    }
  }
  return [...net].flatMap(([path, { before, after }]) => {
    if (same(before, after)) return [];
    // an item both published and under review, changed as a whole: attribute by attribute
    if (path.startsWith('/items/') && isRecord(before) && isRecord(after)) {
      return [...new Set([...Object.keys(before), ...Object.keys(after)])]
        .filter((key) => !same(before[key], after[key]))
        .map((key) => ({
          path: `${path}/${key}`,
          before: before[key] ?? null,
          after: after[key] ?? null,
        }));
    }
    return [{ path, before: before ?? null, after: after ?? null }];
  });
}
