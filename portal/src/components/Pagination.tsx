import Link from 'next/link';
import type { Messages } from '../lib/i18n/messages.ts';

/** Page numbers to show: the first, the last, and two either side of the current one. */
export function pageWindow(current: number, total: number): (number | 'gap')[] {
  const pages = new Set([1, total, current - 2, current - 1, current, current + 1, current + 2]);
  const sorted = [...pages].filter((p) => p >= 1 && p <= total).sort((a, b) => a - b);
  const out: (number | 'gap')[] = [];
  for (const page of sorted) {
    const last = out[out.length - 1];
    if (typeof last === 'number' && page - last > 1) out.push('gap');
    out.push(page);
  }
  return out;
}

/** Numbered pages as links (the page lives in the URL), marked for screen readers. */
export function Pagination({
  current,
  total,
  href,
  t,
  label,
}: {
  current: number;
  total: number;
  href: (page: number) => string;
  t: Messages;
  label?: string;
}) {
  if (total <= 1) return null;
  return (
    <nav className="pagination" aria-label={label ?? t.pagination.label}>
      <ul>
        <li>
          {current > 1 ? (
            <Link href={href(current - 1)} rel="prev">
              ‹ {t.pagination.previous}
            </Link>
          ) : (
            <span className="disabled" aria-hidden="true">
              ‹ {t.pagination.previous}
            </span>
          )}
        </li>
        {pageWindow(current, total).map((page, i) =>
          page === 'gap' ? (
            <li key={`gap-${i}`} aria-hidden="true" className="gap">
              …
            </li>
          ) : (
            <li key={page}>
              {page === current ? (
                <span
                  className="current"
                  aria-current="page"
                  aria-label={t.pagination.current(page, total)}
                >
                  {page}
                </span>
              ) : (
                <Link href={href(page)} aria-label={t.pagination.page(page)}>
                  {page}
                </Link>
              )}
            </li>
          ),
        )}
        <li>
          {current < total ? (
            <Link href={href(current + 1)} rel="next">
              {t.pagination.next} ›
            </Link>
          ) : (
            <span className="disabled" aria-hidden="true">
              {t.pagination.next} ›
            </span>
          )}
        </li>
      </ul>
    </nav>
  );
}
