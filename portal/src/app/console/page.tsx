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
        <section className="console-guide" aria-labelledby="guide-publish">
          <h2 id="guide-publish">{c.publishGuideTitle}</h2>
          <ol>
            {c.publishGuide.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
          <p className="inline-actions">
            <Link className="button primary" href={CONSOLE_AREAS.resources.href}>
              {c.links.resources}
            </Link>
            <Link className="button" href={CONSOLE_AREAS.import.href}>
              {c.links.import}
            </Link>
          </p>
        </section>
      ) : null}
      {mayUse(staff, 'myRequests') ? (
        <section className="console-guide" aria-labelledby="guide-consumer">
          <h2 id="guide-consumer">{c.consumerGuideTitle}</h2>
          <ol>
            {c.consumerGuide.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
          <p className="inline-actions">
            <Link className="button" href={`${CONSOLE_AREAS.myRequests.href}/new`}>
              {c.newSharingRequest}
            </Link>
          </p>
        </section>
      ) : null}
      {mayUse(staff, 'sharingRequests') ? (
        <section className="console-guide" aria-labelledby="guide-approver">
          <h2 id="guide-approver">{c.approverGuideTitle}</h2>
          <ul>
            {c.approverGuide.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
          <p className="inline-actions">
            <Link className="button primary" href={CONSOLE_AREAS.sharingRequests.href}>
              {c.links.sharingRequests}
            </Link>
          </p>
        </section>
      ) : null}
      {mayUse(staff, 'organisation') ? (
        <section className="console-guide" aria-labelledby="guide-authority">
          <h2 id="guide-authority">{c.authorityGuideTitle}</h2>
          <ul>
            {c.authorityGuide.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
          <p className="inline-actions">
            <Link className="button primary" href={CONSOLE_AREAS.dashboard.href}>
              {c.links.dashboard}
            </Link>
          </p>
        </section>
      ) : null}
      {staff.roles.has('auditor') ? (
        <section className="console-guide" aria-labelledby="guide-auditor">
          <h2 id="guide-auditor">{c.auditorGuideTitle}</h2>
          <ul>
            {c.auditorGuide.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
          <p className="inline-actions">
            <Link className="button primary" href={CONSOLE_AREAS.evidence.href}>
              {c.links.evidence}
            </Link>
          </p>
        </section>
      ) : null}
    </>
  );
}
