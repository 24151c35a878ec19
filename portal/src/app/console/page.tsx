import type { Metadata } from 'next';
import Link from 'next/link';
import { CONSOLE_AREAS, mayUse } from '../../lib/console/navigation.ts';
import { requireStaff } from '../../lib/console/requireStaff.tsx';
import { consoleShellText } from '../../lib/i18n/console/shell.ts';
import { getPrefs } from '../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: consoleShellText(locale).title };
}

/**
 * One role's part of the start page: what it does here (steps in order, or a list of what is
 * where) and the links to start with, the first the main one.
 */
function Guide({
  id,
  title,
  steps,
  ordered = false,
  links,
}: {
  id: string;
  title: string;
  steps: readonly string[];
  ordered?: boolean;
  links: readonly { href: string; label: string }[];
}) {
  const items = steps.map((step) => <li key={step}>{step}</li>);
  return (
    <section className="console-guide" aria-labelledby={`guide-${id}`}>
      <h2 id={`guide-${id}`}>{title}</h2>
      {ordered ? <ol>{items}</ol> : <ul>{items}</ul>}
      <p className="inline-actions">
        {links.map((link, i) => (
          <Link key={link.href} className={i === 0 ? 'button primary' : 'button'} href={link.href}>
            {link.label}
          </Link>
        ))}
      </p>
    </section>
  );
}

/** 工作台首页: what each of the person's roles does here, with the way to start. */
export default async function ConsoleHome() {
  const gate = await requireStaff('/console');
  if (!gate.ok) return gate.page;
  const { locale } = await getPrefs();
  const c = consoleShellText(locale);
  const { staff } = gate;
  return (
    <>
      <h1>{c.title}</h1>
      <p className="lead">{c.startLead}</p>
      {mayUse(staff, 'resources') ? (
        <Guide
          id="publish"
          title={c.publishGuideTitle}
          steps={c.publishGuide}
          ordered
          links={[
            { href: CONSOLE_AREAS.resources.href, label: c.links.resources },
            { href: CONSOLE_AREAS.import.href, label: c.links.import },
          ]}
        />
      ) : null}
      {mayUse(staff, 'myRequests') ? (
        <Guide
          id="consumer"
          title={c.consumerGuideTitle}
          steps={c.consumerGuide}
          ordered
          links={[{ href: `${CONSOLE_AREAS.myRequests.href}/new`, label: c.newSharingRequest }]}
        />
      ) : null}
      {mayUse(staff, 'sharingRequests') ? (
        <Guide
          id="approver"
          title={c.approverGuideTitle}
          steps={c.approverGuide}
          links={[{ href: CONSOLE_AREAS.sharingRequests.href, label: c.links.sharingRequests }]}
        />
      ) : null}
      {mayUse(staff, 'organisation') ? (
        <Guide
          id="authority"
          title={c.authorityGuideTitle}
          steps={c.authorityGuide}
          links={[{ href: CONSOLE_AREAS.dashboard.href, label: c.links.dashboard }]}
        />
      ) : null}
      {staff.roles.has('auditor') ? (
        <Guide
          id="auditor"
          title={c.auditorGuideTitle}
          steps={c.auditorGuide}
          links={[{ href: CONSOLE_AREAS.evidence.href, label: c.links.evidence }]}
        />
      ) : null}
    </>
  );
}
