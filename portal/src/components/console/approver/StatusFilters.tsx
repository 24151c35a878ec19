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
}: {
  label: string;
  /** the inbox's path; each link adds `?status=…` */
  base: string;
  /** the query parameter the links set */
  param?: string;
  filters: readonly F[];
  current: F;
  names: Record<F, string>;
}) {
  return (
    <nav aria-label={label}>
      <ul className="approver-filters">
        {filters.map((f) => (
          <li key={f}>
            <Link href={`${base}?${param}=${f}`} aria-current={f === current ? 'page' : undefined}>
              {names[f]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
