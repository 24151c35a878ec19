import type { Region } from '../../../lib/console/authority/organisationApi.ts';

/**
 * The regions (省 → 市 → 区/县 → 街道) as nested lists, built from the API's flat list with
 * parent codes: the nesting itself tells a screen reader the level, the label says it too.
 */
export function RegionTree({
  regions,
  levels,
  label,
}: {
  regions: Region[];
  levels: Record<string, string>;
  label: string;
}) {
  const known = new Set(regions.map((r) => r.code));
  const children = new Map<string | null, Region[]>();
  for (const r of regions) {
    const parent = r.parentCode && known.has(r.parentCode) ? r.parentCode : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const branch = (parent: string | null, depth: number) => {
    const list = children.get(parent) ?? [];
    if (list.length === 0 || depth > 6) return null;
    return (
      <ul className="region-tree" aria-label={depth === 0 ? label : undefined}>
        {list.map((r) => (
          <li key={r.code}>
            <span className="region-name">{r.name}</span>{' '}
            <span className="region-meta">
              {levels[r.level] ?? r.level} · <code>{r.code}</code>
            </span>
            {branch(r.code, depth + 1)}
          </li>
        ))}
      </ul>
    );
  };
  return branch(null, 0);
}
