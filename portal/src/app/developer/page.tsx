import type { Metadata } from 'next';
import Link from 'next/link';
import { currentSession } from '../../lib/auth/currentSession.ts';
import { currentStaff } from '../../lib/console/staff.ts';
import { apiKeyHeader } from '../../lib/developerDocuments.ts';
import { getPrefs } from '../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.developer.title };
}

/** 开发者中心: how to get from an account to a working API call, and where to go next. */
export default async function DeveloperPage() {
  const [{ t }, session, header, staff] = await Promise.all([
    getPrefs(),
    currentSession(),
    apiKeyHeader(),
    currentStaff(),
  ]);
  // keys, applications and reports are a developer's: a member of staff is sent to the console
  const isStaff = staff.kind === 'ok';
  const signedIn = session.kind === 'active' || session.kind === 'renew';
  const developer = signedIn && !isStaff;
  return (
    <div className="container section">
      <h1>{t.developer.title}</h1>
      <p className="lead">{t.developer.lead}</p>
      {signedIn ? <p>{t.developer.welcome(session.session.name)}</p> : null}
      {isStaff ? (
        <p className="notice">
          {t.developer.staffNote} <Link href="/console">{t.developer.consoleLink}</Link>
        </p>
      ) : null}
      <section aria-labelledby="developer-steps" className="section">
        <h2 id="developer-steps">{t.developer.steps}</h2>
        <ol className="developer-steps">
          <li>{t.developer.step1}</li>
          <li>{t.developer.step2}</li>
          <li>{t.developer.step3(header)}</li>
        </ol>
      </section>
      <ul className="developer-links">
        {isStaff ? null : (
          <li>
            {developer ? (
              <Link href="/developer/keys" className="button primary">
                {t.developer.keysLink}
              </Link>
            ) : (
              <a href="/auth/login?next=%2Fdeveloper%2Fkeys" className="button primary">
                {t.developer.signInButton}
              </a>
            )}
          </li>
        )}
        {developer ? (
          <li>
            <Link href="/developer/applications" className="button">
              {t.applications.link}
            </Link>
          </li>
        ) : null}
        {developer ? (
          <li>
            <Link href="/developer/reports" className="button">
              {t.reports.link}
            </Link>
          </li>
        ) : null}
        <li>
          <Link href="/developer/docs" className="button">
            {t.developer.docsLink}
          </Link>
        </li>
      </ul>
    </div>
  );
}
