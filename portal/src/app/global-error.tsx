'use client';

import './globals.css';

/** The last resort, when even the page frame failed: the same words as error.tsx. */
export default function GlobalError({
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <html lang="zh-CN">
      <body>
        <main id="main" className="container narrow status-page" role="alert">
          <h1>
            服务暂不可用{' '}
            <span lang="en" className="status-alt">
              Service temporarily unavailable
            </span>
          </h1>
          <p className="lead">平台的数据服务暂时无法访问，请稍后再试。</p>
          <p className="status-actions">
            <button type="button" className="button primary" onClick={() => reset()}>
              重试 <span lang="en">Try again</span>
            </button>
            <a href="/" className="button">
              返回首页 <span lang="en">Home</span>
            </a>
          </p>
        </main>
      </body>
    </html>
  );
}
