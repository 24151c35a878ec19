import Link from 'next/link';
import type { ReactNode } from 'react';
import type { Flash } from '../../../lib/console/flash.ts';
import { FlashMessage } from '../FlashMessage.tsx';

/**
 * A console page whose record did not load: the way back to its list, the page's title, the
 * last form's outcome, and why — the service failed (5xx: try again later) or there is no such
 * record for this person (a 404 and a record of another department look the same).
 */
export function NotLoaded({
  back,
  title,
  flash,
  status,
  text,
  children,
}: {
  back: { href: string; label: string };
  title: string;
  flash?: Flash;
  /** the API's status, undefined when the address could not name a record */
  status: number | undefined;
  text: { loadFailed: string; notFound: string };
  children?: ReactNode;
}) {
  return (
    <>
      <p className="breadcrumb">
        <Link href={back.href}>{back.label}</Link>
      </p>
      <h1>{title}</h1>
      <FlashMessage flash={flash} />
      <p className="notice notice-error" role="alert">
        {status !== undefined && status >= 500 ? text.loadFailed : text.notFound}
      </p>
      {children}
    </>
  );
}
