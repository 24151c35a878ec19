import Link from 'next/link';

/**
 * An inbox's status filter (or any one-of choice of a list page): one link per value, the
 * current one marked for assistive tech.
 */
export function StatusFilters<F extends string>({
  label,
  base,
  param = 'status',
  filters,
  current,
  names,
  keep = {},
}: {
  label: string;
  /** the inbox's path; each link adds `?status=…` */
  base: string;
  /** the query parameter the links set */
  param?: string;
  filters: readonly F[];
  current: F;
  names: Record<F, string>;
  /** other query parameters each link keeps (a department chosen beside the tabs) */
  keep?: Record<string, string>;
}) {
  return (
    <nav aria-label={label}>
      <ul className="approver-filters">
        {filters.map((f) => (
          <li key={f}>
            <Link
              href={`${base}?${new URLSearchParams({ ...keep, [param]: f }).toString()}`}
              aria-current={f === current ? 'page' : undefined}
            >
              {names[f]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
