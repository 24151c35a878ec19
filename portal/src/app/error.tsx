'use client';

import Link from 'next/link';

/**
 * Whatever went wrong on the server (most often: the catalog or the exchange does not answer),
 * the visitor sees 服务暂不可用 and a way to retry — never a message or a stack trace. The page
 * is in both languages because an error boundary cannot read the visitor's language cookie.
 */
export default function ErrorPage({
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="container narrow status-page" role="alert">
      <h1>
        服务暂不可用{' '}
        <span lang="en" className="status-alt">
          Service temporarily unavailable
        </span>
      </h1>
      <p className="lead">平台的数据服务暂时无法访问，请稍后再试。给您带来不便，敬请谅解。</p>
      <p lang="en">
        The platform&apos;s data services cannot be reached right now. Please try again later.
      </p>
      <p className="status-actions">
        <button type="button" className="button primary" onClick={() => reset()}>
          重试 <span lang="en">Try again</span>
        </button>
        <Link href="/" className="button">
          返回首页 <span lang="en">Home</span>
        </Link>
      </p>
    </div>
  );
}
