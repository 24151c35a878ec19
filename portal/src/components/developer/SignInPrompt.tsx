import type { Outcome } from '../../lib/api/errors.ts';
import type { Messages } from '../../lib/i18n/messages.ts';

/**
 * 请先登录: what a signed-out visitor sees on a page that needs an account, with the page's own
 * reason (`text`; API keys by default).
 */
export function SignInPrompt({ t, next, text }: { t: Messages; next: string; text?: string }) {
  return (
    <div className="container narrow status-page">
      <h1>{t.developer.signInTitle}</h1>
      <p className="lead">{text ?? t.developer.signInText}</p>
      <p className="status-actions">
        <a className="button primary" href={`/auth/login?next=${encodeURIComponent(next)}`}>
          {t.developer.signInButton}
        </a>
      </p>
    </div>
  );
}

/**
 * 登录已失效: a session cookie that is tampered, sealed by another key, or whose tokens the
 * provider no longer accepts. A page, never an error.
 */
export function SessionProblem({ t, next, text }: { t: Messages; next: string; text?: string }) {
  return (
    <div className="container narrow status-page" role="alert">
      <h1>{t.developer.expiredTitle}</h1>
      <p className="lead">{text ?? t.developer.expiredText}</p>
      <p className="status-actions">
        <a className="button primary" href={`/auth/login?next=${encodeURIComponent(next)}`}>
          {t.account.signIn}
        </a>
      </p>
    </div>
  );
}

/**
 * What a developer page shows when the exchange did not give the signed-in person their list:
 * 403 is a member of staff (keys, applications and reports are a developer's; their work is in
 * the console), which is no session problem; anything else (401) is the ended session.
 */
export function NotADeveloper({
  t,
  next,
  answer,
}: {
  t: Messages;
  next: string;
  answer: Exclude<Outcome<unknown>, { kind: 'ok' }>;
}) {
  if (answer.kind !== 'refused' || answer.status !== 403)
    return <SessionProblem t={t} next={next} />;
  return (
    <div className="container narrow status-page">
      <h1>{t.developer.staffOnlyTitle}</h1>
      <p className="lead">{t.developer.staffOnlyText}</p>
      <p className="status-actions">
        <a className="button primary" href="/console">
          {t.developer.consoleLink}
        </a>
      </p>
    </div>
  );
}
