import type { Metadata } from 'next';
import Link from 'next/link';
import { currentSession } from '../../lib/auth/currentSession.ts';
import { apiKeyHeader } from '../../lib/developerDocuments.ts';
import { getPrefs } from '../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.developer.title };
}

/** 开发者中心: how to get from an account to a working API call, and where to go next. */
export default async function DeveloperPage() {
  const [{ t }, session, header] = await Promise.all([
    getPrefs(),
    currentSession(),
    apiKeyHeader(),
  ]);
  const signedIn = session.kind === 'active' || session.kind === 'renew';
  return (
    <div className="container section">
      <h1>{t.developer.title}</h1>
      <p className="lead">{t.developer.lead}</p>
      {signedIn ? <p>{t.developer.welcome(session.session.name)}</p> : null}
      <section aria-labelledby="developer-steps" className="section">
        <h2 id="developer-steps">{t.developer.steps}</h2>
        <ol className="developer-steps">
          <li>{t.developer.step1}</li>
          <li>{t.developer.step2}</li>
          <li>{t.developer.step3(header)}</li>
        </ol>
      </section>
      <ul className="developer-links">
        <li>
          {signedIn ? (
            <Link href="/developer/keys" className="button primary">
              {t.developer.keysLink}
            </Link>
          ) : (
            <a href="/auth/login?next=%2Fdeveloper%2Fkeys" className="button primary">
              {t.developer.signInButton}
            </a>
          )}
        </li>
        {signedIn ? (
          <li>
            <Link href="/developer/applications" className="button">
              {t.applications.link}
            </Link>
          </li>
        ) : null}
        {signedIn ? (
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
