import Link from 'next/link';
import type { Prefs } from '../lib/prefs.ts';
import { NavLinks } from './NavLinks.tsx';

/** A neutral emblem: an open book of data cells (not a state emblem, which a portal may not borrow). */
function Emblem() {
  return (
    <svg className="emblem" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="46" height="46" rx="10" fill="currentColor" />
      <path d="M10 14h12v22H10zM26 14h12v22H26z" fill="#fff" opacity="0.95" />
      <path
        d="M13 19h6M13 24h6M13 29h6M29 19h6M29 24h6M29 29h6"
        stroke="currentColor"
        strokeWidth="2"
      />
    </svg>
  );
}

/**
 * The header every page shares: the platform's name, the display settings (language, 长辈模式)
 * as plain forms that work without JavaScript, 登录 or the developer's name with 退出, and the
 * main navigation.
 */
export function SiteHeader({ prefs, account }: { prefs: Prefs; account?: { name: string } }) {
  const { t, locale, elder } = prefs;
  const otherLocale = locale === 'en' ? 'zh-CN' : 'en';
  return (
    <header className="site-header">
      <div className="masthead">
        <div className="container masthead-inner">
          <Link href="/" className="brand">
            <Emblem />
            <span className="brand-text">
              <span className="brand-name">{t.siteName}</span>
              <span className="brand-alt" lang={otherLocale}>
                {t.siteNameAlt}
              </span>
            </span>
          </Link>
          <div className="prefs" role="group" aria-label={t.prefs.label}>
            <form method="post" action="/prefs">
              <input type="hidden" name="lang" value={otherLocale} />
              <button
                type="submit"
                className="pref-button"
                lang={otherLocale}
                title={t.prefs.switchLanguageHint}
              >
                <span aria-hidden="true">文/A </span>
                {t.prefs.switchLanguage}
              </button>
            </form>
            <form method="post" action="/prefs">
              <input type="hidden" name="elder" value={elder ? '0' : '1'} />
              <button
                type="submit"
                className="pref-button"
                aria-pressed={elder}
                title={t.prefs.elderHint}
              >
                <span aria-hidden="true">{elder ? '✓ ' : 'A+ '}</span>
                {t.prefs.elderOn}
              </button>
            </form>
          </div>
          <div className="account" role="group" aria-label={t.account.label}>
            {account ? (
              <>
                <span className="account-name" title={t.account.signedInAs(account.name)}>
                  <span className="visually-hidden">{t.account.signedInAs('')}</span>
                  {account.name}
                </span>
                <form method="post" action="/auth/logout">
                  <button type="submit" className="pref-button">
                    {t.account.signOut}
                  </button>
                </form>
              </>
            ) : (
              <a className="pref-button" href="/auth/login">
                {t.account.signIn}
              </a>
            )}
          </div>
        </div>
      </div>
      <nav className="main-nav" aria-label={t.nav.label}>
        <div className="container">
          <NavLinks
            links={[
              { href: '/', label: t.nav.home },
              { href: '/search', label: t.nav.search },
              { href: '/themes', label: t.nav.themes },
              { href: '/departments', label: t.nav.departments },
              { href: '/requests', label: t.nav.requests },
              { href: '/developer', label: t.nav.developer },
            ]}
          />
        </div>
      </nav>
    </header>
  );
}
