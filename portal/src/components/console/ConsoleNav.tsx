'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/**
 * The console's side navigation, marking the current page with aria-current (a client component
 * only to read the path; rendered on the server like the rest).
 */
export function ConsoleNav({
  label,
  home,
  groups,
}: {
  label: string;
  home: { href: string; label: string };
  groups: { label: string; links: { href: string; label: string }[] }[];
}) {
  const pathname = usePathname();
  const current = (href: string) =>
    href === '/console' ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  const link = (l: { href: string; label: string }) => (
    <li key={l.href}>
      <Link href={l.href} aria-current={current(l.href) ? 'page' : undefined}>
        {l.label}
      </Link>
    </li>
  );
  return (
    <nav className="console-nav" aria-label={label}>
      <ul>{link(home)}</ul>
      {groups.map((g) => (
        <div key={g.label} className="console-nav-group">
          <h2>{g.label}</h2>
          <ul>{g.links.map(link)}</ul>
        </div>
      ))}
    </nav>
  );
}
