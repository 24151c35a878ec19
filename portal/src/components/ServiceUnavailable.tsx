import Link from 'next/link';
import type { Messages } from '../lib/i18n/messages.ts';

/** 服务暂不可用: what a visitor sees when the catalog or the exchange does not answer. */
export function ServiceUnavailable({ t }: { t: Messages }) {
  return (
    <div className="container narrow status-page" role="alert">
      <h1>{t.error.title}</h1>
      <p className="lead">{t.error.text}</p>
      <p className="status-actions">
        <Link href="/" className="button primary">
          {t.error.home}
        </Link>
      </p>
    </div>
  );
}
