import Link from 'next/link';
import type { Messages } from '../lib/i18n/messages.ts';

export function SiteFooter({ t }: { t: Messages }) {
  return (
    <footer className="site-footer">
      <div className="container footer-inner">
        <p className="footer-name">{t.siteName}</p>
        <p>{t.footer.host}</p>
        <p>{t.footer.about}</p>
        <p>{t.footer.accessibility}</p>
        <p>
          <Link href="/console">{t.footer.console}</Link>
        </p>
        <p className="footer-demo">{t.footer.demo}</p>
      </div>
    </footer>
  );
}
