'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/**
 * The main navigation's links, marking the current section with aria-current. A client
 * component only to read the path; it is rendered on the server like the rest of the page.
 */
export function NavLinks({ links }: { links: { href: string; label: string }[] }) {
  const pathname = usePathname();
  const current = (href: string) =>
    href === '/'
      ? pathname === '/'
      : pathname === href ||
        pathname.startsWith(`${href}/`) ||
        (href === '/search' && pathname.startsWith('/datasets/'));
  return (
    <ul className="nav-list">
      {links.map((link) => (
        <li key={link.href}>
          <Link href={link.href} aria-current={current(link.href) ? 'page' : undefined}>
            {link.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}
