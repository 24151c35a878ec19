import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteFooter } from '../components/SiteFooter.tsx';
import { SiteHeader } from '../components/SiteHeader.tsx';
import { currentSession } from '../lib/auth/currentSession.ts';
import { getPrefs } from '../lib/prefs.ts';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return {
    title: { default: t.siteName, template: `%s · ${t.siteName}` },
    description: t.home.lead,
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/**
 * Every page: the language (`lang`) and 长辈模式 come from the visitor's cookies, so the server
 * renders the page as they chose it. The skip link is the first thing a keyboard reaches.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const [prefs, session] = await Promise.all([getPrefs(), currentSession()]);
  const account =
    session.kind === 'active' || session.kind === 'renew'
      ? { name: session.session.name }
      : undefined;
  return (
    <html lang={prefs.locale} data-elder={prefs.elder ? 'true' : undefined}>
      <body>
        <a className="skip-link" href="#main">
          {prefs.t.skipToContent}
        </a>
        <SiteHeader prefs={prefs} account={account} />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <SiteFooter t={prefs.t} />
      </body>
    </html>
  );
}
